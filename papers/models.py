"""The catalogue: conference series, conferences, authors, papers and topics.

This app knows nothing of guides; `guides` builds on it.
"""

from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F
from taggit.managers import TaggableManager
from taggit.models import ItemBase, TagBase

from .identifiers import identify
from .natural_keys import SlugNaturalKeyManager, SlugNaturalKeyMixin
from .slugs import slug_url, unique_slug

MIN_YEAR, MAX_YEAR = 1900, 2100
year_validators = [MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)]


class Series(models.Model):
    """A recurring conference, such as NeurIPS or ICLR."""

    short_name = models.CharField(max_length=30, unique=True, help_text="For example “NeurIPS”.")
    name = models.CharField(
        max_length=200,
        help_text="For example “Conference on Neural Information Processing Systems”.",
    )
    slug = models.SlugField(max_length=30, unique=True)
    website = models.URLField(blank=True)

    objects = SlugNaturalKeyManager()

    class Meta:
        ordering = ["short_name"]
        verbose_name_plural = "series"

    def __str__(self):
        return self.short_name

    def natural_key(self):
        return (self.slug,)


class Approximation(models.TextChoices):
    """How exact a quoted figure is: guides say "15k+" or "more than a thousand"."""

    EXACT = "", "exact"
    ABOUT = "about", "about (a rounded figure)"
    AT_LEAST = "at_least", "at least (“15k+”, “more than a thousand”)"


def format_stat(value, approximation):
    """Render a figure as honestly as it was stated: 2,334 / about 10,000 / 15,000+."""
    if value is None:
        return ""
    if approximation == Approximation.AT_LEAST:
        return f"{value:,}+"
    if approximation == Approximation.ABOUT:
        return f"about {value:,}"
    return f"{value:,}"


def _stat_field(help_text):
    return models.PositiveIntegerField(null=True, blank=True, help_text=help_text)


def _approximation_field():
    return models.CharField(
        max_length=8, choices=Approximation.choices, default=Approximation.EXACT, blank=True
    )


# (field name, label, largest sane value): the figures guides quote about a conference.
CONFERENCE_STATS = [
    ("accepted_papers", "accepted papers", 100_000),
    ("submissions", "submissions", 500_000),
    ("workshops", "workshops", 1_000),
    ("invited_talks", "invited talks", 1_000),
    ("attendees", "attendees", 1_000_000),
]


class Conference(models.Model):
    """One edition of a series, e.g. NeurIPS 2021, with the figures guides quote."""

    series = models.ForeignKey(Series, on_delete=models.PROTECT, related_name="conferences")
    year = models.PositiveSmallIntegerField(validators=year_validators)
    slug = models.SlugField(max_length=50, unique=True, help_text="For example “neurips-2021”.")
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    location = models.CharField(max_length=200, blank=True, help_text="City and country.")
    is_virtual = models.BooleanField(default=False, help_text="Held online only.")
    website = models.URLField(blank=True)

    accepted_papers = _stat_field("Accepted papers in the main track.")
    accepted_papers_approximation = _approximation_field()
    submissions = _stat_field("Submitted papers.")
    submissions_approximation = _approximation_field()
    workshops = _stat_field("Workshops.")
    workshops_approximation = _approximation_field()
    invited_talks = _stat_field("Invited talks or keynotes.")
    invited_talks_approximation = _approximation_field()
    attendees = _stat_field("Registered attendees.")
    attendees_approximation = _approximation_field()

    objects = SlugNaturalKeyManager()

    class Meta:
        ordering = ["-year", "slug"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "year"], name="conference_one_per_series_year"
            ),
            models.CheckConstraint(
                condition=models.Q(year__gte=MIN_YEAR, year__lte=MAX_YEAR),
                name="conference_year_in_range",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(starts_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="conference_ends_after_it_starts",
                violation_error_message="A conference cannot end before it starts.",
            ),
            *[
                models.CheckConstraint(
                    condition=models.Q(**{f"{field}__isnull": True})
                    | models.Q(**{f"{field}__lte": limit}),
                    name=f"conference_{field}_in_range",
                    violation_error_message=f"That many {label} is not plausible.",
                )
                for field, label, limit in CONFERENCE_STATS
            ],
        ]

    def __str__(self):
        return f"{self.series.short_name} {self.year}"

    def get_absolute_url(self):
        return slug_url("papers:conference-detail", self.slug)

    def natural_key(self):
        return (self.slug,)

    natural_key.dependencies = ["papers.series"]

    def stats(self):
        """The figures that are known, as (label, text) pairs in a stable order."""
        return [
            (label, format_stat(getattr(self, field), getattr(self, f"{field}_approximation")))
            for field, label, _ in CONFERENCE_STATS
            if getattr(self, field) is not None
        ]


class Author(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True, blank=True)
    homepage = models.URLField(blank=True)
    affiliation = models.CharField(max_length=200, blank=True)

    objects = SlugNaturalKeyManager()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["name"])]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return slug_url("papers:author-detail", self.slug)

    def natural_key(self):
        return (self.slug,)


class Tag(TagBase):
    """A topic, shared by papers and guides ("Transformers", "Reinforcement learning").

    `paper_count` is stored (papers.topic_counts keeps it), so that pages listing
    topics by size never count a hundred thousand links."""

    paper_count = models.PositiveIntegerField(default=0, editable=False)

    objects = SlugNaturalKeyManager()

    class Meta:
        ordering = ["name"]
        verbose_name = "topic"
        indexes = [models.Index(F("paper_count").desc(), "name", name="topic_by_size")]

    def get_absolute_url(self):
        return slug_url("papers:tag-detail", self.slug)

    def natural_key(self):
        return (self.slug,)


class TaggedPaperManager(models.Manager):
    def get_by_natural_key(self, tag_slug, paper_slug):
        return self.get(tag__slug=tag_slug, content_object__slug=paper_slug)


class TaggedPaper(ItemBase):
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="tagged_papers")
    content_object = models.ForeignKey("Paper", on_delete=models.CASCADE, related_name="+")

    objects = TaggedPaperManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="paper_tagged_once")
        ]
        # A topic's papers, counted or joined to a conference's, from the index alone.
        indexes = [models.Index(fields=["tag", "content_object"], name="papers_of_topic")]

    def natural_key(self):
        return (self.tag.slug, self.content_object.slug)

    natural_key.dependencies = ["papers.tag", "papers.paper"]


class PaperQuerySet(SlugNaturalKeyMixin, models.QuerySet):
    def for_cards(self, *also):
        """Papers to show as list items (website.paper_cards): the stored card only, and
        the fields named in `also`."""
        return self.only("slug", "card_html", "card_generation", *also)

    def most_cited(self):
        """Papers with a citation count, the most cited first."""
        return self.filter(citation_count__isnull=False).order_by("-citation_count", "title")

    def with_authors(self):
        """Authors in order, fetched in one extra query whatever the number of papers."""
        return (
            self.select_related("conference__series")
            .defer("search_vector")
            .prefetch_related(
                models.Prefetch(
                    "authorships", queryset=Authorship.objects.select_related("author")
                ),
                "tags",
            )
        )


class Paper(models.Model):
    title = models.CharField(max_length=500)
    slug = models.SlugField(max_length=120, unique=True, blank=True)
    conference = models.ForeignKey(
        Conference,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="papers",
        help_text="Empty for older cited works that are not in a covered conference.",
    )
    year = models.PositiveSmallIntegerField(validators=year_validators)
    authors = models.ManyToManyField(Author, through="Authorship", related_name="papers")
    authors_et_al = models.BooleanField(
        "et al.",
        default=False,
        help_text="The source lists only the first authors; shown as “et al.”.",
    )
    tldr = models.TextField("authors' TL;DR", blank=True)
    abstract = models.TextField(blank=True)
    paper_url = models.URLField("paper", max_length=500, blank=True)
    code_url = models.URLField("code", max_length=500, blank=True)
    poster_url = models.URLField("poster", max_length=500, blank=True)
    project_url = models.URLField("project page", max_length=500, blank=True)
    video_url = models.URLField("video", max_length=500, blank=True)
    # Identifiers editors look a paper up by; filled from the paper's link when empty.
    arxiv_id = models.CharField("arXiv id", max_length=40, blank=True, help_text="e.g. 2106.01234")
    doi = models.CharField(
        "DOI", max_length=200, blank=True, help_text="e.g. 10.1145/3442188.3445922"
    )
    openreview_id = models.CharField("OpenReview id", max_length=40, blank=True)
    citation_count = models.PositiveIntegerField(
        "citations",
        null=True,
        blank=True,
        help_text="As counted on the date below; empty: unknown.",
    )
    citations_counted_on = models.DateField(
        "citations counted on", null=True, blank=True, help_text="When the citations were counted."
    )

    tags = TaggableManager("topics", through=TaggedPaper, blank=True)
    # Full-text search on PostgreSQL; kept up to date by search.index.
    search_vector = SearchVectorField(null=True, editable=False)
    # The paper as a list item, rendered once by the reader site (website.paper_cards);
    # empty when stale.
    # Derived, so left out of dumps (serialize=False).
    card_html = models.TextField(blank=True, default="", editable=False, serialize=False)
    card_generation = models.PositiveIntegerField(default=0, editable=False, serialize=False)

    objects = PaperQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "title"]
        permissions = [("import_papers", "Can import a conference's papers in bulk")]
        indexes = [
            # One per sort order of the paper browser, so a page of results is an index scan.
            models.Index(fields=["-year", "title", "id"], name="paper_newest_first"),
            models.Index(fields=["year", "title", "id"], name="paper_oldest_first"),
            models.Index(fields=["title", "-year", "id"], name="paper_title_a_z"),
            models.Index(fields=["conference", "-year", "title"], name="paper_by_conference"),
            # A conference's paper ids, to join with a topic's from the indexes alone,
            # with what the paper browser sorts by (a page of the join sorts them).
            models.Index(
                fields=["conference", "id", "title", "year"], name="paper_ids_by_conference"
            ),
            # A conference's most cited papers, read from the index top down.
            models.Index(fields=["conference", "-citation_count"], name="paper_most_cited"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(year__gte=MIN_YEAR, year__lte=MAX_YEAR),
                name="paper_year_in_range",
                violation_error_message=f"The year must be between {MIN_YEAR} and {MAX_YEAR}.",
            ),
            models.CheckConstraint(
                condition=models.Q(citation_count__isnull=True)
                | models.Q(citations_counted_on__isnull=False),
                name="paper_citations_have_a_date",
                violation_error_message="Give the date the citations were counted.",
            ),
            # One paper per identifier; an empty one identifies nothing.
            *(
                models.UniqueConstraint(
                    fields=[field],
                    condition=~models.Q(**{field: ""}),
                    name=f"paper_{field}_once",
                    violation_error_message=f"Another paper has this {label}.",
                )
                for field, label in [
                    ("arxiv_id", "arXiv id"),
                    ("doi", "DOI"),
                    ("openreview_id", "OpenReview id"),
                ]
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.conference_id and not self.year:
            self.year = self.conference.year
        if not self.slug:
            self.slug = unique_slug(self, self.title)
        self.fill_identifiers()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return slug_url("papers:paper-detail", self.slug)

    IDENTIFIER_FIELDS = {"arxiv": "arxiv_id", "doi": "doi", "openreview": "openreview_id"}

    def fill_identifiers(self):
        """The arXiv id, DOI or OpenReview id the paper's link names, where it has none."""
        found = identify(self.paper_url)
        if found and not getattr(self, self.IDENTIFIER_FIELDS[found[0]]):
            setattr(self, self.IDENTIFIER_FIELDS[found[0]], found[1])

    def natural_key(self):
        return (self.slug,)

    natural_key.dependencies = ["papers.conference"]

    def clean(self):
        if self.conference_id and self.year and self.year != self.conference.year:
            raise ValidationError(
                {"year": f"A paper at {self.conference} must have the year {self.conference.year}."}
            )

    def links(self):
        """The paper's links that are set, as (label, url) pairs."""
        return [
            (label, getattr(self, field))
            for field, label in [
                ("paper_url", "Paper"),
                ("code_url", "Code"),
                ("poster_url", "Poster"),
                ("project_url", "Project page"),
                ("video_url", "Video"),
            ]
            if getattr(self, field)
        ]


class AuthorshipManager(models.Manager):
    def get_by_natural_key(self, paper_slug, author_slug):
        return self.get(paper__slug=paper_slug, author__slug=author_slug)


class Authorship(models.Model):
    """An author's place in a paper's author list."""

    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="authorships")
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="authorships")
    position = models.PositiveSmallIntegerField(help_text="1 for the first author.")

    objects = AuthorshipManager()

    class Meta:
        # "paper_id", not "paper": ordering by the relation would join papers for their order.
        ordering = ["paper_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["paper", "author"], name="authorship_author_once"),
            models.UniqueConstraint(fields=["paper", "position"], name="authorship_position_once"),
            models.CheckConstraint(
                condition=models.Q(position__gte=1), name="authorship_position_from_one"
            ),
        ]

    def __str__(self):
        return f"{self.author} ({self.position}) on {self.paper}"

    def natural_key(self):
        return (self.paper.slug, self.author.slug)

    natural_key.dependencies = ["papers.paper", "papers.author"]


class SuppliedEmbedding(models.Model):
    """A paper's vector as its source published it (e.g. Semantic Scholar's SPECTER2
    embeddings), given in an import file. Discovery uses it instead of its own fitted
    vector for the paper's related papers and its conference's map; every vector of a
    model has the same number of dimensions (checked on import)."""

    paper = models.OneToOneField(
        Paper, on_delete=models.CASCADE, primary_key=True, related_name="supplied_embedding"
    )
    model = models.CharField(max_length=100, help_text="The model that made it: specter_v2…")
    dimensions = models.PositiveSmallIntegerField()
    vector = models.BinaryField(help_text="float32, as given.")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(dimensions__gte=2), name="supplied_embedding_dimensions"
            )
        ]

    def __str__(self):
        return f"{self.model} vector of {self.paper_id}"
