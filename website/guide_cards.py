"""Guide list items rendered once and stored, so a list of guides is one query.

A card is `guides/_guide_card.html` for one guide: its conference, title, standfirst,
date and numbers of picks and comments. Whatever empties the guide's stored article
empties its card too (`forget_articles`, website.guide_articles); a comment approved,
rejected or deleted empties the card alone. The next list that shows the guide renders
and stores it again, only if the guide's `article_generation` is still the one its
rendering began from.
"""

from django.db.models import OuterRef
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from guides.models import Guide, Pick
from papers.signals import per_change
from readers.models import Comment

from .listing import count_of
from .stored_html import forget_guide_cards, with_stored_cards


def with_cards(guides):
    """`guides` (from `Guide.objects.for_cards()`) as a list, each with its `card`;
    stale cards are rendered and stored."""
    return with_stored_cards(guides, _card_rows, "guides/_guide_card.html", "article_generation")


def _card_rows(ids):
    picks = Pick.objects.filter(guide=OuterRef("pk"))
    return (
        Guide.objects.filter(pk__in=ids)
        .select_related("conference__series")
        .annotate(pick_count=count_of(picks, "guide"))
    )


@receiver(post_save, sender=Comment)
@receiver(post_delete, sender=Comment)
@per_change
def comment_changed(sender, instance, **kwargs):
    # After readers' receivers have counted it again: readers' app is readier first.
    forget_guide_cards(Guide.objects.filter(pk=instance.guide_id))  # its count
