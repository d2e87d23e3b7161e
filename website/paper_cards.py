"""Paper list items rendered once and stored, so a list of papers is one query.

A card is `papers/_paper_card.html` for one paper: its title, authors in order,
conference and topics. Every change that could alter a card empties it and moves the
paper's `card_generation` (`forget_paper_cards`, from the signals below); the next
list that shows the paper renders and stores it again. Cards are stored in one
statement, each only if its generation is still the one its rendering began from, so
an edit made while a reader renders is never hidden behind an older card.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from papers.models import Author, Authorship, Conference, Paper, Series, Tag, TaggedPaper
from papers.signals import papers_bulk_changed, per_change

from .stored_html import forget_paper_cards, with_stored_cards


def with_cards(papers):
    """`papers` (from `Paper.objects.for_cards()`) as a list, each with its `card`;
    stale cards are rendered and stored."""
    return with_stored_cards(
        papers,
        lambda ids: Paper.objects.filter(pk__in=ids).with_authors(),
        "papers/_paper_card.html",
        "card_generation",
    )


def page_with_cards(page):
    """The papers of `page` (a slice of `Paper.objects.for_cards()`) with their cards, read
    in two queries: their ids, in the page's order, then their rows. Ordered newest
    first, a topic's papers are found by walking the papers' index until a page of them
    is tagged; reading ids only, PostgreSQL reads the index alone, not the row of every
    paper it passes ("transformers" at 50,000 papers: 8 ms, then 2)."""
    ids = list(page.values_list("pk", flat=True))
    rows = Paper.objects.for_cards().in_bulk(ids)
    return with_cards(rows[pk] for pk in ids if pk in rows)  # not one deleted meanwhile


@receiver(post_save, sender=Paper)
@per_change
def paper_saved(sender, instance, **kwargs):
    forget_paper_cards(Paper.objects.filter(pk=instance.pk))


@receiver(post_save, sender=Authorship)
@receiver(post_delete, sender=Authorship)
@receiver(post_save, sender=TaggedPaper)
@receiver(post_delete, sender=TaggedPaper)
@per_change
def paper_part_changed(sender, instance, **kwargs):
    paper_id = instance.paper_id if sender is Authorship else instance.content_object_id
    forget_paper_cards(Paper.objects.filter(pk=paper_id))


@receiver(post_save, sender=Author)
@per_change
def author_renamed(sender, instance, created, **kwargs):
    if not created:
        forget_paper_cards(Paper.objects.filter(authorships__author=instance))


@receiver(post_save, sender=Tag)
@per_change
def topic_renamed(sender, instance, created, **kwargs):
    if not created:
        forget_paper_cards(Paper.objects.filter(tags=instance))


@receiver(post_save, sender=Conference)
@receiver(post_save, sender=Series)
@per_change
def conference_renamed(sender, instance, created, **kwargs):
    if not created:
        field = "conference" if sender is Conference else "conference__series"
        forget_paper_cards(Paper.objects.filter(**{field: instance}))


@receiver(papers_bulk_changed)
def papers_imported(sender, ids, **kwargs):
    forget_paper_cards(Paper.objects.all() if ids is None else Paper.objects.filter(pk__in=ids))
