"""Discovery in a real browser: the conference map (zoom, links, accessibility) and a
search in other words than the paper's title."""

import io

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


@pytest.fixture
def fitted(site):
    call_command("fit_embeddings", stdout=io.StringIO())
    return site


def test_the_conference_map_zooms_and_links_to_papers(fitted, page):
    page.goto(fitted + "/conferences/neurips-2023/")
    expect(page.get_by_role("heading", name="Map of the 81 papers")).to_be_visible()
    svg = page.locator("svg.paper-map")  # loaded from its own file by site.js
    expect(svg.locator("circle[class^=topic-]")).to_have_count(81)
    before = svg.get_attribute("viewBox")
    page.get_by_role("button", name="Zoom in").click()
    zoomed = svg.get_attribute("viewBox")
    assert zoomed != before
    assert float(zoomed.split()[2]) == pytest.approx(float(before.split()[2]) / 2)
    page.get_by_role("button", name="Show all").click()
    assert svg.get_attribute("viewBox") == before
    # The named picks are links a keyboard reaches; the table says the same in words.
    svg.locator("g.picks a").filter(has_text="Tree-of-Thoughts").click()
    expect(page).to_have_url(fitted + "/papers/tree-of-thoughts/")
    page.go_back()
    page.get_by_text("The map as a table of its regions").click()
    expect(page.locator(".map-section table tbody tr").first).to_be_visible()
    results = Axe().run(page)
    serious = [
        v["id"] for v in results.response["violations"] if v["impact"] in ("serious", "critical")
    ]
    assert not serious, serious


def test_the_map_fits_a_phone(fitted, phone):
    phone.goto(fitted + "/conferences/neurips-2023/")
    overflow = phone.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    expect(phone.locator("svg.paper-map")).to_be_visible()


def test_search_in_other_words_finds_the_paper(fitted, page):
    page.goto(fitted + "/")
    page.get_by_role("link", name="Search").click()
    page.get_by_label("Search for").fill("headcam footage of babies as a training curriculum")
    page.get_by_role("button", name="Search").click()
    first = page.locator(".search-result h2 a").first
    expect(first).to_have_text("Curriculum Learning With Infant Egocentric Videos")
