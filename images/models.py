"""The media library: images uploaded once and used anywhere, with what readers need to
know about them (alt text, caption, credit) and the renditions they are served as.

Where an image is used is not the library's business: the models that use it point to
it with PROTECT, so an image in use cannot be deleted, and the admin lists those
models' rows as its uses (images.admin).
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

from papers.models import Conference, Paper

from . import renditions as sized
from .storage import originals, renditions


def web_url(url):
    """`url` if it is an http(s) address, else "" (never a `javascript:` link)."""
    return url if url.lower().startswith(("http://", "https://")) else ""


def new_key():
    return secrets.token_hex(5)


def original_name(image, filename):
    """A random name: nothing of the uploaded file's name (or its owner) is kept."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"{secrets.token_hex(16)}.{extension}"


class Credit(models.Model):
    """Who made an image or where it comes from: a text with a link, or a paper."""

    credit_text = models.CharField(
        "credit", max_length=300, blank=True, help_text="e.g. “Photo by Mike Benna on Unsplash”."
    )
    credit_url = models.URLField("credit link", max_length=500, blank=True)
    credit_paper = models.ForeignKey(
        Paper,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="source paper",
        help_text="A figure taken from a paper: shown as “Source: <paper>”.",
    )

    class Meta:
        abstract = True

    def own_credit(self):
        """(text, url) for the credit line, or None: the paper, else the text."""
        if self.credit_paper_id:
            return (f"Source: {self.credit_paper.title}", self.credit_paper.get_absolute_url())
        if self.credit_text:
            return (self.credit_text, web_url(self.credit_url))
        return None


class ImageQuerySet(models.QuerySet):
    def get_by_natural_key(self, key):
        return self.get(key=key)

    def for_display(self):
        """What pages show of an image: no original, its credit paper's title."""
        return self.select_related("credit_paper").only(
            *("key", "width", "height", "alt_text", "decorative", "caption"),
            *("credit_text", "credit_url", "renditions"),
            *("credit_paper__title", "credit_paper__slug"),
        )


class Image(Credit):
    key = models.SlugField(
        max_length=20,
        unique=True,
        default=new_key,
        editable=False,
        help_text="Names the image in Markdown: ![](image:KEY).",
    )
    title = models.CharField(
        max_length=200, help_text="To find it in the library; readers do not see it."
    )
    file = models.FileField(
        "image file", storage=originals, upload_to=original_name, max_length=200
    )
    width = models.PositiveIntegerField(default=0, editable=False)
    height = models.PositiveIntegerField(default=0, editable=False)
    file_size = models.PositiveIntegerField("size in bytes", default=0, editable=False)
    alt_text = models.CharField(
        max_length=500,
        blank=True,
        help_text="What the image shows, for readers who cannot see it. Required unless "
        "the image is decorative.",
    )
    decorative = models.BooleanField(
        default=False,
        help_text="Only for an image that adds nothing to the text around it: it is then "
        "hidden from screen readers and has no alt text.",
    )
    caption = models.TextField(
        blank=True, help_text="Shown under the image, unless a use sets its own."
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)
    # [{"width", "height", "type", "name", "size"}], written on upload (images.library).
    renditions = models.JSONField(default=list, blank=True, editable=False)

    objects = ImageQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        indexes = [models.Index(fields=["-uploaded_at", "-id"], name="image_newest_first")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(decorative=True, alt_text="")
                | (models.Q(decorative=False) & ~models.Q(alt_text="")),
                name="image_alt_text_or_decorative",
                violation_error_message="Describe the image in its alt text, or mark it "
                "decorative (and then leave the alt text empty).",
            ),
        ]

    def __str__(self):
        return self.title

    def natural_key(self):
        return (self.key,)

    natural_key.dependencies = ["papers.paper", "accounts.user"]

    @property
    def markdown(self):
        """What an editor types to show the image inside Markdown."""
        return f"![](image:{self.key})"

    def rendition_url(self, rendition):
        return renditions().url(rendition["name"])

    def picture(self):
        """The <picture> data (images.renditions.picture), or None before renditions exist."""
        return sized.picture(self.renditions, renditions().url)

    def share_rendition(self):
        """The widest rendition every reader understands: for og:image and JSON-LD."""
        return sized.largest_fallback(self.renditions)

    def credit(self):
        return self.own_credit()


class PaperImage(models.Model):
    """A paper's picture, shown on its page (kept here: the catalogue knows no images)."""

    paper = models.OneToOneField(Paper, on_delete=models.CASCADE, related_name="picture")
    image = models.ForeignKey(Image, on_delete=models.PROTECT, related_name="paper_pictures")

    class Meta:
        verbose_name = "picture"

    def __str__(self):
        return f"Picture of {self.paper}"

    @property
    def admin_target(self):
        return self.paper


class ConferenceImage(models.Model):
    """A conference's picture, shown on its page."""

    conference = models.OneToOneField(Conference, on_delete=models.CASCADE, related_name="picture")
    image = models.ForeignKey(Image, on_delete=models.PROTECT, related_name="conference_pictures")

    class Meta:
        verbose_name = "picture"

    def __str__(self):
        return f"Picture of {self.conference}"

    @property
    def admin_target(self):
        return self.conference
