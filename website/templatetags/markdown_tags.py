from django import template

from guides.rendering import render_markdown

register = template.Library()


@register.filter
def markdown(text):
    """Editors' Markdown as sanitized HTML."""
    return render_markdown(text)
