"""Unique slugs made from titles and names."""

from django.utils.text import slugify


def unique_slug(instance, text, field_name="slug"):
    """A slug for `text` that no other row of `instance`'s model uses.

    Cut to the field's max_length; a numeric suffix ("-2", "-3", ...) tells apart
    two rows whose text is the same, like two authors called "Yang Song".
    """
    model = type(instance)
    max_length = model._meta.get_field(field_name).max_length
    base = slugify(text)[:max_length].strip("-") or "untitled"
    others = model._default_manager.exclude(pk=instance.pk)
    slug, n = base, 1
    while others.filter(**{field_name: slug}).exists():
        n += 1
        suffix = f"-{n}"
        slug = base[: max_length - len(suffix)].strip("-") + suffix
    return slug
