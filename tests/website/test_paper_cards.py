"""Stored paper cards: lists of papers render from them, and an edit shows at once.

The page cache is off here, so each request reaches the view and shows what the stored
cards hold.
"""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from papers.models import Author, Authorship, Conference, Paper, Tag, TaggedPaper
from tests.factories import PaperFactory
from website.paper_cards import with_cards
from website.stored_html import forget_paper_cards

pytestmark = pytest.mark.usefixtures("seed")

SLUG = "autoregressive-diffusion-models"
# Every list that shows the paper: the browser, its topic, its author, its conference.
LISTS = [
    "/papers/?conference=iclr-2022&sort=title",
    "/tags/generative-ai/?conference=iclr-2022",
    "/authors/emiel-hoogeboom/",
]


@pytest.fixture(autouse=True)
def _page_cache_off():
    with override_settings(PAGE_CACHE=False):
        yield


def paper():
    return Paper.objects.get(slug=SLUG)


def item(client, url):
    """The list item of the paper on the page at `url`, as text."""
    response = client.get(url)
    assert response.status_code == 200, url
    page = BeautifulSoup(response.content, "html.parser")
    link = page.find("a", class_="paper-title", href=f"/papers/{SLUG}/")
    assert link is not None, url
    return " ".join(link.find_parent("li").get_text(" ").split())


def edits():
    """Edits of what a card shows, each with the text the card must show after."""

    def title():
        edited = paper()
        edited.title = "Autoregressive Diffusion, Retitled"
        edited.save()
        return "Autoregressive Diffusion, Retitled"

    def author_rename():
        author = Author.objects.get(slug="ben-poole")
        author.name = "Benjamin Poole"
        author.save()
        return "Benjamin Poole"

    def author_added():
        author = Author.objects.create(name="Newly Added Coauthor", slug="newly-added")
        Authorship.objects.create(paper=paper(), author=author, position=7)
        return "Newly Added Coauthor"

    def topic_added():
        paper().tags.add("Freshly Tagged Topic")
        return "Freshly Tagged Topic"

    def topic_rename():
        tag = Tag.objects.get(slug="generative-ai")
        tag.name = "Generative AI (renamed)"
        tag.save()
        return "Generative AI (renamed)"

    def conference_rename():
        series = Conference.objects.get(slug="iclr-2022").series
        series.short_name = "ICLR-renamed"
        series.save()
        return "ICLR-renamed 2022"

    return [title, author_rename, author_added, topic_added, topic_rename, conference_rename]


@pytest.mark.parametrize("edit", edits(), ids=lambda edit: edit.__name__)
def test_an_edit_shows_at_once_in_every_list(client, edit):
    before = [item(client, url) for url in LISTS]
    assert paper().card_html  # stored

    expected = edit()

    for url, old in zip(LISTS, before, strict=True):
        new = item(client, url)
        assert expected in new and expected not in old, url


def test_the_conference_page_lists_picked_papers_as_cards(client):
    response = client.get("/conferences/neurips-2020/")
    page = BeautifulSoup(response.content, "html.parser")
    items = page.select("#picks-title ~ ol > li.paper-item")
    assert len(items) == 10
    first = " ".join(items[0].get_text(" ").split())
    assert "Pick" in first and "NeurIPS 2020" in first
    assert items[0].select(".authors a")  # the authors, from the stored card


def test_a_list_of_stored_cards_is_one_query(client):
    url = "/papers/?conference=iclr-2022&sort=title"
    client.get(url)  # stores the cards
    with CaptureQueriesContext(connection) as stored:
        again = client.get(url)
    forget_paper_cards(Paper.objects.all())  # every card stale
    with CaptureQueriesContext(connection) as rendering:
        fresh = client.get(url)
    assert fresh.content == again.content
    assert len(rendering) > len(stored)
    cards = [q["sql"] for q in stored.captured_queries if "card_html" in q["sql"]]
    assert len(cards) == 1 and "authorship" not in " ".join(cards).lower()


def test_a_rendering_that_began_before_an_edit_is_not_stored():
    forget_paper_cards(Paper.objects.filter(slug=SLUG))
    reader_copy = Paper.objects.for_cards().get(slug=SLUG)  # a reader's list read it...
    edited = paper()
    edited.title = "Edited While Rendering"
    edited.save()  # ...an editor saved...
    [shown] = with_cards([reader_copy])  # ...then the reader rendered
    assert shown.card
    assert paper().card_html == ""  # not stored: the next list renders afresh
    [again] = with_cards(Paper.objects.for_cards().filter(slug=SLUG))
    assert "Edited While Rendering" in again.card and paper().card_html == again.card_html


def test_a_tag_page_counts_its_papers_without_or_with_a_conference(client):
    tag = Tag.objects.get(slug="ai-for-science")
    everywhere = TaggedPaper.objects.filter(tag=tag).count()
    at_neurips = Paper.objects.filter(tags=tag, conference__slug="neurips-2023").count()
    assert everywhere != at_neurips

    def count(url):
        page = BeautifulSoup(client.get(url).content, "html.parser")
        return page.select_one("#papers-title ~ .result-count").get_text()

    assert count("/tags/ai-for-science/") == f"{everywhere} papers"
    assert count("/tags/ai-for-science/?page=1") == f"{everywhere} papers"
    assert count("/tags/ai-for-science/?conference=neurips-2023") == f"{at_neurips} papers"
    assert client.get("/tags/ai-for-science/?conference=nowhere").status_code == 400


def test_clear_stored_html_empties_every_rendering_after_a_template_change(client):
    import io

    from django.core.management import call_command

    from guides.models import Guide, Pick
    from website.models import StoredSection

    call_command("fit_embeddings", stdout=io.StringIO())
    client.get("/guides/neurips-2020-10-essentials/")
    client.get("/conferences/neurips-2023/")
    client.get("/tags/ai-for-science/")
    client.get("/guides/")
    item(client, LISTS[0])
    assert paper().card_html and Guide.objects.exclude(article_html="").exists()
    assert Guide.objects.exclude(card_html="").exists()
    assert (
        Pick.objects.exclude(summary_html="").exists()
        and StoredSection.objects.filter(key__startswith="conference-map-").exists()
    )
    call_command("clear_stored_html", stdout=io.StringIO())
    assert not Paper.objects.exclude(card_html="").exists()
    assert not Guide.objects.exclude(article_html="").exists()
    assert not Guide.objects.exclude(card_html="").exists()
    assert not Pick.objects.exclude(card_html="").exists()
    assert not Pick.objects.exclude(summary_html="").exists()
    assert not StoredSection.objects.filter(key__startswith="conference-map-").exists()
    assert "Emiel Hoogeboom" in item(client, LISTS[0])  # rendered again


@override_settings(PAGE_CACHE=False)
def test_a_paper_deleted_while_its_page_is_read_is_left_out(client):
    """A page of papers is read as its ids, then its rows: one deleted between the two
    queries is left out, not a 500."""
    gone = PaperFactory(year=2100, title="A paper about to go")  # first, newest first
    deleted = []

    def delete_after_the_ids(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        only_ids = sql.split(" FROM ")[0].removesuffix(' AS "pk"') == 'SELECT "papers_paper"."id"'
        if not deleted and only_ids:
            deleted.append(gone.pk)
            Paper.objects.filter(pk=gone.pk).delete()
        return result

    with connection.execute_wrapper(delete_after_the_ids):
        response = client.get("/papers/")
    assert deleted == [gone.pk]
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert len(soup.select(".paper-item")) == 23
    assert gone.get_absolute_url() not in [a["href"] for a in soup.select(".paper-item a")]
