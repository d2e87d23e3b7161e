"""An editor takes a guide from nothing to published, in the real admin in a browser."""

from playwright.sync_api import expect

from tests.e2e.conftest import log_in_as_editor


def choose(page, select_id, search, option):
    """Pick `option` in one of the admin's autocomplete (select2) fields."""
    page.locator(f"#{select_id} + .select2 .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(search)
    page.locator(".select2-results__option", has_text=option).first.click()


def test_an_editor_drafts_reorders_previews_and_publishes(site, page):
    log_in_as_editor(site, page)
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()

    page.goto(f"{site}/admin/guides/guide/add/")
    page.locator("#id_title").press_sequentially("Two papers from ICLR 2022")
    expect(page.locator("#id_slug")).to_have_value("two-papers-from-iclr-2022")
    choose(page, "id_conference", "2022", "ICLR 2022")
    for row, title in enumerate(["Autoregressive Diffusion Models", "Bootstrapped Meta-Learning"]):
        page.get_by_role("button", name="Add another Pick").click()
        choose(page, f"id_picks-{row}-paper", title.split()[0], title)
        page.locator(f"#id_picks-{row}-why").fill(f"Why {title}")
    expect(page.locator("#id_picks-0-rank")).to_have_value("1")
    expect(page.locator("#id_picks-1-rank")).to_have_value("2")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")

    # Drag the second pick above the first: the ranks follow the new order.
    page.locator(".pick-order li").nth(1).drag_to(page.locator(".pick-order li").nth(0))
    expect(page.locator("#id_picks-1-rank")).to_have_value("1")
    expect(page.locator("#id_picks-0-rank")).to_have_value("2")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    # Preview: the draft as readers will see it, new order first.
    preview_url = page.get_by_role("link", name="View on site").get_attribute("href")
    assert preview_url.startswith("/preview/guides/")
    page.goto(site + preview_url)
    expect(page.locator(".preview-banner")).to_be_visible()
    expect(page.locator("article.pick h3 a")).to_have_text(
        ["Bootstrapped Meta-Learning", "Autoregressive Diffusion Models"]
    )
    page.goto(f"{site}/guides/two-papers-from-iclr-2022/")
    expect(page.locator("h1")).to_have_text("Page not found")

    # Publish now.
    page.go_back()
    page.goto(f"{site}/admin/guides/guide/?q=two+papers")
    page.get_by_role("link", name="Two papers from ICLR 2022").click()
    page.locator("#id_status").select_option("published")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    page.goto(f"{site}/guides/two-papers-from-iclr-2022/")
    expect(page.locator("h1")).to_have_text("Two papers from ICLR 2022")
    expect(page.locator("article.pick h3 a")).to_have_text(
        ["Bootstrapped Meta-Learning", "Autoregressive Diffusion Models"]
    )


def test_picks_reorder_from_the_keyboard(site, page):
    log_in_as_editor(site, page, next_path="/admin/guides/guide/")
    page.get_by_role("link", name="ICLR 2021 — 10 papers you shouldn't miss").click()
    first = "An Image is Worth 16x16 Words: Transformers for Image Recognition at Scale"
    page.get_by_role("button", name=f"Move “{first}” down").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".pick-order li .title").nth(1)).to_have_text(first)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    page.goto(f"{site}/guides/iclr-2021-10-papers/")
    expect(page.locator("#pick-2 h3 a")).to_have_text(first)
    expect(page.locator("#pick-1 h3 a")).to_have_text("Rethinking Attention with Performers")
