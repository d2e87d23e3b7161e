"""Forgetting stored renderings: guide articles (website.guide_articles) and paper
cards (website.paper_cards).

Forgetting empties the stored HTML and moves its generation in the same statement, so
a rendering that began before the change (and read the old generation) is never
stored afterwards: each stores itself only if its generation is still current.
"""

from django.db.models import F


def forget_articles(guides):
    """Empty the stored articles of the `guides` queryset."""
    return guides.update(
        article_html="", article_ld=None, article_generation=F("article_generation") + 1
    )


def forget_paper_cards(papers):
    """Empty the stored list items of the `papers` queryset."""
    return papers.update(card_html="", card_generation=F("card_generation") + 1)
