"""Forgetting stored renderings: guide articles (website.guide_articles) and paper
cards (website.paper_cards).

Forgetting empties the stored HTML and moves its generation in the same statement, so
a rendering that began before the change (and read the old generation) is never
stored afterwards: each stores itself only if its generation is still current. The
pages showing them become stale with them (their cache tags, website.cache_tags).
"""

from django.db.models import F

from . import cache_tags
from .page_cache import invalidate


def forget_articles(guides):
    """Empty the stored articles of the `guides` queryset."""
    _invalidate("guide", guides)
    return guides.update(
        article_html="", article_ld=None, article_generation=F("article_generation") + 1
    )


def forget_paper_cards(papers):
    """Empty the stored list items of the `papers` queryset."""
    _invalidate("paper", papers)
    return papers.update(card_html="", card_generation=F("card_generation") + 1)


def _invalidate(kind, objects):
    ids = objects.values_list("pk", flat=True)[: cache_tags.MAX_CHANGED + 1]
    if ids := list(ids):
        invalidate(cache_tags.of(kind, *ids))
