"""The editorial work: guides, their sections and picks, webinars and references.

What "public" means lives in one place, `GuideQuerySet.public()`: every view, feed
and list asks it rather than re-implementing the rule.
"""

import zoneinfo

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from taggit.managers import TaggableManager
from taggit.models import ItemBase

from images.models import Credit, Image
from papers.models import Authorship, Conference, Paper, Tag
from papers.natural_keys import SlugNaturalKeyMixin
from papers.slugs import slug_url, unique_slug

from .markdown_images import validate_image_references

MARKDOWN_HELP = "Markdown; an image from the library: ![](image:KEY)."


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "review", "In review"
    PUBLISHED = "published", "Published"


def public_guide(prefix="", now=None):
    """The condition for a public guide: published, and its publication time has come.

    `prefix` reaches the guide from another model, e.g. "guide__" from a pick.
    """
    return models.Q(
        **{
            f"{prefix}status": Status.PUBLISHED,
            f"{prefix}published_at__lte": now or timezone.now(),
            # A draft of changes to a live guide is never public (guides.drafts).
            f"{prefix}draft_of__isnull": True,
        }
    )


class GuideQuerySet(SlugNaturalKeyMixin, models.QuerySet):
    def public(self, now=None):
        return self.filter(public_guide(now=now))

    def for_cards(self):
        """Just what a list of guides with their stored cards needs (website.guide_cards)."""
        return self.defer(None).only("slug", "card_html", "article_generation")


class GuideManager(models.Manager.from_queryset(GuideQuerySet)):
    # Large and derived: loaded only where asked for (the guide page's `only()`).
    DERIVED = ("search_vector", "article_html", "article_ld", "card_html")

    def get_queryset(self):
        return super().get_queryset().defer(*self.DERIVED)


def guide_derived_fields(prefix):
    """The derived fields of a guide reached through `prefix` (e.g. "guide__"), for a
    defer() where select_related() would load them."""
    return [prefix + name for name in GuideManager.DERIVED]


class PickQuerySet(models.QuerySet):
    def public(self, now=None):
        """Picks of public guides."""
        return self.filter(public_guide("guide__", now))

    def for_display(self):
        """Picks with their paper, its authors and topics, and the guide: a fixed number
        of queries however many picks there are."""
        return (
            self.select_related("guide__conference__series", "section", "paper__conference")
            .defer("search_vector", "paper__search_vector", *guide_derived_fields("guide__"))
            .prefetch_related(
                models.Prefetch(
                    "paper__authorships", queryset=Authorship.objects.select_related("author")
                ),
                "paper__tags",
                models.Prefetch("related_papers", queryset=Paper.objects.only("title", "slug")),
                models.Prefetch("figures", queryset=Figure.objects.for_display()),
            )
        )

    def for_lists(self):
        """Picks in lists of many: the guide and the paper, without what lists don't show."""
        return self.select_related("guide", "paper").only(
            *("rank", "why", "key_insights", "summary_html"),
            *("guide__title", "guide__slug", "guide__published_at"),
            *("paper__title", "paper__slug"),
        )


class WebinarQuerySet(SlugNaturalKeyMixin, models.QuerySet):
    def public(self, now=None):
        """Webinars of public guides, and webinars that belong to no guide."""
        return self.filter(models.Q(guide__isnull=True) | public_guide("guide__", now))

    def upcoming(self, today):
        return self.filter(starts_on__gte=today).order_by("starts_on", "starts_at")

    def past(self, today):
        return self.filter(starts_on__lt=today).order_by("-starts_on", "-starts_at")


class TaggedGuideManager(models.Manager):
    def get_by_natural_key(self, tag_slug, guide_slug):
        return self.get(tag__slug=tag_slug, content_object__slug=guide_slug)


class TaggedGuide(ItemBase):
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="tagged_guides")
    content_object = models.ForeignKey("Guide", on_delete=models.CASCADE, related_name="+")

    objects = TaggedGuideManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="guide_tagged_once")
        ]

    def natural_key(self):
        return (self.tag.slug, self.content_object.slug)

    natural_key.dependencies = ["papers.tag", "guides.guide"]


class Guide(models.Model):
    """A curated article about one conference: sections of numbered picks."""

    conference = models.ForeignKey(Conference, on_delete=models.PROTECT, related_name="guides")
    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=200, unique=True, blank=True)
    standfirst = models.TextField(
        blank=True, help_text="The one or two sentences under the title that sell the guide."
    )
    intro = models.TextField(
        blank=True, help_text=MARKDOWN_HELP, validators=[validate_image_references]
    )
    outro = models.TextField(
        blank=True, help_text=MARKDOWN_HELP, validators=[validate_image_references]
    )
    bylines = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="guides", verbose_name="byline"
    )
    source_url = models.URLField(
        "original post", max_length=500, blank=True, help_text="Where the guide first appeared."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        null=True, blank=True, help_text="When the guide becomes public; may be in the future."
    )
    updated_at = models.DateTimeField(
        null=True, blank=True, help_text="Shown to readers as the last update."
    )

    tags = TaggableManager("topics", through=TaggedGuide, blank=True)
    comments_open = models.BooleanField(
        "open for comments", default=True, help_text="Readers may comment on the guide."
    )
    # Readers' approved comments, kept by readers.comments (shown on guide lists).
    comment_count = models.PositiveIntegerField(default=0, editable=False, serialize=False)
    # Full-text search on PostgreSQL; kept up to date by search.index.
    search_vector = SearchVectorField(null=True, editable=False)
    # Bumped by every save in the admin: a save based on an older version is refused.
    version = models.PositiveIntegerField(default=1, editable=False)
    # The public article and its JSON-LD, rendered once (website.guide_articles); empty
    # when stale. The generation moves with every change that empties them.
    # Derived, so left out of dumps and revisions (serialize=False).
    article_html = models.TextField(blank=True, default="", editable=False, serialize=False)
    article_ld = models.JSONField(null=True, blank=True, editable=False, serialize=False)
    # Its item in lists of guides, rendered once (website.guide_cards); empty when stale.
    card_html = models.TextField(blank=True, default="", editable=False, serialize=False)
    article_generation = models.PositiveIntegerField(default=0, editable=False, serialize=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        help_text="Contributors may edit the drafts they created.",
    )
    # Set on a draft of changes to a published guide: a hidden copy, edited in its
    # place and published into it at once (guides.drafts). Never public itself.
    draft_of = models.OneToOneField(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="draft",
        editable=False,
    )

    objects = GuideManager()

    class Meta:
        ordering = ["-published_at", "title"]
        permissions = [("publish_guide", "Can publish, schedule and unpublish guides")]
        indexes = [models.Index(fields=["status", "-published_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status=Status.PUBLISHED) | models.Q(published_at__isnull=False),
                name="guide_published_has_date",
                violation_error_message="A published guide needs a publication date.",
            ),
            models.CheckConstraint(
                condition=models.Q(updated_at__isnull=True)
                | models.Q(published_at__isnull=True)
                | models.Q(updated_at__gte=models.F("published_at")),
                name="guide_updated_after_published",
                violation_error_message="A guide cannot be updated before it is published.",
            ),
        ]

    def __str__(self):
        return f"{self.title} (draft of changes)" if self.draft_of_id else self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.title)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return slug_url("guides:guide-detail", self.slug)

    def get_preview_url(self):
        return reverse("guides:guide-preview", args=[self.slug])

    @property
    def is_live(self):
        """Published (readers see it, or will at its time): edited through a draft."""
        return self.status == Status.PUBLISHED and self.draft_of_id is None

    def is_public(self, now=None):
        if self.status != Status.PUBLISHED or self.published_at is None or self.draft_of_id:
            return False
        return self.published_at <= (now or timezone.now())

    def is_scheduled(self, now=None):
        """Published for a future time (for a draft of changes: applied then)."""
        if self.status != Status.PUBLISHED or self.published_at is None:
            return False
        return self.published_at > (now or timezone.now())

    def natural_key(self):
        return (self.slug,)

    natural_key.dependencies = ["papers.conference", "accounts.user"]


class SectionManager(models.Manager):
    def get_by_natural_key(self, guide_slug, slug):
        return self.get(guide__slug=guide_slug, slug=slug)


class Section(models.Model):
    """A group of picks under a heading; its intro holds a topic's overview."""

    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="sections")
    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=100, help_text="The anchor of the section in the guide.")
    order = models.PositiveSmallIntegerField(default=0)
    intro = models.TextField(
        blank=True, help_text=MARKDOWN_HELP, validators=[validate_image_references]
    )

    objects = SectionManager()

    class Meta:
        ordering = ["guide", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["guide", "slug"], name="section_slug_once_per_guide")
        ]

    def __str__(self):
        return self.title

    def natural_key(self):
        return (self.guide.slug, self.slug)

    natural_key.dependencies = ["guides.guide"]


class PickManager(models.Manager.from_queryset(PickQuerySet)):
    def get_by_natural_key(self, guide_slug, paper_slug):
        return self.get(guide__slug=guide_slug, paper__slug=paper_slug)


class Pick(models.Model):
    """A paper chosen for a guide, with why it matters and what to take from it."""

    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="picks")
    section = models.ForeignKey(
        Section, on_delete=models.SET_NULL, null=True, blank=True, related_name="picks"
    )
    paper = models.ForeignKey(Paper, on_delete=models.PROTECT, related_name="picks")
    rank = models.PositiveSmallIntegerField(help_text="The pick's number in the guide, from 1.")
    why = models.TextField(
        blank=True,
        help_text="❓ Why it matters. " + MARKDOWN_HELP,
        validators=[validate_image_references],
    )
    key_insights = models.TextField(
        blank=True,
        help_text="💡 Key insights. " + MARKDOWN_HELP,
        validators=[validate_image_references],
    )
    related_papers = models.ManyToManyField(
        Paper,
        blank=True,
        related_name="related_to_picks",
        help_text="“Others:” worth a look alongside this pick.",
    )
    search_vector = SearchVectorField(null=True, editable=False)
    # The pick as readers see it, rendered once (website.pick_cards); empty when stale.
    card_html = models.TextField(blank=True, default="", editable=False, serialize=False)
    # Its why and key insights as lists of picks show them (website.pick_summaries).
    summary_html = models.TextField(blank=True, default="", editable=False, serialize=False)

    objects = PickManager()

    class Meta:
        ordering = ["guide", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["guide", "rank"],
                name="pick_rank_once_per_guide",
                violation_error_message="Another pick of this guide already has that number.",
            ),
            models.UniqueConstraint(
                fields=["guide", "paper"],
                name="pick_paper_once_per_guide",
                violation_error_message="This paper is already picked in this guide.",
            ),
            models.CheckConstraint(
                condition=models.Q(rank__gte=1),
                name="pick_rank_from_one",
                violation_error_message="Picks are numbered from 1.",
            ),
        ]

    def __str__(self):
        return f"{self.rank}. {self.paper}"

    def natural_key(self):
        return (self.guide.slug, self.paper.slug)

    natural_key.dependencies = ["guides.guide", "guides.section", "papers.paper"]

    def clean(self):
        if self.section_id and self.guide_id and self.section.guide_id != self.guide_id:
            raise ValidationError({"section": "This section belongs to another guide."})


def validate_time_zone(name):
    if name not in zoneinfo.available_timezones():
        raise ValidationError(f"“{name}” is not an IANA time zone, such as Europe/Amsterdam.")


class Webinar(models.Model):
    """A live session a guide announces.

    When a time was announced, `starts_at` holds it (aware) and `time_zone` the zone
    it was announced in; `starts_on` is then its date in that zone. When only a day
    was announced, `starts_at` stays empty and the webinar is an all-day event.
    """

    guide = models.ForeignKey(
        Guide, on_delete=models.SET_NULL, null=True, blank=True, related_name="webinars"
    )
    conference = models.ForeignKey(Conference, on_delete=models.PROTECT, related_name="webinars")
    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=200, unique=True, blank=True)
    starts_on = models.DateField(help_text="The day, in the announced time zone.")
    starts_at = models.DateTimeField(
        null=True, blank=True, help_text="Empty when only the day was announced."
    )
    time_zone = models.CharField(
        max_length=64,
        blank=True,
        validators=[validate_time_zone],
        help_text="The IANA zone the time was announced in, e.g. Europe/Amsterdam.",
    )
    duration = models.DurationField(null=True, blank=True)
    registration_url = models.URLField(max_length=500, blank=True)
    recording_url = models.URLField(max_length=500, blank=True)
    description = models.TextField(blank=True, help_text="Markdown.")

    objects = WebinarQuerySet.as_manager()

    class Meta:
        ordering = ["starts_on", "starts_at"]
        indexes = [models.Index(fields=["starts_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(starts_at__isnull=True) | ~models.Q(time_zone=""),
                name="webinar_time_has_zone",
                violation_error_message="Give the time zone the start time was announced in.",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.starts_at and self.time_zone:
            self.starts_on = self.starts_at.astimezone(zoneinfo.ZoneInfo(self.time_zone)).date()
        if not self.slug:
            self.slug = unique_slug(self, self.title)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return slug_url("guides:webinar-detail", self.slug)

    def natural_key(self):
        return (self.slug,)

    natural_key.dependencies = ["guides.guide", "papers.conference"]

    def clean(self):
        if self.starts_at and not self.time_zone:
            raise ValidationError({"time_zone": "Give the time zone the time was announced in."})
        if self.duration is not None and self.duration.total_seconds() < 0:
            raise ValidationError({"duration": "A webinar cannot end before it starts."})
        if self.duration is not None and not self.duration:
            raise ValidationError({"duration": "A webinar must last some time."})

    @property
    def local_start(self):
        """The start in the zone it was announced in, or None for a date-only webinar."""
        if not self.starts_at:
            return None
        return self.starts_at.astimezone(zoneinfo.ZoneInfo(self.time_zone))

    @property
    def duration_minutes(self):
        return round(self.duration.total_seconds() / 60) if self.duration else None

    @property
    def ends_at(self):
        if self.starts_at and self.duration:
            return self.starts_at + self.duration
        return None


class ReferenceManager(models.Manager):
    def get_by_natural_key(self, guide_slug, number):
        return self.get(guide__slug=guide_slug, number=number)


class Reference(models.Model):
    """A numbered footnote of a guide; `[^n]` markers in its text point here."""

    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="references")
    number = models.PositiveSmallIntegerField()
    text = models.TextField(help_text="The citation as the guide prints it.")
    paper = models.ForeignKey(
        Paper, on_delete=models.SET_NULL, null=True, blank=True, related_name="references"
    )

    objects = ReferenceManager()

    class Meta:
        ordering = ["guide", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["guide", "number"],
                name="reference_number_once_per_guide",
                violation_error_message="This guide already has a reference with that number.",
            ),
            models.CheckConstraint(
                condition=models.Q(number__gte=1), name="reference_number_from_one"
            ),
        ]

    def __str__(self):
        return f"[{self.number}] {self.text}"

    def natural_key(self):
        return (self.guide.slug, self.number)

    natural_key.dependencies = ["guides.guide", "papers.paper"]


class FigurePlace(models.TextChoices):
    COVER = "cover", "Cover of the guide"
    INTRO = "intro", "After the intro"
    PICK = "pick", "Under a pick"


class FigureQuerySet(models.QuerySet):
    def shown(self):
        """Figures readers see: those with an image."""
        return self.filter(image__isnull=False)

    def awaiting_image(self):
        return self.filter(image__isnull=True)

    def for_display(self):
        return (
            self.shown()
            .select_related("credit_paper")
            .prefetch_related(models.Prefetch("image", queryset=Image.objects.for_display()))
        )


class FigureManager(models.Manager.from_queryset(FigureQuerySet)):
    def get_by_natural_key(self, guide_slug, number):
        return self.get(guide__slug=guide_slug, number=number)


class Figure(Credit):
    """An image placed in a guide: its cover, after its intro, or under a pick.

    Caption and credit default to the image's own; a figure may set its own (a photo
    credit, "Source: <paper>"). A figure without an image is waiting for one: editors
    see it in the admin, readers do not.
    """

    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="figures")
    number = models.PositiveSmallIntegerField(
        help_text="Identifies the figure in its guide; figures under a pick show in this order."
    )
    place = models.CharField(max_length=10, choices=FigurePlace.choices, default=FigurePlace.PICK)
    pick = models.ForeignKey(
        Pick, on_delete=models.CASCADE, null=True, blank=True, related_name="figures"
    )
    image = models.ForeignKey(
        Image,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="figures",
        help_text="Empty: the figure waits for an image, and readers do not see it.",
    )
    caption = models.TextField(
        blank=True, help_text="Empty: the image's own caption (and, below, its own credit)."
    )

    objects = FigureManager()

    class Meta:
        ordering = ["guide", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["guide", "number"],
                name="figure_number_once_per_guide",
                violation_error_message="Another figure of this guide has that number.",
            ),
            models.CheckConstraint(
                condition=models.Q(number__gte=1), name="figure_number_from_one"
            ),
            models.CheckConstraint(
                condition=models.Q(place=FigurePlace.PICK, pick__isnull=False)
                | (~models.Q(place=FigurePlace.PICK) & models.Q(pick__isnull=True)),
                name="figure_under_a_pick_names_it",
                violation_error_message="A figure under a pick needs its pick; "
                "a cover or intro figure has none.",
            ),
            models.UniqueConstraint(
                fields=["guide"],
                condition=models.Q(place=FigurePlace.COVER),
                name="one_cover_per_guide",
                violation_error_message="This guide already has a cover.",
            ),
        ]

    def __str__(self):
        where = f"pick {self.pick.rank}" if self.pick_id else self.get_place_display().lower()
        return f"Figure {self.number} ({where}) of {self.guide}"

    def natural_key(self):
        return (self.guide.slug, self.number)

    natural_key.dependencies = ["guides.guide", "guides.pick", "images.image", "papers.paper"]

    def clean(self):
        if self.pick_id and self.guide_id and self.pick.guide_id != self.guide_id:
            raise ValidationError({"pick": "This pick belongs to another guide."})

    @property
    def shown_caption(self):
        return self.caption or (self.image.caption if self.image_id else "")

    def credit(self):
        """(text, url) of the credit line, or None: the figure's own, else the image's."""
        return self.own_credit() or (self.image.credit() if self.image_id else None)


class EmbeddedImage(models.Model):
    """An image a guide's Markdown shows (`![](image:KEY)`), in its intro or outro, a
    section's intro or a pick's texts. Kept from the text on every save
    (guides.markdown_images), so the library knows where each image is used and
    refuses to delete one that is."""

    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="embedded_images")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, null=True, related_name="+")
    pick = models.ForeignKey(Pick, on_delete=models.CASCADE, null=True, related_name="+")
    image = models.ForeignKey(Image, on_delete=models.PROTECT, related_name="embedded_in")

    class Meta:
        verbose_name = "image in Markdown"
        verbose_name_plural = "images in Markdown"

    def __str__(self):
        if self.pick_id:
            return f"In the text of pick {self.pick.rank} of {self.guide}"
        if self.section_id:
            return f"In the intro of section “{self.section}” of {self.guide}"
        return f"In the intro or outro of {self.guide}"

    @property
    def admin_target(self):
        """What an editor opens to change this use (images.admin)."""
        return self.guide
