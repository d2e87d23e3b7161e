"""Guide articles rendered once and stored, so a guide page costs one query.

The article is the guide page between the site's header and footer: the guide's
header, intro, webinars, contents, sections with their pick cards (website.pick_cards),
topics and references, with footnotes linked. Its JSON-LD facts are stored beside it.

Every change that could alter an article empties it and moves the guide's
`article_generation` (`forget_articles`, from the signals below and `pick_cards.clear`);
the next view renders and stores it again. A rendering stores
itself only if the generation it started from is still current, in one statement
that waits for an editor's open transaction: what an editor changes while a reader is
rendering is never hidden behind an older article.
"""

from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch, Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver
from django.template.loader import render_to_string

from discovery.related import more_like
from guides.models import (
    EmbeddedImage,
    Figure,
    FigurePlace,
    Guide,
    Pick,
    Reference,
    Section,
    TaggedGuide,
    Webinar,
)
from guides.rendering import FootnoteLinker, images_for
from guides.signals import guides_bulk_changed
from images.models import Image
from images.renditions import SIZES
from papers.models import Conference, Series, Tag
from papers.signals import per_change

from . import cache_tags
from .pick_cards import render_stale_cards
from .stored_html import forget_articles
from .structured_data import article


def stored_article(guide):
    """(HTML, JSON-LD facts without the page's address) of a public `guide`."""
    if not guide.article_html:
        generation = guide.article_generation
        with cache_tags.not_collecting():
            guide.article_html, guide.article_ld, cards = render_article(guide)
        with transaction.atomic():
            current = Guide.objects.filter(pk=guide.pk, article_generation=generation)
            if current.update(article_html=guide.article_html, article_ld=guide.article_ld):
                Pick.objects.bulk_update(cards, ["card_html"])
    return guide.article_html, guide.article_ld


def render_article(guide, preview=False):
    """(HTML, JSON-LD facts, the picks whose cards were rendered afresh) of `guide`."""
    guide = (
        Guide.objects.select_related("conference__series")
        .prefetch_related(
            "bylines",
            "tags",
            "sections",
            Prefetch("references", queryset=Reference.objects.select_related("paper")),
            Prefetch("webinars", queryset=Webinar.objects.order_by("starts_on")),
            Prefetch(
                "figures",
                queryset=Figure.objects.for_display().exclude(place=FigurePlace.PICK),
                to_attr="guide_figures",
            ),
        )
        .get(pk=guide.pk)
    )
    guide.cover = next((f for f in guide.guide_figures if f.place == FigurePlace.COVER), None)
    guide.intro_figures = [f for f in guide.guide_figures if f.place == FigurePlace.INTRO]
    picks = list(
        guide.picks.select_related("paper").only(
            "guide", "rank", "section", "card_html", "paper__title"
        )
    )
    fresh = render_stale_cards(picks)
    guide.more_like = more_like([pick.paper_id for pick in picks])
    groups = picks_by_section(guide, picks)
    # Render in page order, so the first citation of each reference gets its anchor.
    images = images_for(guide.intro, guide.outro, *(s.intro for s in guide.sections.all()))
    render = FootnoteLinker((ref.number for ref in guide.references.all()), images=images)
    guide.intro_html = render(guide.intro)
    for section, section_picks in groups:
        if section:
            section.intro_html = render(section.intro)
        for pick in section_picks:
            pick.card = render.link(pick.card_html)
    guide.outro_html = render(guide.outro)
    html = render_to_string(
        "guides/_article.html",
        {"guide": guide, "groups": groups, "preview": preview, "sizes": SIZES},
    )
    # The address is left relative: the page makes it absolute for the host it serves.
    return html, article(guide, absolute_url=str), fresh


def picks_by_section(guide, picks):
    """[(section or None, picks)] in reading order: picks outside any section first,
    then every section in its order, with its picks by rank (or none: an overview)."""
    grouped = defaultdict(list)
    for pick in picks:
        grouped[pick.section_id].append(pick)
    groups = [(None, grouped[None])] if grouped[None] else []
    return groups + [(section, grouped[section.pk]) for section in guide.sections.all()]


# --- what empties an article (pick_cards.clear empties those of the cards it empties) --


@receiver(post_save, sender=Guide)
@per_change
def guide_saved(sender, instance, **kwargs):
    forget_articles(Guide.objects.filter(pk=instance.pk))


@per_change
def _guide_part_changed(sender, instance, **kwargs):
    """A section, pick, reference, webinar or topic link, before it is saved or after it
    is deleted: its guide, and the guide it belonged to (it may be moving)."""
    field = "content_object_id" if sender is TaggedGuide else "guide_id"
    saved = sender.objects.filter(pk=instance.pk) if instance.pk else sender.objects.none()
    guide_ids = {getattr(instance, field), *saved.values_list(field, flat=True)}
    forget_articles(Guide.objects.filter(pk__in=guide_ids - {None}))


for part in (Section, Pick, Reference, Webinar, TaggedGuide, Figure):
    pre_save.connect(_guide_part_changed, sender=part, dispatch_uid=f"article-save-{part}")
    post_delete.connect(_guide_part_changed, sender=part, dispatch_uid=f"article-del-{part}")


@receiver(m2m_changed, sender=Guide.bylines.through)
@per_change
def bylines_changed(sender, instance, pk_set, **kwargs):
    if isinstance(instance, Guide):
        forget_articles(Guide.objects.filter(pk=instance.pk))
    else:  # changed from the user's side
        forget_articles(Guide.objects.filter(pk__in=pk_set or ()))


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
@per_change
def byline_changed(sender, instance, created, **kwargs):
    if not created:
        forget_articles(Guide.objects.filter(bylines=instance))


@receiver(post_save, sender=Conference)
@receiver(post_save, sender=Series)
@per_change
def conference_changed(sender, instance, created, **kwargs):
    if not created:  # its name and figures head the article
        field = "conference" if sender is Conference else "conference__series"
        forget_articles(Guide.objects.filter(**{field: instance}))


@receiver(post_save, sender=Tag)
@per_change
def topic_renamed(sender, instance, created, **kwargs):
    if not created:
        forget_articles(Guide.objects.filter(tags=instance))


@receiver(post_save, sender=Image)
@per_change
def image_changed(sender, instance, created, **kwargs):
    if not created:  # its cover, intro figures and images inside the text
        figures = Figure.objects.filter(image=instance).values("guide_id")
        embeds = EmbeddedImage.objects.filter(image=instance).values("guide_id")
        forget_articles(Guide.objects.filter(Q(pk__in=figures) | Q(pk__in=embeds)))


@receiver(guides_bulk_changed)
def guides_rewritten(sender, ids, **kwargs):
    forget_articles(Guide.objects.all() if ids is None else Guide.objects.filter(pk__in=ids))
