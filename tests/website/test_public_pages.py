"""The public reading site, page by page, on the seed data."""

import datetime as dt

import pytest
from bs4 import BeautifulSoup
from django.template.loader import render_to_string
from django.test import override_settings
from django.test.utils import override_script_prefix

from guides.models import Guide, Pick, Webinar
from papers.models import Conference, Paper, Series, Tag
from tests.factories import WebinarFactory

pytestmark = pytest.mark.django_db


def get_page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return BeautifulSoup(response.content, "html.parser")


def text(soup):
    return " ".join(soup.get_text(" ").split())


def test_home_shows_latest_guides_webinars_conferences_and_topics(seed, client):
    soup = get_page(client, "/")
    titles = [a.get_text() for a in soup.select(".cards h3 a")]
    assert titles[0] == "Highlights of NeurIPS 2023 from Reading All 3584 Abstracts"
    assert len(titles) == 5
    conferences = [a.get_text() for a in soup.select("#conferences-title + ul a")]
    assert "NeurIPS 2021" in conferences
    assert soup.select(".tag-cloud a")


def test_guide_list_filters_by_series_year_and_tag(seed, client):
    def titles(query):
        return [a.get_text() for a in get_page(client, f"/guides/?{query}").select(".cards h3 a")]

    assert len(titles("")) == 5
    assert titles("series=iclr") == [
        "ICLR 2022 — A selection of 10 papers you shouldn't miss",
        "ICLR 2021 — 10 papers you shouldn't miss",
    ]
    assert titles("series=neurips&year=2021") == ["NeurIPS 2021 — 10 papers you shouldn't miss"]
    assert titles("tag=reinforcement-learning")
    assert titles("year=2019") == []


def test_guide_page_reads_like_the_post(seed, client):
    soup = get_page(client, "/guides/neurips-2020-10-essentials/")
    assert (
        soup.h1.get_text()
        == "The Zeta Alpha guide to NeurIPS 2020 — 10 essentials you shouldn't miss"
    )
    assert "By Sergi Castella i Sapé" in text(soup.select_one(".page-header"))
    assert "about 10,000" in text(soup.select_one(".stats"))
    toc = [a.get_text() for a in soup.select(".toc > ol > li > a")]
    assert toc == [
        "Semi and Self-Supervision",
        "Transformers and Attention",
        "Benchmarks and evaluation",
    ]
    picks = soup.select("article.pick")
    assert [p["id"] for p in picks] == [f"pick-{n}" for n in range(1, 11)]
    first = picks[0]
    assert (
        first.h3.a.get_text()
        == "Bootstrap Your Own Latent, A New Approach to Self-Supervised Learning"
    )
    assert first.select_one(".byline a").get_text() == "Jean-Bastien Grill"
    assert "et al." in first.select_one(".byline").get_text()
    assert first.select_one(".why") and first.select_one(".insights")


def test_guide_page_shows_tldr_and_related_papers(seed, client):
    soup = get_page(client, "/guides/iclr-2022-10-papers/")
    pick = soup.select_one("#pick-4")
    assert pick.select_one(".tldr p").get_text().strip()
    assert pick.select(".related li a")
    callout = text(soup.select_one(".callout"))
    assert "ICLR 2022 webinar" in callout and "15:00 CEST" in callout


def test_footnote_markers_link_to_references_and_back(seed, client):
    soup = get_page(client, "/guides/neurips-2021-10-papers/")
    references = soup.select(".references li")
    assert [li["id"] for li in references] == [f"ref-{n}" for n in range(1, 7)]
    for n in range(1, 7):
        marker = soup.select_one(f"#cite-{n}")
        assert marker is not None and marker["href"] == f"#ref-{n}"
        assert soup.select_one(f"#ref-{n} a.back")["href"] == f"#cite-{n}"
    assert "[^" not in soup.get_text()


def test_unlisted_footnote_stays_plain_text(seed, client):
    # The ICLR 2021 post cites [8] but lists no reference 8.
    soup = get_page(client, "/guides/iclr-2021-10-papers/")
    assert soup.select_one("#cite-8") is None
    assert "[8]" in soup.get_text()


def test_sections_without_picks_keep_their_overview(seed, client):
    soup = get_page(client, "/guides/neurips-2023-highlights/")
    theory = soup.select_one("#deep-learning-theory")
    assert theory is not None and theory.select_one(".prose")
    assert len(soup.select("article.pick")) == 81
    assert soup.select_one("pre code.language-bibtex")


def test_conference_page(seed, client):
    soup = get_page(client, "/conferences/neurips-2021/")
    assert soup.h1.get_text() == "NeurIPS 2021"
    assert "15,000+" in text(soup.select_one(".stats"))
    assert [a.get_text() for a in soup.select("#guides-title ~ ul a")] == [
        "NeurIPS 2021 — 10 papers you shouldn't miss"
    ]
    assert len(soup.select("#picks-title + ol > li")) == 10
    assert "NeurIPS 2021 webinar" in text(soup)


def test_conference_chart_covers_every_year_of_the_series(seed, client):
    soup = get_page(client, "/conferences/neurips-2021/")
    svg = soup.select_one("figure.chart svg")
    assert svg["role"] == "img" and svg.title.get_text()
    rows = [
        [td.get_text() for td in tr.select("td")] for tr in soup.select("figure.chart tbody tr")
    ]
    assert rows == [["2020", "1900"], ["2021", "2334"], ["2023", "3584"]]
    assert len(svg.select("rect")) == 3
    assert len(svg.select("g.current")) == 1
    heights = [float(rect["height"]) for rect in svg.select("rect")]
    assert heights == sorted(heights)  # accepted papers grew every year


def test_conference_list(seed, client):
    soup = get_page(client, "/conferences/")
    assert len(soup.select(".card")) == 5


def test_paper_page_shows_authors_and_every_pick(seed, client):
    soup = get_page(client, "/papers/autoregressive-diffusion-models/")
    assert soup.h1.get_text() == "Autoregressive Diffusion Models"
    assert soup.select(".byline a")
    summaries = soup.select(".pick-summary")
    assert len(summaries) == 1
    assert "ICLR 2022" in summaries[0].h3.get_text()
    assert summaries[0].select_one(".why")


def test_paper_list_filters(seed, client):
    def titles(query):
        return [a.get_text() for a in get_page(client, f"/papers/?{query}").select(".paper-title")]

    assert titles("q=Autoregressive Entity") == ["Autoregressive Entity Retrieval"]
    by_author = titles("q=reddi")
    assert "Adaptive Federated Optimization" in by_author
    assert titles("conference=iclr-2021&author=sashank-j-reddi") == [
        "Adaptive Federated Optimization"
    ]
    assert titles("year=2017&sort=title") == [
        "Attention is All You Need",
        "Proximal Policy Optimization Algorithms",
    ]
    tagged = titles("tag=reinforcement-learning&sort=title")
    assert tagged == sorted(tagged, key=str)
    newest = titles("sort=-year")
    oldest = titles("sort=year")
    assert newest[0] != oldest[0]


def test_filter_selects_list_every_conference_series_and_topic_by_name(seed, client):
    def options(url, name):
        select = get_page(client, url).select_one(f'select[name="{name}"]')
        return [(o["value"], o.get_text(), o.has_attr("selected")) for o in select("option")]

    conferences = options("/papers/?conference=iclr-2021", "conference")
    assert conferences[0] == ("", "Any conference", False)
    assert conferences[1:] == [
        (c.slug, str(c), c.slug == "iclr-2021") for c in Conference.objects.select_related("series")
    ]
    assert options("/search/?q=learning&conference=iclr-2021", "conference") == conferences
    topics = options("/papers/", "tag")
    assert topics[1:] == [(t.slug, t.name, False) for t in Tag.objects.all()]
    series = options("/guides/?series=iclr", "series")
    assert series[1:] == [(s.slug, str(s), s.slug == "iclr") for s in Series.objects.all()]
    assert options("/tags/reinforcement-learning/", "conference")[1:] == [
        (value, label, False) for value, label, _ in conferences[1:]
    ]


def test_paper_list_paginates(seed, client):
    soup = get_page(client, "/papers/")
    assert "166 papers" in soup.select_one(".result-count").get_text()
    assert len(soup.select(".paper-item")) == 24
    last = get_page(client, "/papers/?page=7")
    assert len(last.select(".paper-item")) == 166 - 6 * 24
    assert last.select_one('a[rel="prev"]')["href"] == "?page=6"


def test_author_pages(seed, client):
    soup = get_page(client, "/authors/")
    assert soup.select(".columns a")
    author = get_page(client, "/authors/sashank-j-reddi/")
    assert author.h1.get_text() == "Sashank J. Reddi"
    assert "Adaptive Federated Optimization" in [
        a.get_text() for a in author.select(".paper-title")
    ]
    assert author.select(".pick-summary")


def test_tag_pages(seed, client):
    soup = get_page(client, "/tags/")
    names = [a.get_text() for a in soup.select(".tag-cloud a")]
    assert "Reinforcement learning" in names
    tag = get_page(client, "/tags/reinforcement-learning/")
    assert tag.h1.get_text() == "Reinforcement learning"
    # The stored number of its papers (papers.topic_counts), kept as papers are tagged.
    tagged = Paper.objects.filter(tags__slug="reinforcement-learning")
    assert tag.select_one(".result-count").get_text() == f"{tagged.count()} papers"
    Paper.objects.exclude(pk__in=tagged).first().tags.add(
        Tag.objects.get(slug="reinforcement-learning")
    )
    again = get_page(client, "/tags/reinforcement-learning/")
    assert again.select_one(".result-count").get_text() == f"{tagged.count()} papers"
    all_picks = len(tag.select(".pick-summary"))
    only_iclr = len(
        get_page(client, "/tags/reinforcement-learning/?conference=iclr-2022").select(
            ".pick-summary"
        )
    )
    assert 0 < only_iclr < all_picks


def test_webinar_pages_show_the_announced_zone(seed, client):
    soup = get_page(client, "/webinars/iclr-2022-webinar/")
    when = text(soup.select_one(".when"))
    assert "Monday 25 April 2022, 15:00 CEST" in when and "Europe/Amsterdam" in when
    assert soup.select_one(".when time")["datetime"].startswith("2022-04-25T15:00:00+02:00")
    date_only = text(get_page(client, "/webinars/neurips-2021-webinar/").select_one(".when"))
    assert "Friday 3 December 2021" in date_only and "time not announced" in date_only
    listing = get_page(client, "/webinars/")
    assert len(listing.select("#past-title + ul li")) == 2


def test_past_webinars_are_listed_a_page_at_a_time_latest_first(seed, client):
    conference = Conference.objects.get(slug="neurips-2021")
    for day in range(30):
        WebinarFactory(conference=conference, starts_on=dt.date(2019, 1, 1) + dt.timedelta(day))
    upcoming = WebinarFactory(conference=conference, starts_on=dt.date.today() + dt.timedelta(9))
    past = list(Webinar.objects.public().past(dt.date.today()))
    first = get_page(client, "/webinars/")
    shown = [a.get_text() for a in first.select("#past-title ~ ul li > a")]
    assert shown == [w.title for w in past[:24]]
    assert first.select_one("#upcoming-title ~ ul a").get_text() == upcoming.title
    second = get_page(client, "/webinars/?page=2")
    assert [a.get_text() for a in second.select("#past-title ~ ul li > a")] == [
        w.title for w in past[24:48]
    ]
    assert first.select_one('a[rel="next"]')["href"] == "?page=2"
    assert client.get("/webinars/?page=9").status_code == 400


@pytest.mark.parametrize(
    "url",
    [
        "/guides/no-such-guide/",
        "/conferences/no-such-conference/",
        "/papers/no-such-paper/",
        "/authors/no-such-author/",
        "/tags/no-such-tag/",
        "/webinars/no-such-webinar/",
        "/no-such-page/",
    ],
)
def test_unknown_slugs_answer_a_friendly_404(seed, client, url):
    soup = get_page(client, url, status=404)
    assert soup.h1.get_text() == "Page not found"


@pytest.mark.parametrize(
    "url",
    [
        "/guides/",
        "/conferences/",
        "/papers/",
        "/authors/",
        "/tags/",
        "/webinars/",
        "/",
    ],
)
def test_empty_lists_render(db, client, url):
    get_page(client, url)


@pytest.mark.parametrize(
    "query",
    [
        "page=0",
        "page=-1",
        f"page={10**9}",
        "page=abc",
        "page=1.5",
        "year=abc",
        f"year={10**30}",
        "year=1066",
        "conference=nope",
        "tag=%00",
        "sort=password",
        "q=" + "x" * 500,
    ],
)
def test_bad_parameters_get_a_400(seed, client, query):
    for url in ("/papers/", "/guides/", "/tags/reinforcement-learning/", "/authors/"):
        response = client.get(f"{url}?{query}")
        assert response.status_code in (200, 400), (url, query)
    assert client.get(f"/papers/?{query}").status_code == 400


@pytest.mark.parametrize("q", ['"quoted"', "&|!", "100%", "_", "ümlaut ✓", "' OR 1=1 --", "\\"])
def test_odd_search_text_is_harmless(seed, client, q):
    assert client.get("/papers/", {"q": q}).status_code == 200


def test_drafts_never_appear(seed, client):
    guide = Guide.objects.get(slug="iclr-2021-10-papers")
    guide.status = "draft"
    guide.save()
    assert client.get(guide.get_absolute_url()).status_code == 404
    pick = Pick.objects.get(guide=guide, rank=10)
    secret = "Can a Fruit Fly Learn Word Embeddings?"
    for url in [
        "/",
        "/guides/",
        "/conferences/",
        "/conferences/iclr-2021/",
        pick.paper.get_absolute_url(),
        "/tags/",
        *[tag.get_absolute_url() for tag in pick.paper.tags.all()],
        *[a.author.get_absolute_url() for a in pick.paper.authorships.all()],
    ]:
        page = client.get(url).content.decode()
        assert guide.title not in page, url
        assert pick.why[:60] not in page, url
    # The paper itself is catalogue, and stays; but nothing says a guide picked it.
    paper_page = get_page(client, pick.paper.get_absolute_url())
    assert paper_page.h1.get_text() == secret
    assert not paper_page.select(".pick-summary")


def test_webinar_of_a_draft_guide_is_hidden(seed, client):
    Guide.objects.filter(slug="iclr-2022-10-papers").update(status="review")
    assert client.get("/webinars/iclr-2022-webinar/").status_code == 404
    assert "ICLR 2022 webinar" not in client.get("/webinars/").content.decode()
    assert "ICLR 2022 webinar" not in client.get("/conferences/iclr-2022/").content.decode()


def test_server_error_page_stands_alone():
    # Rendered by Django's handler500 without a request context or database.
    soup = BeautifulSoup(render_to_string("500.html"), "html.parser")
    assert soup.h1.get_text() == "Something went wrong"
    assert soup.select_one('a[href="/"]')


@override_settings(PAGE_CACHE=False)
def test_the_sites_links_follow_the_prefix_it_is_mounted_under(seed, client):
    def nav():
        html = client.get("/guides/").content.decode()
        menu = BeautifulSoup(html, "html.parser").select_one("nav[aria-label=Main]")
        return [a["href"] for a in menu.find_all("a")]

    assert nav()[0] == "/guides/"
    with override_script_prefix("/mounted/"):
        assert nav()[0] == "/mounted/guides/"
    assert nav()[0] == "/guides/"  # the links reversed once per prefix, not once for all


def test_author_list_counts_papers_and_shows_zero_for_none(seed, client):
    from papers.models import Author

    Author.objects.create(name="Aaa Paperless", slug="aaa-paperless")
    page = BeautifulSoup(client.get("/authors/").content, "html.parser")
    counts = {li.a.get_text(): li.select_one(".meta").get_text() for li in page.select("main li")}
    assert counts["Aaa Paperless"] == "(0)"
    author = Author.objects.exclude(slug="aaa-paperless").order_by("name", "pk").first()
    assert counts[author.name] == f"({author.authorships.count()})" != "(0)"


def test_a_topic_page_shows_its_latest_picks_with_a_note(seed, client):
    from papers.models import Tag

    tag = Tag.objects.create(name="Much picked", slug="much-picked")
    for pick in Pick.objects.filter(guide__slug="neurips-2023-highlights")[:30]:
        pick.paper.tags.add(tag)
    page = BeautifulSoup(client.get("/tags/much-picked/").content, "html.parser")
    summaries = page.select("#picks-title ~ article.pick-summary")
    assert len(summaries) == 24
    assert "The latest 24 picks of papers on Much picked." in page.get_text()
    assert [s.h3.a["href"] for s in summaries][:2] == [
        "/guides/neurips-2023-highlights/#pick-1",
        "/guides/neurips-2023-highlights/#pick-2",
    ]


def test_a_topic_page_lists_its_newest_guides_and_links_to_the_rest(seed, client):
    import datetime as dt

    from django.utils import timezone

    from papers.models import Tag
    from tests.factories import GuideFactory

    tag = Tag.objects.create(name="Busy topic", slug="busy-topic")
    now = timezone.now()
    for days in range(13):
        guide = GuideFactory(
            title=f"Guide {days} days old", published_at=now - dt.timedelta(days=days + 1)
        )
        guide.tags.add(tag)

    def guides_listed():
        page = BeautifulSoup(client.get("/tags/busy-topic/").content, "html.parser")
        section = page.select_one("#guides-title").parent
        return [a.get_text() for a in section.select("li a")], section.select_one("p a")

    titles, more = guides_listed()
    assert titles == [f"Guide {days} days old" for days in range(12)]  # newest first
    assert more["href"] == "/guides/?tag=busy-topic"
    assert "Guide 12 days old" in client.get(more["href"] + "&page=2").content.decode()

    Guide.objects.filter(title="Guide 0 days old").delete()
    titles, more = guides_listed()
    assert len(titles) == 12 and more is None
