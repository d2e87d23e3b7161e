"""Conference maps: computed from the vectors, stored, drawn on the conference page."""

import datetime as dt
import io
from xml.etree import ElementTree

import numpy as np
import pytest
import time_machine
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.test import override_settings

from discovery.maps import project
from discovery.models import ConferenceMap, PaperVector
from guides.models import Guide
from papers.models import Conference, Paper
from tests.factories import ConferenceFactory, PaperFactory
from website.conference_maps import MAX_LABELS
from website.models import StoredSection

pytestmark = pytest.mark.django_db


def fit():
    out = io.StringIO()
    call_command("fit_embeddings", stdout=out)
    return out.getvalue()


def test_every_conference_gets_a_map_of_all_its_papers(seed):
    assert "\nMapped 5 conferences in " in fit()
    for conference in Conference.objects.all():
        stored = ConferenceMap.objects.get(conference=conference)
        ids = set(Paper.objects.filter(conference=conference).values_list("pk", flat=True))
        assert {point[0] for point in stored.points} == ids
        xy = np.array([point[1:3] for point in stored.points])
        assert xy.min() >= 0 and xy.max() <= 1
        assert sum(region["papers"] for region in stored.regions) == len(ids)
        assert all(region["label"] for region in stored.regions)


def test_neighbours_in_meaning_are_neighbours_on_the_map(seed):
    fit()
    stored = ConferenceMap.objects.get(conference__slug="neurips-2023")
    ids = [point[0] for point in stored.points]
    xy = np.array([point[1:3] for point in stored.points])
    vectors = {
        paper_id: np.frombuffer(bytes(vector), dtype=np.float32)
        for paper_id, vector in PaperVector.objects.filter(paper_id__in=ids).values_list(
            "paper_id", "vector"
        )
    }
    matrix = np.vstack([vectors[i] for i in ids])
    similarity = matrix @ matrix.T
    np.fill_diagonal(similarity, -np.inf)
    nearest = similarity.argmax(axis=1)
    distance = np.linalg.norm(xy[:, None] - xy[None], axis=2)
    to_nearest = distance[np.arange(len(ids)), nearest].mean()
    to_anyone = distance[~np.eye(len(ids), dtype=bool)].mean()
    assert to_nearest < to_anyone / 2


def test_projection_copes_with_identical_and_few_papers():
    same = np.ones((60, 8), dtype=np.float32)
    assert np.isfinite(project(same)).all()  # t-SNE, identical texts
    few = np.random.default_rng(1).normal(size=(6, 8)).astype(np.float32)
    xy = project(few)
    assert xy.shape == (6, 2) and xy.min() == 0 and xy.max() == 1
    # A fit of one dimension (seen on a tiny corpus): t-SNE's start would fail on it.
    for count in (6, 60):
        line = np.random.default_rng(2).normal(size=(count, 1)).astype(np.float32)
        xy = project(line)
        assert xy.shape == (count, 2) and np.isfinite(xy).all() and xy[:, 0].max() == 1


def test_every_conference_with_papers_has_one_even_a_tiny_one(db):
    lonely, pair, empty = ConferenceFactory(), ConferenceFactory(), ConferenceFactory()
    PaperFactory(conference=lonely)
    PaperFactory.create_batch(2, conference=pair)
    PaperFactory.create_batch(3, conference=None)
    fit()
    mapped = ConferenceMap.objects.filter(conference__in=[lonely, pair, empty])
    assert set(mapped.values_list("conference", flat=True)) == {lonely.pk, pair.pk}
    assert [p[1:3] for p in ConferenceMap.objects.get(conference=lonely).points] == [[0.5, 0.5]]
    assert sorted(p[1] for p in ConferenceMap.objects.get(conference=pair).points) == [0, 1]
    assert not ConferenceMap.objects.filter(conference=empty).exists()


def test_the_conference_page_draws_it(seed, client):
    fit()
    response = client.get("/conferences/neurips-2023/")
    soup = BeautifulSoup(response.content, "html.parser")
    # The drawing is a file of its own, which the page links to (and site.js puts in).
    link = soup.select_one("section.map-section .map-frame a")
    assert link["href"] == soup.select_one(".map-frame")["data-map"]
    drawing = client.get(link["href"])
    assert drawing.status_code == 200
    assert drawing["Content-Type"] == "image/svg+xml; charset=utf-8"
    root = ElementTree.fromstring(drawing.content)  # well-formed XML, as browsers parse it
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert len(root.findall(".//{http://www.w3.org/2000/svg}circle")) >= 81
    assert b'<?xml-stylesheet href="/static/css/site' in drawing.content
    svg = map_of(client, "/conferences/neurips-2023/").select_one("svg.paper-map")
    dots = svg.select("circle[class^=topic-]")
    assert len(dots) == Paper.objects.filter(conference__slug="neurips-2023").count() == 81
    links = {a["href"] for a in svg.select("a")}
    assert "/papers/tree-of-thoughts/" in links
    # Dots are out of the tab order and hidden from screen readers; named picks are not.
    assert all(a.get("tabindex") == "-1" for a in svg.select("g[aria-hidden=true] a"))
    named = svg.select("g.picks a")
    assert len(named) == MAX_LABELS
    assert "Tree-of-Thoughts" in [a.text for a in named]  # pick 1 is named
    table = soup.select_one("section.map-section table")
    rows = table.select("tbody tr")
    stored = ConferenceMap.objects.get(conference__slug="neurips-2023")
    assert [r.td.text for r in rows] == [region["label"] for region in stored.regions]
    picks_in_table = [a["href"] for a in table.select("a")]
    assert len(picks_in_table) == 81  # every paper of it is a pick of the guide
    legend = [li.get_text(" ", strip=True) for li in soup.select(".map-legend li")]
    assert legend[-1] == "Picked in a guide"


def test_titles_are_escaped_and_a_new_map_shows_at_once(seed, client):
    conference = Conference.objects.get(slug="neurips-2021")
    hostile = '<script>alert("x")</script> & <b>bold</b>'
    Paper.objects.filter(conference=conference).order_by("pk").update(title=hostile)
    assert b"map-title" not in client.get(conference.get_absolute_url()).content
    assert client.get(f"{conference.get_absolute_url()}map.svg").status_code == 404
    fit()  # the cached page is forgotten by the new map
    response = client.get(conference.get_absolute_url())
    assert b"map-title" in response.content
    drawing = client.get(f"{conference.get_absolute_url()}map.svg").content
    for body in (response.content, drawing):
        assert b'<script>alert("x")' not in body
        assert b"&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;" in body
    titles = ElementTree.fromstring(drawing).iter("{http://www.w3.org/2000/svg}title")
    assert hostile in [title.text for title in titles]  # read back as the text it was


def map_of(client, url):
    """The page's map section with its drawing put in, as site.js does."""
    soup = BeautifulSoup(client.get(url).content, "html.parser")
    section = soup.select_one("section.map-section")
    frame = section.select_one("[data-map]")
    if frame is not None:
        drawing = client.get(frame["data-map"]).content
        svg = drawing[drawing.index(b"<svg") :]  # the element, without the XML prolog
        frame.replace_with(BeautifulSoup(svg, "html.parser").svg)
    return section


@override_settings(PAGE_CACHE=False)
def test_the_drawing_is_stored_until_something_it_shows_changes(seed, client):
    fit()
    url = "/conferences/neurips-2023/"
    assert map_of(client, url).select("circle[class^=topic-]")
    conference = Conference.objects.get(slug="neurips-2023")
    # Served from storage while current: a marked drawing shows as stored.
    StoredSection.objects.filter(key=f"conference-map-{conference.pk}").update(
        html='<section class="map-section"><p id="stored">stored</p></section>'
    )
    assert map_of(client, url).select_one("#stored")
    # A paper of it renamed: drawn again, with the new title.
    paper = Paper.objects.get(slug="tree-of-thoughts")
    paper.title = "Renamed Trees"
    paper.save()
    section = map_of(client, url)
    assert section.select_one("#stored") is None
    assert "Renamed Trees" in [t.text for t in section.select("circle title")]


@override_settings(PAGE_CACHE=False)
def test_a_scheduled_guide_rings_its_picks_on_the_map_when_its_time_comes(seed, client):
    fit()
    guide = Guide.objects.get(slug="neurips-2020-10-essentials")
    url = guide.conference.get_absolute_url()
    picked = {pick.paper.get_absolute_url() for pick in guide.picks.select_related("paper")}
    guide.published_at, guide.updated_at = dt.datetime(2031, 3, 1, 9, 0, tzinfo=dt.UTC), None
    guide.save()
    with time_machine.travel(dt.datetime(2031, 3, 1, 8, 59, tzinfo=dt.UTC), tick=False):
        named = {a["href"] for a in map_of(client, url).select("g.picks a")}
        assert not named & picked
    with time_machine.travel(dt.datetime(2031, 3, 1, 9, 0, 1, tzinfo=dt.UTC), tick=False):
        named = {a["href"] for a in map_of(client, url).select("g.picks a")}
        assert picked <= named
