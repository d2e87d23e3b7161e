"""Tags of the site's frame (templates/base.html), which every page renders."""

from functools import lru_cache

from django import template
from django.urls import get_script_prefix, reverse

register = template.Library()


@register.simple_tag
def site_url(name):
    """{% url name %} for a URL without arguments, reversed once per process: the
    frame links to the same ten pages from every page."""
    return _reversed(name, get_script_prefix())


@lru_cache(maxsize=64)
def _reversed(name, script_prefix):
    return reverse(name)
