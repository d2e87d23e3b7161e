"""Natural keys, so that fixtures and imports address rows by slug, not by id.

`loaddata` looks a row up through `get_by_natural_key` before it saves, so loading
the same fixture twice updates rows instead of duplicating them.
"""

from django.db import models


class SlugNaturalKeyMixin:
    """Manager mixin for models whose natural key is their unique slug."""

    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class SlugNaturalKeyManager(SlugNaturalKeyMixin, models.Manager):
    pass
