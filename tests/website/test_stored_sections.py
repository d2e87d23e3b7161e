"""Sections stored whole (website.stored_sections): the latest picks of a topic and of a
conference, served as stored until anything they show changes, and on time for a
scheduled guide; the numbers of papers and authors, until they change; the webinar
lists, for a day; feeds, per address; a paper's related papers, until one they show
changes."""

import datetime as dt
import re

import feedparser
import pytest
import time_machine
from bs4 import BeautifulSoup
from django.test import override_settings

from discovery.fitting import fit_catalogue
from discovery.related import related_papers
from guides.models import Guide, Pick, Webinar
from papers.models import Author, Conference, Paper
from papers.signals import papers_bulk_changed
from tests.factories import GuideFactory, PaperFactory, WebinarFactory
from website.models import StoredSection
from website.sitemaps import AuthorSitemap

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seed")]

MARK = '<section><h2 id="picks-title">Picks</h2><p id="stored">as stored</p></section>'


def picks_section(client, url):
    response = client.get(url)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    return soup.find(id="picks-title").find_parent("section")


def latest_pick_on_a_topic():
    pick = (
        Pick.objects.public()
        .exclude(why="")
        .filter(paper__tags__isnull=False)
        .order_by("-guide__published_at", "rank")
        .select_related("paper", "guide")[0]
    )
    return pick, pick.paper.tags.order_by("paper_count").first()


@override_settings(PAGE_CACHE=False)
def test_a_topics_picks_are_stored_and_rendered_again_after_an_edit(client):
    pick, topic = latest_pick_on_a_topic()
    url = topic.get_absolute_url()
    assert pick.paper.title in picks_section(client, url).text
    stored = StoredSection.objects.get(key=f"topic-sections-{topic.pk}")
    assert pick.paper.title in stored.html
    StoredSection.objects.filter(pk=stored.pk).update(html=MARK)
    assert picks_section(client, url).find(id="stored")  # served as stored
    pick.why = "Edited *today*."
    pick.save()
    section = picks_section(client, url)
    assert section.find(id="stored") is None
    assert "Edited today." in section.text and section.find("em").text == "today"


@override_settings(PAGE_CACHE=False)
def test_stored_sections_check_their_stamps_as_read_at_the_pages_revision(client):
    """A conference page's map and picks, served as stored, read no stamps of their
    own once this process has read them at the current site revision; after a change
    they are read again."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    conference = Conference.objects.get(slug="neurips-2021")

    def stamps_read():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(conference.get_absolute_url()).status_code == 200
        return sum("website_cachetag" in query["sql"] for query in queries)

    stamps_read()  # renders and stores the sections
    assert stamps_read() == 0
    PaperFactory(conference=conference, title="A paper added since")
    assert stamps_read() > 0


@override_settings(PAGE_CACHE=False)
def test_a_topic_at_one_conference_is_rendered_for_it_and_stores_nothing(client):
    pick, topic = latest_pick_on_a_topic()
    url = topic.get_absolute_url()
    client.get(url)
    StoredSection.objects.filter(key=f"topic-sections-{topic.pk}").update(html=MARK)
    conference = pick.guide.conference
    at = picks_section(client, f"{url}?conference={conference.slug}")
    assert at.find(id="stored") is None and pick.paper.title in at.text
    theirs = {g.get_absolute_url() for g in Guide.objects.filter(conference=conference)}
    links = [a["href"].partition("#")[0] for a in at.select("article h3 a")]
    assert links and set(links) <= theirs
    assert StoredSection.objects.get(key=f"topic-sections-{topic.pk}").html == MARK


@override_settings(PAGE_CACHE=False)
def test_a_conferences_picks_show_an_authors_new_name_at_once(client):
    guide = Guide.objects.public().filter(conference__slug="neurips-2021").first()
    url = guide.conference.get_absolute_url()
    pick = guide.picks.select_related("paper").order_by("rank").first()
    assert pick.paper.title in picks_section(client, url).text
    assert StoredSection.objects.filter(key=f"conference-sections-{guide.conference_id}").exists()
    author = Author.objects.filter(authorships__paper=pick.paper).first()
    author.name = "Ada Renamed-Lovelace"
    author.save()  # its papers' cards are forgotten; the section is rendered again
    assert "Ada Renamed-Lovelace" in picks_section(client, url).text


@override_settings(PAGE_CACHE=False)
def test_a_scheduled_guide_and_its_picks_join_the_topic_page_when_its_time_comes(client):
    pick, topic = latest_pick_on_a_topic()
    guide = pick.guide
    url = topic.get_absolute_url()
    guide.published_at, guide.updated_at = dt.datetime(2031, 3, 1, 9, 0, tzinfo=dt.UTC), None
    guide.save()
    guide.tags.add(topic)  # and its guide is listed on the topic's page, stored with them
    link = f"{guide.get_absolute_url()}#pick-{pick.rank}"

    def guide_listed():
        soup = BeautifulSoup(client.get(url).content, "html.parser")
        heading = soup.find(id="guides-title")
        return bool(heading and heading.find_parent("section").find("a", string=guide.title))

    with time_machine.travel(dt.datetime(2031, 3, 1, 8, 59, tzinfo=dt.UTC), tick=False):
        assert not picks_section(client, url).select(f'a[href="{link}"]')
        assert not guide_listed()
    with time_machine.travel(dt.datetime(2031, 3, 1, 9, 0, 1, tzinfo=dt.UTC), tick=False):
        assert picks_section(client, url).select(f'a[href="{link}"]')
        assert guide_listed()


@override_settings(PAGE_CACHE=False)
def test_the_number_of_papers_is_stored_until_papers_change(client):
    def count_shown(url="/papers/"):
        response = client.get(url)
        assert response.status_code == 200
        soup = BeautifulSoup(response.content, "html.parser")
        return soup.select_one(".result-count").get_text()

    assert count_shown() == f"{Paper.objects.count()} papers"
    StoredSection.objects.filter(key="count-paper").update(html="999")
    assert count_shown() == "999 papers"  # served as stored
    assert count_shown("/papers/?sort=title") == "999 papers"  # a sort filters nothing
    assert count_shown("/papers/?year=2017") == "2 papers"  # filtered: counted
    PaperFactory(title="One more")
    assert count_shown() == f"{Paper.objects.count()} papers"
    # A bulk import announces itself (papers_bulk_changed), not each paper.
    StoredSection.objects.filter(key="count-paper").update(html="999")
    Paper.objects.bulk_create([Paper(title="Imported", slug="imported", year=2024)])
    papers_bulk_changed.send(sender=Paper, ids=None)
    assert count_shown() == f"{Paper.objects.count()} papers"


@override_settings(PAGE_CACHE=False)
def test_the_sitemap_index_numbers_author_pages_from_the_stored_count(client, monkeypatch):
    monkeypatch.setattr(AuthorSitemap, "limit", 10)

    def author_pages():
        response = client.get("/sitemap.xml")
        assert response.status_code == 200
        return len(re.findall(r"sitemap-authors\.xml", response.content.decode()))

    assert author_pages() == -(-Author.objects.count() // 10)
    StoredSection.objects.filter(key="count-author").update(html="95")
    StoredSection.objects.filter(key__startswith="sitemap-index-").delete()  # stored too
    assert author_pages() == 10
    Author.objects.create(name="A New Author")
    assert author_pages() == -(-Author.objects.count() // 10)


@override_settings(PAGE_CACHE=False)
def test_the_home_pages_conferences_are_stored_and_count_a_scheduled_guide_on_time(client):
    def conference_lines():
        response = client.get("/")
        assert response.status_code == 200
        soup = BeautifulSoup(response.content, "html.parser")
        section = soup.find(id="conferences-title").find_parent("section")
        return {" ".join(li.get_text(" ").split()) for li in section("li")}

    assert "NeurIPS 2021 · 1 guide" in conference_lines()
    StoredSection.objects.filter(key="home-conferences").update(
        html='<section><h2 id="conferences-title">C</h2><ul><li>as stored</li></ul></section>'
    )
    assert conference_lines() == {"as stored"}
    GuideFactory(  # a second guide, scheduled
        conference=Conference.objects.get(slug="neurips-2021"),
        published_at=dt.datetime(2031, 3, 1, 9, 0, tzinfo=dt.UTC),
    )
    with time_machine.travel(dt.datetime(2031, 3, 1, 8, 59, tzinfo=dt.UTC), tick=False):
        assert "NeurIPS 2021 · 1 guide" in conference_lines()
    with time_machine.travel(dt.datetime(2031, 3, 1, 9, 0, 1, tzinfo=dt.UTC), tick=False):
        assert "NeurIPS 2021 · 2 guides" in conference_lines()


@override_settings(PAGE_CACHE=False)
def test_the_webinar_lists_are_stored_for_a_day_and_show_an_edit_at_once(client):
    def lists(url="/webinars/"):
        response = client.get(url)
        assert response.status_code == 200
        soup = BeautifulSoup(response.content, "html.parser")
        return {
            title: [a.get_text() for a in soup.select(f"#{title}-title ~ ul li > a")]
            for title in ("upcoming", "past")
        }

    webinar = WebinarFactory(
        conference=Conference.objects.get(slug="neurips-2021"), starts_on=dt.date(2031, 3, 2)
    )
    day_before = dt.datetime(2031, 3, 1, 12, tzinfo=dt.UTC)
    with time_machine.travel(day_before, tick=False):
        assert lists()["upcoming"] == [webinar.title]
        StoredSection.objects.filter(key="webinars-2031-03-01-page-1").update(
            html='<h2 id="upcoming-title">U</h2><ul><li><a>as stored</a></li></ul>'
        )
        assert lists()["upcoming"] == ["as stored"]  # served as stored
        Webinar.objects.filter(pk=webinar.pk).update(title="Renamed")  # no signal: stays
        assert lists()["upcoming"] == ["as stored"]
        webinar.title = "Renamed again"
        webinar.save()
        assert lists()["upcoming"] == ["Renamed again"]
    with time_machine.travel(day_before + dt.timedelta(days=2), tick=False):
        after = lists()  # the next day's lists: the webinar is past, the latest one
        assert after["upcoming"] == [] and after["past"][0] == "Renamed again"
    # Yesterday's lists are dropped when today's are stored.
    assert StoredSection.objects.filter(key__startswith="webinars-").count() == 1


@override_settings(PAGE_CACHE=False, ALLOWED_HOSTS=["testserver", "guides.example.org"])
def test_a_feed_is_stored_per_address_and_shows_a_renamed_byline_at_once(client):
    def entries(host="testserver"):
        response = client.get("/feeds/guides.atom", HTTP_HOST=host)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
        feed = feedparser.parse(response.content)
        assert not feed.bozo, feed.bozo_exception
        return {entry.title: entry for entry in feed.entries}

    guide = Guide.objects.public().filter(bylines__isnull=False).latest("published_at")
    assert guide.title in entries()
    (stored,) = StoredSection.objects.filter(key__startswith="feed-")
    stored.html = stored.html.replace(guide.title, "As stored")
    stored.save()
    assert "As stored" in entries()  # served as stored

    # Another address has its own, with its own links.
    elsewhere = entries("guides.example.org")[guide.title]
    assert elsewhere.link == f"http://guides.example.org{guide.get_absolute_url()}"

    byline = guide.bylines.first()
    byline.display_name = "Freshly Renamed Editor"
    byline.save()
    assert entries()[guide.title].author == "Freshly Renamed Editor"


@override_settings(PAGE_CACHE=False)
def test_the_conference_list_is_stored_and_shows_a_change_at_once(client):
    def card(slug="neurips-2021"):
        response = client.get("/conferences/")
        assert response.status_code == 200
        soup = BeautifulSoup(response.content, "html.parser")
        link = soup.select_one(f'.card h2 a[href="/conferences/{slug}/"]')
        return " ".join(link.find_parent("li").get_text(" ").split()) if link else None

    assert "1 guide" in card()
    StoredSection.objects.filter(key="conference-list").update(html="<p>as stored</p>")
    assert card() is None  # served as stored
    conference = Conference.objects.get(slug="neurips-2021")
    conference.location, conference.is_virtual = "Somewhere Renamed", False
    conference.save()
    assert "Somewhere Renamed" in card()
    GuideFactory(conference=conference)  # a second public guide
    assert "2 guides" in card()


def related_items(client, paper):
    response = client.get(paper.get_absolute_url())
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    return [" ".join(li.get_text(" ").split()) for li in soup.select("ol.related-papers li")]


@override_settings(PAGE_CACHE=False)
def test_a_papers_related_papers_are_stored_until_one_they_show_changes(client):
    fit_catalogue()
    paper = Paper.objects.get(title="Rethinking Attention with Performers")
    shown = [item.paper for item in related_papers(paper)]
    assert [item.split(" · ")[0] for item in related_items(client, paper)] == [
        p.title for p in shown
    ]
    stored = StoredSection.objects.get(key=f"related-{paper.pk}")
    assert {"site", f"paper-{paper.pk}", *(f"paper-{p.pk}" for p in shown)} <= set(stored.tags)
    mark = '<ol class="related-papers"><li>as stored</li></ol>'
    StoredSection.objects.filter(pk=stored.pk).update(html=mark)
    PaperFactory(title="A paper added since")  # in no related list until the next fit
    Paper.objects.exclude(pk__in=[paper.pk, *(p.pk for p in shown)]).first().save()
    assert related_items(client, paper) == ["as stored"]

    shown[-1].title = "A related paper, renamed"
    shown[-1].save()
    assert related_items(client, paper)[-1].startswith("A related paper, renamed ·")


@override_settings(PAGE_CACHE=False)
def test_a_topic_renamed_shows_in_why_a_paper_is_related(client):
    fit_catalogue()
    paper = Paper.objects.get(title="Rethinking Attention with Performers")
    why = [item.reason for item in related_papers(paper)]
    shared = next(reason for reason in why if reason.startswith("Also about "))
    name = shared.removeprefix("Also about ").split(", ")[0]
    assert any(f"· {shared}" in item for item in related_items(client, paper))
    topic = paper.tags.get(name=name)
    topic.name = "Renamed topic"
    topic.save()
    assert any("Also about " in i and "Renamed topic" in i for i in related_items(client, paper))


@override_settings(PAGE_CACHE=False, ALLOWED_HOSTS=["testserver", "mirror.example.org"])
def test_the_sitemap_index_is_stored_per_address_until_what_it_lists_changes(client):
    def index(host="testserver"):
        response = client.get("/sitemap.xml", HTTP_HOST=host)
        assert response.status_code == 200 and response["Content-Type"] == "application/xml"
        assert response["X-Robots-Tag"] == "noindex, noodp, noarchive"
        return response.content.decode()

    assert "<loc>http://testserver/sitemap-papers.xml</loc>" in index()
    assert "<loc>http://mirror.example.org/sitemap-papers.xml</loc>" in index("mirror.example.org")
    assert "testserver" not in index("mirror.example.org")
    StoredSection.objects.filter(key__startswith="sitemap-index-").update(html="<as-stored/>")
    assert index() == "<as-stored/>"
    guide = Guide.objects.public().order_by("-published_at").first()
    guide.updated_at = dt.datetime(2030, 1, 2, 3, 4, tzinfo=dt.UTC)
    with time_machine.travel(dt.datetime(2030, 1, 3, tzinfo=dt.UTC)):
        guide.save()
        assert "<lastmod>2030-01-02T03:04:00+00:00</lastmod>" in index()


@override_settings(PAGE_CACHE=False)
def test_a_conferences_guides_webinars_and_most_cited_show_an_edit_at_once(client):
    conference = Conference.objects.get(slug="neurips-2021")
    url = conference.get_absolute_url()

    def listed(heading):
        soup = BeautifulSoup(client.get(url).content, "html.parser")
        section = soup.find(id=heading).find_parent("section")
        return [" ".join(li.get_text(" ").split()) for li in section("li")]

    assert listed("guides-title") == [
        "NeurIPS 2021 — 10 papers you shouldn't miss · 1 December 2021"
    ]
    assert StoredSection.objects.filter(key=f"conference-sections-{conference.pk}").exists()
    GuideFactory(conference=conference, title="A second guide to NeurIPS 2021")
    assert "A second guide to NeurIPS 2021" in " ".join(listed("guides-title"))
    WebinarFactory(conference=conference, title="A new webinar", starts_on=dt.date(2031, 3, 2))
    assert any("A new webinar" in line for line in listed("webinars-title"))
    PaperFactory(
        conference=conference,
        title="Cited the most",
        citation_count=10**6,
        citations_counted_on=dt.date(2026, 1, 1),
    )
    assert listed("cited-title")[0].startswith("Cited the most")


@override_settings(PAGE_CACHE=False)
def test_the_topic_list_is_stored_until_a_topic_or_a_guide_changes(client):
    def topics():
        soup = BeautifulSoup(client.get("/tags/").content, "html.parser")
        items = soup.select(".tag-cloud li a")
        return {a.get_text(): " ".join(a.parent.get_text(" ").split()) for a in items}

    assert "Generative AI" in topics()
    StoredSection.objects.filter(key="topic-list").update(html='<p id="stored">as stored</p>')
    assert topics() == {}  # served as stored
    PaperFactory(title="A tagged paper").tags.add("A brand-new topic")
    assert topics()["A brand-new topic"] == "A brand-new topic 1 paper"
    guide = GuideFactory(conference=Conference.objects.get(slug="neurips-2021"))
    guide.tags.add("A brand-new topic")
    assert topics()["A brand-new topic"] == "A brand-new topic 1 paper, 1 guide"
    Paper.objects.get(title="A tagged paper").delete()
    assert topics()["A brand-new topic"] == "A brand-new topic 0 papers, 1 guide"
