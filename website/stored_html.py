"""Forgetting stored renderings: guide articles (website.guide_articles), guide cards
(website.guide_cards) and paper cards (website.paper_cards).

Forgetting empties the stored HTML and moves its generation in the same statement, so
a rendering that began before the change (and read the old generation) is never
stored afterwards: each stores itself only if its generation is still current. The
pages showing them become stale with them (their cache tags, website.cache_tags).
"""

from django.db.models import Case, F, Q, Value, When
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from . import cache_tags
from .page_cache import invalidate


def forget_articles(guides):
    """Empty the stored articles and cards of the `guides` queryset: a card shows parts
    of the article (title, conference, its number of picks)."""
    _invalidate("guide", guides)
    return guides.update(
        article_html="",
        article_ld=None,
        card_html="",
        article_generation=F("article_generation") + 1,
    )


def forget_guide_cards(guides):
    """Empty the stored cards of the `guides` queryset, not their articles (a card shows
    the number of comments, an article does not)."""
    _invalidate("guide", guides)
    return guides.update(card_html="", article_generation=F("article_generation") + 1)


def forget_paper_cards(papers):
    """Empty the stored list items of the `papers` queryset."""
    _invalidate("paper", papers)
    return papers.update(card_html="", card_generation=F("card_generation") + 1)


def _invalidate(kind, objects):
    ids = objects.values_list("pk", flat=True)[: cache_tags.MAX_CHANGED + 1]
    if ids := list(ids):
        invalidate(cache_tags.of(kind, *ids))


def with_stored_cards(objects, stale_rows, template, generation):
    """`objects` as a list, each with its `card` (its stored `card_html`); the stale ones
    rendered from `stale_rows(ids)` with `template` and stored, each only if its
    `generation` field is still the one it was read with."""
    objects = list(objects)
    stale = {obj.pk: obj for obj in objects if not obj.card_html}
    if stale:
        with cache_tags.not_collecting():  # forgetting a card stamps its object's tag
            for row in stale_rows(stale):
                context = {row._meta.model_name: row}
                stale[row.pk].card_html = render_to_string(template, context)
        _store_cards(type(objects[0]), stale.values(), generation)
    for obj in objects:
        obj.card = mark_safe(obj.card_html)
    return objects


def _store_cards(model, objects, generation):
    current = Q()
    for obj in objects:
        current |= Q(pk=obj.pk, **{generation: getattr(obj, generation)})
    cards = [When(pk=obj.pk, then=Value(obj.card_html)) for obj in objects]
    model._base_manager.filter(current).update(card_html=Case(*cards))
