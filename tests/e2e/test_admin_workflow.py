"""An editor takes a guide from nothing to published, in the real admin in a browser."""

from playwright.sync_api import expect

from papers.models import Paper
from tests.e2e.admin_pages import choose, edit_in_draft, publish_the_changes
from tests.e2e.conftest import log_in_as_editor


def test_an_editor_composes_a_guide_from_nothing_and_publishes_it(site, page):
    """Three papers looked up (title words, a pasted arXiv URL), the intro written with
    its preview beside it and autosaved (a reload finds it), reordered, published."""
    Paper.objects.filter(title__startswith="Charformer").update(arxiv_id="2106.12672")
    log_in_as_editor(site, page)
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()

    page.goto(f"{site}/admin/guides/guide/add/")
    page.locator("#id_title").press_sequentially("Three papers from ICLR 2022")
    expect(page.locator("#id_slug")).to_have_value("three-papers-from-iclr-2022")
    choose(page, "id_conference", "2022", "ICLR 2022")
    charformer = "Charformer: Fast Character Transformers via Gradient-based Subword Tokenization"
    lookups = [
        ("Autoregressive", "Autoregressive Diffusion Models"),
        ("Bootstrapped meta", "Bootstrapped Meta-Learning"),
        ("https://arxiv.org/abs/2106.12672v3", charformer),
    ]
    for row, (search, title) in enumerate(lookups):
        page.get_by_role("button", name="Add another Pick").click()
        choose(page, f"id_picks-{row}-paper", search, title)
        page.locator(f"#id_picks-{row}-why").fill(f"Why {title}")
    expect(page.locator("#id_picks-2-rank")).to_have_value("3")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")

    # The intro, with its preview beside it, is saved while typing: a reload finds it.
    intro = page.locator("#id_intro")
    intro.fill("Three papers, one **bold** choice.")
    preview = intro.locator("xpath=following-sibling::div[@class='markdown-preview']")
    expect(preview.locator("strong")).to_have_text("bold")
    expect(page.locator(".autosave-status")).to_contain_text("Saved automatically at")
    page.reload()
    expect(page.locator("#id_intro")).to_have_value("Three papers, one **bold** choice.")

    # Once saved, the picks are a compact list: drag the second above the first, and the
    # numbers follow the new order.
    picks = page.locator("fieldset#picks li[data-pick]")
    expect(picks).to_have_count(3)
    picks.nth(1).drag_to(picks.nth(0))
    expect(picks.locator(".title")).to_have_text(
        ["Bootstrapped Meta-Learning", "Autoregressive Diffusion Models", charformer]
    )
    expect(picks.nth(0).locator(".pick-rank")).to_have_value("1")
    expect(picks.nth(1).locator(".pick-rank")).to_have_value("2")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    # Preview: the draft as readers will see it, new order first.
    preview_url = page.get_by_role("link", name="View on site").get_attribute("href")
    assert preview_url.startswith("/preview/guides/")
    page.goto(site + preview_url)
    expect(page.locator(".preview-banner")).to_be_visible()
    expect(page.locator("article.pick h3 a")).to_have_text(
        ["Bootstrapped Meta-Learning", "Autoregressive Diffusion Models", charformer]
    )
    page.goto(f"{site}/guides/three-papers-from-iclr-2022/")
    expect(page.locator("h1")).to_have_text("Page not found")

    # Publish now.
    page.go_back()
    page.goto(f"{site}/admin/guides/guide/?q=three+papers")
    page.get_by_role("link", name="Three papers from ICLR 2022").click()
    page.locator("#id_status").select_option("published")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    page.goto(f"{site}/guides/three-papers-from-iclr-2022/")
    expect(page.locator("h1")).to_have_text("Three papers from ICLR 2022")
    expect(page.locator("article.pick h3 a")).to_have_text(
        ["Bootstrapped Meta-Learning", "Autoregressive Diffusion Models", charformer]
    )
    expect(page.locator(".guide-intro strong, article strong").first).to_have_text("bold")


def test_a_live_guide_changes_in_a_draft_then_all_at_once(site, page):
    """Reorder by keyboard in a draft: the public page stays as it was until the draft is
    published, then shows the new order."""
    title = "ICLR 2021 — 10 papers you shouldn't miss"
    log_in_as_editor(site, page, next_path="/admin/guides/guide/")
    edit_in_draft(page, title)
    first = "An Image is Worth 16x16 Words: Transformers for Image Recognition at Scale"
    page.get_by_role("button", name=f"Move “{first}” down").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".pick-order li .title").nth(1)).to_have_text(first)
    page.locator("#id_title").fill("ICLR 2021 — ten papers, reordered")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    page.goto(f"{site}/guides/iclr-2021-10-papers/")
    expect(page.locator("h1")).to_have_text(title)
    expect(page.locator("#pick-1 h3 a")).to_have_text(first)

    publish_the_changes(site, page, title)
    page.goto(f"{site}/guides/iclr-2021-10-papers/")
    expect(page.locator("h1")).to_have_text("ICLR 2021 — ten papers, reordered")
    expect(page.locator("#pick-2 h3 a")).to_have_text(first)
    expect(page.locator("#pick-1 h3 a")).to_have_text("Rethinking Attention with Performers")


def test_picks_move_between_sections_by_keyboard_and_by_choice(site, page):
    log_in_as_editor(site, page, next_path="/admin/guides/guide/")
    edit_in_draft(page, "The Zeta Alpha guide to NeurIPS 2020")
    fourth = "Hard Negative Mixing for Contrastive Learning"
    # ↓ on the last pick of a section moves it into the next one, first.
    page.get_by_role("button", name=f"Move “{fourth}” down").click()
    heading = page.locator("h3", has_text="Transformers and Attention")
    transformers = page.locator(".pick-group").filter(has=heading)
    expect(transformers.locator("li[data-pick] .title").first).to_have_text(fourth)
    # Choosing a section moves a pick to the end of it.
    first = page.locator("fieldset#picks li[data-pick]").first
    title = first.locator(".title").inner_text()
    first.locator(".pick-section").select_option(label="Benchmarks and evaluation")
    expect(page.locator("fieldset#picks li[data-pick] .title").last).to_have_text(title)
    expect(page.locator("fieldset#picks li[data-pick] .pick-rank").last).to_have_value("10")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    publish_the_changes(site, page, "The Zeta Alpha guide to NeurIPS 2020")

    page.goto(f"{site}/guides/neurips-2020-10-essentials/")
    expect(page.locator("#transformers-and-attention article.pick h3 a").first).to_have_text(fourth)
    expect(page.locator("#benchmarks-and-evaluation article.pick h3 a").last).to_have_text(title)
    expect(page.locator("#pick-10 h3 a")).to_have_text(title)


def test_the_preview_beside_the_text_follows_the_typing(site, page):
    log_in_as_editor(site, page, next_path="/admin/guides/guide/")
    edit_in_draft(page, "ICLR 2021 — 10 papers you shouldn't miss")
    intro = page.locator("#id_intro")
    preview = intro.locator("xpath=following-sibling::div[@class='markdown-preview']")
    expect(preview).to_contain_text("Transformers")  # the intro as it is, rendered
    intro.fill("A **bold** claim[^1] <script>document.title='x'</script>")
    expect(preview.locator("strong")).to_have_text("bold")
    expect(preview.locator("sup.cite a")).to_have_attribute("href", "#ref-1")
    expect(preview.locator("script")).to_have_count(0)
    assert page.title() != "x"
