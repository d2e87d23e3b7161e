"""Pick cards rendered once and stored, so a guide page does not re-render its picks.

A card is `guides/_pick.html` for one pick: its paper, authors, links, TL;DR, why and
key insights (Markdown already sanitized), related papers and topics. Footnote markers
stay as `[^n]` in the stored HTML; the guide page links them, because which marker
comes first depends on the page. Any change that could alter a card empties it, and
the stored articles of its guide (the signals below); the next page view renders and
stores both again (website.guide_articles).
"""

from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver
from django.template.loader import render_to_string

from discovery.related import related_for
from discovery.signals import embeddings_fitted
from guides.models import EmbeddedImage, Figure, Guide, Pick
from guides.rendering import images_for, sanitized_markdown
from images.models import Image
from images.renditions import SIZES
from papers.models import Author, Authorship, Paper, Tag, TaggedPaper
from papers.signals import papers_bulk_changed, per_change

from . import cache_tags
from .stored_html import forget_articles


def render_card(pick, images):
    """The card of a pick fetched with `Pick.objects.for_display()`; `images` are the
    library images its texts show ({key: Image}, see `images_for`)."""
    return render_to_string(
        "guides/_pick.html",
        {
            "pick": pick,
            "why_html": sanitized_markdown(pick.why, images),
            "key_insights_html": sanitized_markdown(pick.key_insights, images),
            "sizes": SIZES,
        },
    )


def render_stale_cards(picks):
    """Give the picks of `picks` (a list) whose card is stale a fresh `card_html`;
    returns those picks, for the caller to store."""
    stale = {pick.pk: pick for pick in picks if not pick.card_html}
    if not stale:
        return []
    with cache_tags.not_collecting():  # forgetting a card forgets its guide's article
        picks = list(Pick.objects.filter(pk__in=stale).for_display())
        images = images_for(*(text for pick in picks for text in (pick.why, pick.key_insights)))
        similar = related_for([pick.paper_id for pick in picks])
        for pick in picks:
            pick.similar = similar[pick.paper_id]
            stale[pick.pk].card_html = render_card(pick, images)
    return [pick for pick in stale.values() if pick.card_html]


def clear(picks=None):
    """Empty the cards of `picks` (all when None) and the articles of their guides."""
    picks = picks if picks is not None else Pick.objects.all()
    forget_articles(Guide.objects.filter(pk__in=picks.values("guide_id")))
    picks.exclude(card_html="").update(card_html="")


@receiver(embeddings_fitted)
def embeddings_refitted(sender, **kwargs):
    clear()  # every card's similar papers


def picks_showing(paper_ids):
    """The picks of these papers and those listing them as related. The latter are read
    first: with a join or a subquery in the OR, PostgreSQL read every pick (8 ms a
    save of any paper); with ids, it looks both up in indexes."""
    related = Pick.related_papers.through.objects.filter(paper__in=paper_ids)
    listing = set(related.values_list("pick", flat=True))
    return Pick.objects.filter(Q(paper__in=paper_ids) | Q(pk__in=listing))


@receiver(pre_save, sender=Pick)
def pick_changing(sender, instance, update_fields=None, **kwargs):
    # On the row itself, so loaded rows too (a fixture may carry stored HTML).
    instance.card_html = instance.summary_html = ""  # website.pick_summaries
    if update_fields is not None and "card_html" not in update_fields and instance.pk:
        # A partial save skips them.
        Pick.objects.filter(pk=instance.pk).update(card_html="", summary_html="")


@receiver(m2m_changed, sender=Pick.related_papers.through)
@per_change
def related_papers_changed(sender, instance, **kwargs):
    if isinstance(instance, Pick):
        clear(Pick.objects.filter(pk=instance.pk))
    else:  # changed from the paper's side
        clear(picks_showing([instance.pk]))


@receiver(post_save, sender=Paper)
@receiver(post_delete, sender=Paper)
@per_change
def paper_changed(sender, instance, **kwargs):
    clear(picks_showing([instance.pk]))
    # linked from a reference
    forget_articles(Guide.objects.filter(references__paper=instance.pk))


@receiver(post_save, sender=Authorship)
@receiver(post_delete, sender=Authorship)
@receiver(post_save, sender=TaggedPaper)
@receiver(post_delete, sender=TaggedPaper)
@per_change
def paper_part_changed(sender, instance, **kwargs):
    paper_id = getattr(instance, "paper_id", None) or instance.content_object_id
    clear(picks_showing([paper_id]))


@receiver(post_save, sender=Author)
@receiver(post_save, sender=Tag)
@per_change
def name_changed(sender, instance, created, **kwargs):
    """A rename shows on the cards of its papers, and of picks relating them (a similar
    paper's reason names topics the pick's paper has too)."""
    if not created:
        field = "authorships__author" if sender is Author else "tags"
        clear(picks_showing(Paper.objects.filter(**{field: instance}).values("pk")))


@receiver(pre_save, sender=Figure)
@receiver(post_delete, sender=Figure)
@per_change
def figure_changed(sender, instance, **kwargs):
    """A figure under a pick, before it is saved or after it is deleted: the pick it is
    under, and the one it was under (it may be moving)."""
    saved = Figure.objects.filter(pk=instance.pk) if instance.pk else Figure.objects.none()
    pick_ids = {instance.pick_id, *saved.values_list("pick_id", flat=True)} - {None}
    if pick_ids:
        clear(Pick.objects.filter(pk__in=pick_ids))


@receiver(post_save, sender=Image)
@per_change
def image_changed(sender, instance, created, **kwargs):
    """An image's alt text, caption, credit or file shows on the cards that use it."""
    if created:
        return
    figures = Figure.objects.filter(image=instance, pick__isnull=False).values("pick_id")
    embeds = EmbeddedImage.objects.filter(image=instance, pick__isnull=False).values("pick_id")
    clear(Pick.objects.filter(Q(pk__in=figures) | Q(pk__in=embeds)))


@receiver(papers_bulk_changed)
def papers_imported(sender, ids, **kwargs):
    clear(None if ids is None else picks_showing(ids))
