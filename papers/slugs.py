"""Unique slugs made from titles and names."""

from functools import lru_cache
from itertools import count

from django.urls import get_script_prefix, reverse
from django.utils.text import slugify


def _candidates(text, max_length):
    """The slug of `text`, then with a numeric suffix ("-2", "-3", ...), cut to fit."""
    base = slugify(text)[:max_length].strip("-") or "untitled"
    yield base
    for n in count(2):
        suffix = f"-{n}"
        yield base[: max_length - len(suffix)].strip("-") + suffix


def unique_slug(instance, text, field_name="slug"):
    """A slug for `text` that no other row of `instance`'s model uses.

    The suffix tells apart two rows whose text is the same, like two authors called
    "Yang Song".
    """
    model = type(instance)
    others = model._default_manager.exclude(pk=instance.pk)
    for slug in _candidates(text, model._meta.get_field(field_name).max_length):
        if not others.filter(**{field_name: slug}).exists():
            return slug


class SlugAllocator:
    """Unique slugs for many new rows at once, without a query per row."""

    def __init__(self, model):
        self.max_length = model._meta.get_field("slug").max_length
        self.taken = set(model._default_manager.values_list("slug", flat=True))

    def __call__(self, text):
        slug = next(s for s in _candidates(text, self.max_length) if s not in self.taken)
        self.taken.add(slug)
        return slug


def slug_url(view_name, slug):
    """reverse(view_name, args=[slug]), for list pages with hundreds of links.

    The URL pattern is looked up once (per script prefix); slugs need no quoting."""
    return _url_pattern(view_name, get_script_prefix()).format(slug=slug)


@lru_cache(maxsize=64)
def _url_pattern(view_name, script_prefix):
    marker = "slug-placeholder"
    return reverse(view_name, args=[marker]).replace(marker, "{slug}")
