"""The full-text index on PostgreSQL: one weighted search vector per paper, pick and guide.

Titles weigh most (A), then authors, why and key insights, standfirsts (B), then TL;DRs
and intros (C). Vectors are stored (GIN-indexed) and refreshed by the signals below
whenever what they are made of changes (after loaddata, by its bulk signals). On SQLite the
same signals keep FTS5 tables instead (`search.fts`).
`manage.py rebuild_search_index` recomputes everything, e.g. after bulk SQL.
"""

from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import SearchVector
from django.db import connection
from django.db.models import OuterRef, Subquery, TextField, Value
from django.db.models.functions import Coalesce
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from guides.models import Guide, Pick
from guides.signals import guides_bulk_changed
from papers.models import Author, Authorship, Paper
from papers.signals import papers_bulk_changed, per_change

from . import fts

CONFIG = "english"


def _vector(*parts):
    """SearchVector of (expression, weight) parts, empty text counting as nothing."""
    vector = None
    for expression, weight in parts:
        text = Coalesce(expression, Value(""), output_field=TextField())
        part = SearchVector(text, weight=weight, config=CONFIG)
        vector = part if vector is None else vector + part
    return vector


def paper_vector(models=None):
    authorship = (models or {}).get("Authorship", Authorship)
    names = (
        authorship.objects.filter(paper=OuterRef("pk"))
        .values("paper")
        .annotate(names=StringAgg("author__name", " "))
        .values("names")
    )
    return _vector(("title", "A"), (Subquery(names), "B"), ("tldr", "C"), ("abstract", "D"))


def pick_vector(models=None):
    paper = (models or {}).get("Paper", Paper)
    title = paper.objects.filter(pk=OuterRef("paper_id")).values("title")
    return _vector((Subquery(title), "A"), ("why", "B"), ("key_insights", "B"))


def guide_vector(models=None):
    return _vector(("title", "A"), ("standfirst", "B"), ("intro", "C"), ("outro", "C"))


def enabled():
    return connection.vendor == "postgresql"


def refresh_papers(queryset):
    if enabled():
        queryset.update(search_vector=paper_vector())
    fts.refresh("paper", queryset)
    refresh_picks(Pick.objects.filter(paper__in=queryset.values("pk")))  # their titles


def refresh_picks(queryset):
    if enabled():
        queryset.update(search_vector=pick_vector())
    fts.refresh("pick", queryset)


def refresh_guides(queryset):
    if enabled():
        queryset.update(search_vector=guide_vector())
    fts.refresh("guide", queryset)


def rebuild(models=None):
    """Every vector (or FTS5 table); `models` are a migration's historical models."""
    models = models or {"Paper": Paper, "Pick": Pick, "Guide": Guide, "Authorship": Authorship}
    if fts.enabled():
        fts.rebuild({"paper": models["Paper"], "pick": models["Pick"], "guide": models["Guide"]})
        return
    models["Paper"].objects.update(search_vector=paper_vector(models))
    models["Pick"].objects.update(search_vector=pick_vector(models))
    models["Guide"].objects.update(search_vector=guide_vector(models))


@receiver(post_delete, sender=Paper)
@receiver(post_delete, sender=Pick)
@receiver(post_delete, sender=Guide)
@per_change
def item_deleted(sender, instance, **kwargs):
    fts.forget(sender._meta.model_name, [instance.pk])


@receiver(post_save, sender=Paper)
@per_change
def paper_saved(sender, instance, **kwargs):
    refresh_papers(Paper.objects.filter(pk=instance.pk))


@receiver(post_save, sender=Authorship)
@receiver(post_delete, sender=Authorship)
@per_change
def authorship_changed(sender, instance, **kwargs):
    refresh_papers(Paper.objects.filter(pk=instance.paper_id))


@receiver(post_save, sender=Author)
@per_change
def author_saved(sender, instance, created, **kwargs):
    if not created:  # a rename: every paper of theirs reads differently
        refresh_papers(Paper.objects.filter(authorships__author=instance))


@receiver(post_save, sender=Pick)
@per_change
def pick_saved(sender, instance, **kwargs):
    refresh_picks(Pick.objects.filter(pk=instance.pk))


@receiver(post_save, sender=Guide)
@per_change
def guide_saved(sender, instance, **kwargs):
    refresh_guides(Guide.objects.filter(pk=instance.pk))


@receiver(papers_bulk_changed)
def papers_imported(sender, ids, **kwargs):
    refresh_papers(Paper.objects.all() if ids is None else Paper.objects.filter(pk__in=ids))


@receiver(guides_bulk_changed)
def guides_changed(sender, ids, **kwargs):
    guides = Guide.objects.all() if ids is None else Guide.objects.filter(pk__in=ids)
    refresh_guides(guides)
    # Their picks too: bulk inserts, or a draft's picks moved into its guide.
    refresh_picks(Pick.objects.all() if ids is None else Pick.objects.filter(guide_id__in=ids))
