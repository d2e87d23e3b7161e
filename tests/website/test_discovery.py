"""Feeds, calendars, sitemap, structured data and citations, read back with real parsers."""

import datetime as dt
import json
import zoneinfo
from xml.etree import ElementTree

import bibtexparser
import feedparser
import icalendar
import pytest
from bs4 import BeautifulSoup
from django.contrib.sitemaps import views as sitemap_views
from django.template.loader import render_to_string
from lxml import etree

from guides.models import Guide, Status, Webinar
from papers.models import Author, Paper
from tests.factories import WebinarFactory
from website.sitemaps import SITEMAPS, PaperSitemap

pytestmark = pytest.mark.django_db

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def parse_feed(client, url):
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    return feed


@pytest.mark.parametrize("url", ["/feeds/guides.atom", "/feeds/guides.rss"])
def test_feeds_list_public_guides_newest_first(seed, client, url):
    Guide.objects.filter(slug="iclr-2021-10-papers").update(status=Status.DRAFT)
    feed = parse_feed(client, url)
    public = list(Guide.objects.public().order_by("-published_at"))
    assert [e.title for e in feed.entries] == [g.title for g in public]
    assert [e.link for e in feed.entries] == [
        f"http://testserver{g.get_absolute_url()}" for g in public
    ]
    first = feed.entries[0]
    published = dt.datetime(*first.published_parsed[:6], tzinfo=dt.UTC)
    assert published == public[0].published_at.replace(microsecond=0)
    assert "ICLR 2021 — 10 papers you shouldn't miss" not in [e.title for e in feed.entries]


def test_feed_updated_date_follows_the_guide(seed, client):
    entry = next(
        e for e in parse_feed(client, "/feeds/guides.atom").entries if "NeurIPS 2021" in e.title
    )
    assert dt.datetime(*entry.updated_parsed[:6], tzinfo=dt.UTC) == dt.datetime(
        2021, 12, 6, 12, tzinfo=dt.UTC
    )


def test_conference_and_tag_feeds(seed, client):
    feed = parse_feed(client, "/feeds/conferences/neurips-2021.atom")
    assert [e.title for e in feed.entries] == ["NeurIPS 2021 — 10 papers you shouldn't miss"]
    assert feed.feed.title == "Guides to NeurIPS 2021"
    guide = Guide.objects.get(slug="iclr-2022-10-papers")
    tag = guide.tags.first()
    tagged = parse_feed(client, f"/feeds/tags/{tag.slug}.rss")
    assert guide.title in [e.title for e in tagged.entries]
    assert client.get("/feeds/tags/no-such-topic.atom").status_code == 404


def test_pages_announce_their_feeds(seed, client):
    def alternates(url):
        soup = BeautifulSoup(client.get(url).content, "html.parser")
        return [link["href"] for link in soup.select('link[rel="alternate"]')]

    assert "/feeds/guides.atom" in alternates("/")
    assert "/feeds/conferences/neurips-2021.atom" in alternates("/conferences/neurips-2021/")
    assert "/feeds/tags/reinforcement-learning.rss" in alternates("/tags/reinforcement-learning/")


def calendar(client, url):
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def test_the_iclr_2022_webinar_in_a_calendar(seed, client):
    cal = calendar(client, "/webinars/iclr-2022-webinar.ics")
    (event,) = cal.walk("VEVENT")
    start = event.decoded("dtstart")
    assert start == dt.datetime(2022, 4, 25, 13, tzinfo=dt.UTC)
    assert str(start.tzinfo) == "Europe/Amsterdam" and start.hour == 15
    assert event["dtstart"].params["TZID"] == "Europe/Amsterdam"
    assert [tz["tzid"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Amsterdam"]
    assert event["uid"] == "webinar-iclr-2022-webinar@conference-guides"
    assert event.decoded("dtstamp").tzinfo is not None
    assert str(event["url"]) == "http://testserver/webinars/iclr-2022-webinar/"
    assert str(event["summary"]) == "ICLR 2022 webinar"


def starts_as_three_parsers_read_them(content):
    """{summary: start} as icalendar, vobject and ics (ics.py) each read the file."""
    import ics
    import vobject

    text = content.decode()
    by_icalendar = {
        str(e["summary"]): e.decoded("dtstart")
        for e in icalendar.Calendar.from_ical(text).walk("VEVENT")
    }
    by_vobject = {e.summary.value: e.dtstart.value for e in vobject.readOne(text).vevent_list}
    by_ics = {e.name: e.begin.datetime for e in ics.Calendar(text).events}
    return by_icalendar, by_vobject, by_ics


def test_every_parser_reads_the_same_instants(db, client):
    """Summer and winter time, both hemispheres, a zone without summer time, the hour
    after a change: three independent parsers read each start as the same instant.
    (vobject once read ICLR 2022's 15:00 in Amsterdam as 14:00 UTC.)"""
    announced = [
        ("Amsterdam summer", "Europe/Amsterdam", dt.datetime(2022, 4, 25, 15)),
        ("Amsterdam winter", "Europe/Amsterdam", dt.datetime(2021, 12, 3, 16)),
        ("Just after the change", "Europe/Amsterdam", dt.datetime(2022, 3, 27, 3, 30)),
        ("New York", "America/New_York", dt.datetime(2022, 11, 7, 9)),
        ("Sydney summer", "Australia/Sydney", dt.datetime(2023, 1, 15, 18)),
        ("Kolkata", "Asia/Kolkata", dt.datetime(2022, 6, 1, 10)),
    ]
    for title, zone, local in announced:
        WebinarFactory(
            title=title,
            time_zone=zone,
            starts_at=local.replace(tzinfo=zoneinfo.ZoneInfo(zone)),
            starts_on=local.date(),
        )
    expected = {
        title: local.replace(tzinfo=zoneinfo.ZoneInfo(zone)).astimezone(dt.UTC)
        for title, zone, local in announced
    }
    assert expected["Amsterdam summer"] == dt.datetime(2022, 4, 25, 13, tzinfo=dt.UTC)
    # (The module's seed, loaded once for all its tests, adds its own webinars.)
    for parsed in starts_as_three_parsers_read_them(client.get("/webinars.ics").content):
        assert {title: parsed[title].astimezone(dt.UTC) for title in expected} == expected


def test_a_date_only_webinar_is_an_all_day_event(seed, client):
    (event,) = calendar(client, "/webinars/neurips-2021-webinar.ics").walk("VEVENT")
    assert event.decoded("dtstart") == dt.date(2021, 12, 3)
    assert event.decoded("dtend") == dt.date(2021, 12, 4)
    assert event["dtstart"].params.get("VALUE") == "DATE"


def test_all_public_webinars_in_one_calendar(seed, client):
    Guide.objects.filter(slug="neurips-2021-10-papers").update(status=Status.DRAFT)
    events = calendar(client, "/webinars.ics").walk("VEVENT")
    assert [str(e["summary"]) for e in events] == ["ICLR 2022 webinar"]
    assert client.get("/webinars/neurips-2021-webinar.ics").status_code == 404


def test_webinar_page_links_to_calendars(seed, client):
    soup = BeautifulSoup(client.get("/webinars/iclr-2022-webinar/").content, "html.parser")
    links = {
        a.get_text(): a["href"] for a in soup.select('ul[aria-label="Add to your calendar"] a')
    }
    assert links["Add to calendar (.ics)"] == "/webinars/iclr-2022-webinar.ics"
    google = links["Add to Google Calendar"]
    assert (
        "dates=20220425T130000Z%2F20220425T130000Z" in google and "ctz=Europe%2FAmsterdam" in google
    )
    assert soup.select_one("time[data-local-time]")["datetime"] == "2022-04-25T15:00:00+02:00"


def sitemap_entries(client, url, parse):
    """{address: lastmod} of the sitemap at `url`, read with `parse` (bytes → root
    element), and its status and headers."""
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "application/xml"
    root = parse(response.content)
    return {
        url.findtext("s:loc", namespaces=SITEMAP_NS): url.findtext(
            "s:lastmod", namespaces=SITEMAP_NS
        )
        for url in root.findall("s:url", SITEMAP_NS)
    }


def every_sitemap_entry(client, parse):
    """The entries of every sitemap that /sitemap.xml, an index, lists."""
    root = parse(client.get("/sitemap.xml").content)
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"
    pages = [loc.text for loc in root.findall("s:sitemap/s:loc", SITEMAP_NS)]
    assert len(pages) == len(set(pages))
    entries = {}
    for page in pages:
        found = sitemap_entries(client, page.removeprefix("http://testserver"), parse)
        assert found and not set(found) & set(entries), page  # no page empty or repeated
        entries.update(found)
    return entries


@pytest.mark.parametrize("parse", [etree.fromstring, ElementTree.fromstring])
def test_sitemap_lists_public_urls_with_lastmod(seed, client, parse):
    Guide.objects.filter(slug="iclr-2021-10-papers").update(status=Status.DRAFT)
    entries = every_sitemap_entry(client, parse)
    base = "http://testserver"
    for guide in Guide.objects.public():
        changed = (guide.updated_at or guide.published_at).date().isoformat()
        assert entries[base + guide.get_absolute_url()] == changed
    assert entries[base + "/guides/neurips-2021-10-papers/"] == "2021-12-06"
    assert base + "/guides/iclr-2021-10-papers/" not in entries
    assert base + "/webinars/iclr-2022-webinar/" in entries
    assert base + "/conferences/neurips-2021/" in entries
    for paper in Paper.objects.all():
        assert entries[base + paper.get_absolute_url()] is None
    for author in Author.objects.all():
        assert base + author.get_absolute_url() in entries
    assert not [url for url in entries if "/preview/" in url or "/admin/" in url]


def test_the_catalogue_is_listed_in_pages_of_the_sitemap(seed, client, monkeypatch):
    """Every paper is in the sitemap however many there are, a page of them at a time."""
    monkeypatch.setattr(PaperSitemap, "limit", 4)
    papers = list(Paper.objects.order_by("pk"))
    index = etree.fromstring(client.get("/sitemap.xml").content)
    pages = [
        loc.text
        for loc in index.findall("s:sitemap/s:loc", SITEMAP_NS)
        if "/sitemap-papers.xml" in loc.text
    ]
    assert len(pages) == -(-len(papers) // 4) > 2
    assert pages[1] == "http://testserver/sitemap-papers.xml?p=2"
    second = sitemap_entries(client, "/sitemap-papers.xml?p=2", etree.fromstring)
    assert list(second) == [f"http://testserver{p.get_absolute_url()}" for p in papers[4:8]]
    beyond = len(pages) + 1
    for page in [beyond, 0, "x", "²"]:
        assert client.get(f"/sitemap-papers.xml?p={page}").status_code == 404
    assert client.get("/sitemap-drafts.xml").status_code == 404


def test_the_sitemap_index_says_when_guides_last_changed(seed, client):
    index = etree.fromstring(client.get("/sitemap.xml").content)
    lastmods = {
        entry.findtext("s:loc", namespaces=SITEMAP_NS): entry.findtext(
            "s:lastmod", namespaces=SITEMAP_NS
        )
        for entry in index.findall("s:sitemap", SITEMAP_NS)
    }
    latest = max(g.updated_at or g.published_at for g in Guide.objects.public())
    assert lastmods["http://testserver/sitemap-guides.xml"].startswith(latest.date().isoformat())
    assert lastmods["http://testserver/sitemap-papers.xml"] is None


def test_robots_txt_points_to_the_sitemap(client):
    body = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in body
    assert "Disallow: /admin/" in body and "Disallow: /preview/" in body


def json_ld(client, url):
    soup = BeautifulSoup(client.get(url).content, "html.parser")
    (script,) = soup.select('script[type="application/ld+json"]')
    return json.loads(script.string), soup


def test_guide_page_has_article_data_and_social_meta(seed, client):
    data, soup = json_ld(client, "/guides/neurips-2023-highlights/")
    assert data["@type"] == "Article"
    assert data["headline"] == "Highlights of NeurIPS 2023 from Reading All 3584 Abstracts"
    assert (
        data["author"]
        == [{"@type": "Person", "name": "Alex Zhang", "url": "https://alexzhang13.github.io"}]
        or data["author"][0]["name"] == "Alex Zhang"
    )
    assert data["datePublished"].startswith("2024-01-01")
    assert (
        soup.select_one('link[rel="canonical"]')["href"]
        == "http://testserver/guides/neurips-2023-highlights/"
    )
    assert soup.select_one('meta[property="og:title"]')["content"] == data["headline"]
    assert soup.select_one('meta[property="og:type"]')["content"] == "article"
    # No cover: the generated share card is its picture, for networks and search engines.
    card = "http://testserver/guides/neurips-2023-highlights/card.png"
    assert soup.select_one('meta[name="twitter:card"]')["content"] == "summary_large_image"
    assert soup.select_one('meta[property="og:image"]')["content"] == card
    assert data["image"] == [
        {
            "@type": "ImageObject",
            "url": card,
            "width": 1200,
            "height": 630,
            "description": f"{data['headline']}: a guide to NeurIPS 2023",
        }
    ]


def test_paper_page_has_scholarly_article_data(seed, client):
    data, _ = json_ld(client, "/papers/autoregressive-diffusion-models/")
    assert data["@type"] == "ScholarlyArticle"
    assert data["headline"] == "Autoregressive Diffusion Models"
    assert data["isPartOf"]["name"] == "ICLR 2022"
    assert data["author"][0]["name"] == "Emiel Hoogeboom"


def test_webinar_page_has_event_data(seed, client):
    data, _ = json_ld(client, "/webinars/iclr-2022-webinar/")
    assert data["@type"] == "Event"
    assert dt.datetime.fromisoformat(data["startDate"]) == dt.datetime(
        2022, 4, 25, 13, tzinfo=dt.UTC
    )
    date_only, _ = json_ld(client, "/webinars/neurips-2021-webinar/")
    assert date_only["startDate"] == "2021-12-03"


def test_paper_bibtex(seed, client):
    response = client.get("/papers/autoregressive-diffusion-models.bib")
    assert response["Content-Type"].startswith("application/x-bibtex")
    library = bibtexparser.parse_string(response.content.decode())
    assert not library.failed_blocks
    (entry,) = library.entries
    assert entry.entry_type == "inproceedings"
    fields = {f.key: f.value for f in entry.fields}
    assert fields["title"] == "{Autoregressive Diffusion Models}"
    assert fields["year"] == "2022"
    assert fields["author"].startswith("Emiel Hoogeboom")
    assert "ICLR 2022" in fields["booktitle"]
    page = BeautifulSoup(
        client.get("/papers/autoregressive-diffusion-models/").content, "html.parser"
    )
    assert page.select_one("#bibtex").get_text().strip() == response.content.decode().strip()
    assert page.select_one("button[data-copy=bibtex]")


def test_guide_reading_list_is_one_bibtex_file(seed, client):
    library = bibtexparser.parse_string(
        client.get("/guides/iclr-2021-10-papers.bib").content.decode()
    )
    assert not library.failed_blocks
    titles = [{f.key: f.value for f in e.fields}["title"].strip("{}") for e in library.entries]
    guide = Guide.objects.get(slug="iclr-2021-10-papers")
    assert titles == [p.paper.title for p in guide.picks.select_related("paper")]
    keys = [e.key for e in library.entries]
    assert len(set(keys)) == len(keys) == 10


def test_bibtex_escapes_tex_characters(client):
    from papers.bibtex import entry
    from tests.factories import PaperFactory

    paper = PaperFactory(title="Costs & {Benefits} of 100% $x_1$ #tags", conference=None, year=2020)
    library = bibtexparser.parse_string(entry(paper))
    assert not library.failed_blocks
    title = {f.key: f.value for f in library.entries[0].fields}["title"]
    assert title == r"{Costs \& \{Benefits\} of 100\% \$x\_1\$ \#tags}"


def test_drafts_are_in_no_discovery_output(seed, client):
    guide = Guide.objects.get(slug="neurips-2021-10-papers")
    guide.status = Status.IN_REVIEW
    guide.save()
    for url in [
        "/feeds/guides.atom",
        "/feeds/guides.rss",
        "/sitemap.xml",
        "/webinars.ics",
        "/feeds/conferences/neurips-2021.atom",
    ]:
        assert guide.title.encode() not in client.get(url).content, url
    assert client.get("/guides/neurips-2021-10-papers.bib").status_code == 404
    assert Webinar.objects.public().filter(guide=guide).count() == 0


@pytest.mark.parametrize("parse", [etree.fromstring, ElementTree.fromstring])
def test_the_sitemap_index_says_what_djangos_template_would(seed, client, rf, parse, settings):
    settings.TIME_ZONE = "Europe/Amsterdam"  # a lastmod is shown in the site's zone
    response = client.get("/sitemap.xml")
    assert response["Content-Type"] == "application/xml" and response["Last-Modified"]
    request = rf.get("/sitemap.xml")
    djangos = sitemap_views.index(request, SITEMAPS, sitemap_url_name="sitemap-section")
    template = render_to_string("sitemap_index.xml", djangos.context_data)

    def entries(xml):
        return [
            [child.text.strip() for child in entry]
            for entry in parse(xml).findall("s:sitemap", SITEMAP_NS)
        ]

    ours = entries(response.content)
    assert ours == entries(template.encode())
    assert any(len(entry) == 2 and entry[1][-6:] in ("+01:00", "+02:00") for entry in ours)
