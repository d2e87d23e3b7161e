"""The custom user: editors who log into the admin, and the bylines of guides."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.text import slugify


class User(AbstractUser):
    display_name = models.CharField(
        max_length=150, blank=True, help_text="The name shown in bylines, e.g. “Alex Zhang”."
    )
    slug = models.SlugField(max_length=150, unique=True, help_text="Used in URLs of the byline.")
    bio = models.TextField(blank=True)
    website = models.URLField(blank=True)

    class Meta:
        ordering = ["display_name", "username"]

    def __str__(self):
        return self.byline_name

    @property
    def byline_name(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.username)
        super().save(*args, **kwargs)
