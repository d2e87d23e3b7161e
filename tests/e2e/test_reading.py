"""A reader's journey through the site, in a real browser."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect


def test_home_to_guide_to_paper_to_author_to_topic(site, page):
    page.goto(site)
    expect(page.get_by_role("heading", name="Latest guides")).to_be_visible()
    page.get_by_role("link", name="NeurIPS 2021 — 10 papers you shouldn't miss").first.click()
    expect(page.locator("h1")).to_have_text("NeurIPS 2021 — 10 papers you shouldn't miss")
    expect(page.locator("article.pick")).to_have_count(10)

    pick = page.locator("#pick-3")
    pick.get_by_role(
        "link", name="Multimodal Few-Shot Learning with Frozen Language Models"
    ).click()
    expect(page.locator("h1")).to_have_text(
        "Multimodal Few-Shot Learning with Frozen Language Models"
    )
    expect(page.locator(".pick-summary")).to_have_count(1)

    page.locator(".byline a").first.click()
    expect(page.locator("h1")).to_have_text("Maria Tsimpoukelli")
    page.locator(".paper-item .tags a").first.click()
    expect(page).to_have_url(re.compile(r"/tags/[\w-]+/$"))
    expect(page.locator(".kicker")).to_have_text("Topic")
    expect(page.locator(".paper-item").first).to_be_visible()


def test_footnotes_go_to_the_reference_and_back(site, page):
    page.goto(f"{site}/guides/neurips-2021-10-papers/")
    page.locator("#cite-1").click()
    expect(page).to_have_url(re.compile(r"#ref-1$"))
    expect(page.locator("#ref-1")).to_be_in_viewport()
    page.locator("#ref-1 a.back").click()
    expect(page).to_have_url(re.compile(r"#cite-1$"))
    expect(page.locator("#cite-1")).to_be_in_viewport()


def test_paper_filters(site, page):
    page.goto(f"{site}/papers/")
    expect(page.locator(".result-count")).to_have_text("166 papers")
    page.get_by_label("Title or author").fill("reddi")
    page.get_by_label("Conference").select_option(label="ICLR 2021")
    page.get_by_role("button", name="Apply").click()
    expect(page.locator(".paper-title")).to_have_text(["Adaptive Federated Optimization"])
    expect(page.get_by_label("Title or author")).to_have_value("reddi")
    page.get_by_role("link", name="Clear").click()
    expect(page.locator(".result-count")).to_have_text("166 papers")


def test_the_author_field_suggests_names_and_filters_by_one(site, page):
    page.goto(f"{site}/papers/")
    author = page.get_by_label("Author", exact=True)
    author.press_sequentially("sashank")
    expect(page.locator("datalist#author-names option")).to_have_count(1)
    expect(page.locator("datalist#author-names option")).to_have_attribute(
        "value", "Sashank J. Reddi"
    )
    author.fill("Sashank J. Reddi")  # as when the suggestion is chosen
    page.get_by_role("button", name="Apply").click()
    expect(page.locator(".paper-title")).to_contain_text(["Adaptive Federated Optimization"])
    assert "author=Sashank+J.+Reddi" in page.url


def test_phone_layout_has_no_sideways_scrolling(site, phone):
    for path in ["/", "/guides/neurips-2023-highlights/", "/papers/", "/conferences/neurips-2021/"]:
        phone.goto(site + path)
        overflow = phone.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"
        expect(phone.get_by_role("navigation", name="Main")).to_be_visible()
    # The reading column fills the phone's width rather than a desktop measure.
    phone.goto(site + "/guides/neurips-2020-10-essentials/")
    width = phone.locator("article.pick").first.bounding_box()["width"]
    assert 300 <= width <= 390


PAGES = [
    "/",
    "/guides/",
    "/guides/neurips-2020-10-essentials/",
    "/guides/neurips-2023-highlights/",
    "/conferences/",
    "/conferences/neurips-2021/",
    "/papers/",
    "/papers/autoregressive-diffusion-models/",
    "/authors/",
    "/authors/sashank-j-reddi/",
    "/tags/",
    "/tags/reinforcement-learning/",
    "/webinars/",
    "/webinars/iclr-2022-webinar/",
    "/subscribe/?series=neurips",
    "/guides/neurips-2020-10-essentials/comment/",
    "/comments/forget/",
    "/no-such-page/",
]


@pytest.mark.parametrize("path", PAGES)
def test_no_serious_accessibility_violations(site, page, path):
    page.goto(site + path)
    results = Axe().run(page)
    serious = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not serious, serious


def test_webinar_time_in_the_readers_own_zone(site, browser):
    context = browser.new_context(timezone_id="America/New_York", locale="en-US")
    page = context.new_page()
    page.goto(f"{site}/webinars/iclr-2022-webinar/")
    expect(page.locator(".when")).to_contain_text("15:00 CEST")
    expect(page.locator(".local-time")).to_contain_text("09:00 AM")
    expect(page.locator(".local-time")).to_contain_text("America/New_York")
    context.close()


def test_copy_the_citation(site, browser):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(f"{site}/papers/autoregressive-diffusion-models/")
    page.get_by_role("button", name="Copy the citation").click()
    expect(page.locator(".copy-status")).to_have_text("Copied.")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("@inproceedings{hoogeboom2022autoregressive,")
    context.close()


def test_search_from_every_page(site, page):
    page.goto(f"{site}/guides/")
    page.get_by_role("link", name="Search").click()
    page.get_by_label("Search for").fill("fruit fly")
    page.get_by_role("button", name="Search").click()
    expect(page.locator(".search-result h2 a").first).to_have_text(
        "Can a Fruit Fly Learn Word Embeddings?"
    )
    expect(page.locator(".search-result mark").first).to_be_visible()
    # Papers and picks are listed alike (no style of the guide page's picks).
    kinds = page.locator(".search-result").evaluate_all(
        "items => items.map(i => [i.className, getComputedStyle(i).marginTop])"
    )
    assert {"search-result search-result-paper", "search-result search-result-pick"} <= {
        kind for kind, _ in kinds
    }
    assert {margin for _, margin in kinds} == {"0px"}
    results = Axe().run(page)
    serious = [
        v["id"] for v in results.response["violations"] if v["impact"] in ("serious", "critical")
    ]
    assert not serious, serious
