import json

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

# As django.utils.html.json_script: nothing in the data can close the <script> element.
_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def ld_json(data):
    """`data` as a JSON-LD <script> element."""
    # Sorted keys: the same text whether the data was just built or read back from a
    # PostgreSQL jsonb column, which keeps keys in an order of its own.
    text = json.dumps(data, ensure_ascii=False, sort_keys=True).translate(_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


@register.filter
def web_url(url):
    """`url` if it is an http(s) address, else "": a `javascript:` or `data:` URL that got
    into the database some other way than the admin's forms never becomes a link."""
    text = str(url or "").strip()
    return text if text.lower().startswith(("http://", "https://")) else ""
