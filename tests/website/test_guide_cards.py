"""Stored guide cards: the home page and the guide list render from them, and an edit
shows at once.

The page cache is off here, so each request reaches the view and shows what the stored
cards hold.
"""

import datetime as dt

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from guides.models import Guide, Pick
from readers.models import Comment, CommentStatus
from readers.moderation import moderate
from tests.factories import ConferenceFactory, GuideFactory, PickFactory, SeriesFactory
from website.guide_cards import with_cards
from website.stored_html import forget_articles

pytestmark = pytest.mark.usefixtures("seed")

# Every list that shows a guide as a card.
LISTS = ["/", "/guides/"]


@pytest.fixture(autouse=True)
def _page_cache_off():
    with override_settings(PAGE_CACHE=False):
        yield


@pytest.fixture
def guide():
    """The newest guide, first on every list, with two picks."""
    conference = ConferenceFactory(series=SeriesFactory(slug="cardconf", short_name="CardConf"))
    guide = GuideFactory(conference=conference, title="A guide on cards", standfirst="Short.")
    PickFactory.create_batch(2, guide=guide)
    return guide


def card(client, url, guide):
    """The card of `guide` on the page at `url`, as text."""
    response = client.get(url)
    assert response.status_code == 200, url
    page = BeautifulSoup(response.content, "html.parser")
    link = page.find("a", href=f"/guides/{guide.slug}/", string=True)
    assert link is not None, url
    return " ".join(link.find_parent("li", class_="card").get_text(" ").split())


def edits():
    """Edits of what a card shows, each with the text the card must show after."""

    def title(guide):
        guide.title = "A guide, retitled"
        guide.save()
        return "A guide, retitled"

    def standfirst(guide):
        guide.standfirst = "A new standfirst."
        guide.save()
        return "A new standfirst."

    def pick_added(guide):
        PickFactory(guide=guide)
        return "3 picks"

    def pick_deleted(guide):
        Pick.objects.filter(guide=guide).first().delete()
        return "1 pick"

    def comment_approved(guide):
        held = Comment.objects.create(guide=guide, name="A", email="a@example.org", body="Hi")
        moderate(Comment.objects.filter(pk=held.pk), CommentStatus.APPROVED)
        return "1 comment"

    def series_renamed(guide):
        series = guide.conference.series
        series.short_name = "CardConf-renamed"
        series.save()
        return f"CardConf-renamed {guide.conference.year}"

    return [title, standfirst, pick_added, pick_deleted, comment_approved, series_renamed]


@pytest.mark.parametrize("edit", edits(), ids=lambda edit: edit.__name__)
def test_an_edit_shows_at_once_on_every_list(client, guide, edit):
    before = [card(client, url, guide) for url in LISTS]
    assert Guide.objects.get(pk=guide.pk).card_html  # stored
    assert "2 picks" in before[0]

    expected = edit(guide)

    for url, old in zip(LISTS, before, strict=True):
        new = card(client, url, guide)
        assert expected in new and expected not in old, url


def test_a_list_of_stored_cards_is_one_query(client, guide):
    client.get("/guides/")  # stores the cards
    with CaptureQueriesContext(connection) as stored:
        again = client.get("/guides/")
    forget_articles(Guide.objects.all())  # every card stale
    with CaptureQueriesContext(connection) as rendering:
        fresh = client.get("/guides/")
    assert fresh.content == again.content
    assert len(rendering) > len(stored)
    guide_queries = [q["sql"] for q in stored.captured_queries if '"guides_guide"' in q["sql"]]
    # The cards, and no COUNT: the number of public guides is stored.
    assert len(guide_queries) == 1 and "card_html" in guide_queries[0], guide_queries


def test_a_rendering_that_began_before_an_edit_is_not_stored(guide):
    forget_articles(Guide.objects.filter(pk=guide.pk))
    reader_copy = Guide.objects.for_cards().get(pk=guide.pk)  # a reader's list read it...
    guide.title = "Edited While Rendering"
    guide.save()  # ...an editor saved...
    [shown] = with_cards([reader_copy])  # ...then the reader rendered
    assert shown.card
    assert Guide.objects.get(pk=guide.pk).card_html == ""  # not stored
    [again] = with_cards(Guide.objects.for_cards().filter(pk=guide.pk))
    assert "Edited While Rendering" in again.card
    assert Guide.objects.get(pk=guide.pk).card_html == again.card_html


def test_the_guide_list_counts_a_scheduled_guide_on_time(client, guide):
    def count_and_titles(url="/guides/"):
        response = client.get(url)
        assert response.status_code == 200
        soup = BeautifulSoup(response.content, "html.parser")
        pages = soup.select_one(".pagination")
        titles = [h.get_text(strip=True) for h in soup.select(".cards h3")]
        return (pages.get_text(" ", strip=True) if pages else ""), titles

    # Twelve public guides, one page; the scheduled one makes a second page.
    GuideFactory.create_batch(12 - Guide.objects.public().count(), conference=guide.conference)
    GuideFactory(
        title="Scheduled for later",
        conference=guide.conference,
        published_at=dt.datetime(2031, 3, 1, 9, 0, tzinfo=dt.UTC),
    )
    with time_machine.travel(dt.datetime(2031, 3, 1, 8, 59, tzinfo=dt.UTC), tick=False):
        pages, titles = count_and_titles()
        assert "Scheduled for later" not in titles and pages == ""  # one page
    with time_machine.travel(dt.datetime(2031, 3, 1, 9, 0, 1, tzinfo=dt.UTC), tick=False):
        pages, titles = count_and_titles()
        assert titles[0] == "Scheduled for later" and "Page 1 of 2" in pages
        assert count_and_titles("/guides/?page=2")[1]  # the oldest, on page 2
        # Filtered, the list is counted as it is: the series' guides alone.
        in_series = Guide.objects.public().filter(conference=guide.conference)
        assert 1 < in_series.count() <= 12
        pages, titles = count_and_titles(f"/guides/?series={guide.conference.series.slug}")
        assert pages == "" and titles[0] == "Scheduled for later"
        assert sorted(titles) == sorted(in_series.values_list("title", flat=True))
