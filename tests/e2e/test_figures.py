"""Images in a real browser: an editor places them; readers download only what they see."""

import re

from playwright.sync_api import expect

from guides.models import Figure, Guide
from tests.e2e.admin_pages import choose, edit_in_draft, publish_the_changes
from tests.e2e.conftest import log_in_as_editor
from tests.factories import ImageFactory, image_file

GUIDE = "iclr-2021-10-papers"


def chosen_width(page, selector):
    """The width of the rendition the browser chose for the <img> at `selector`."""
    source = page.locator(selector).evaluate("img => img.currentSrc")
    return int(re.search(r"/(\d+)\.\w+$", source).group(1)), source


def test_an_editor_uploads_an_image_and_places_it_three_ways(site, page, tmp_path):
    log_in_as_editor(site, page, next_path="/admin/images/image/add/")
    photo = tmp_path / "harbour.jpg"
    photo.write_bytes(image_file(2400, 1600, color="navy").read())
    page.locator("#id_file").set_input_files(str(photo))
    page.locator("#id_title").fill("Vancouver harbour")
    page.locator("#id_alt_text").fill("Boats in Vancouver's harbour at dusk")
    page.locator("#id_credit_text").fill("Photo by Mike Benna on Unsplash")
    page.locator("#id_credit_url").fill("https://unsplash.com/@mbenna")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    key = re.search(r"image:(\w+)", page.locator("code.image-markdown").inner_text()).group(1)

    page.goto(f"{site}/admin/guides/guide/")
    edit_in_draft(page, "ICLR 2021 — 10 papers you shouldn't miss")
    # As the cover, and under pick 1.
    page.get_by_role("button", name="Add another Figure").click()
    page.locator("#id_figures-0-place").select_option("cover")
    choose(page, "id_figures-0-image", "harbour", "Vancouver harbour")
    page.get_by_role("button", name="Add another Figure").click()
    page.locator("#id_figures-1-place").select_option("pick")
    page.locator("#id_figures-1-pick").select_option(index=1)
    choose(page, "id_figures-1-image", "harbour", "Vancouver harbour")
    page.locator("#id_figures-1-caption").fill("The harbour again, under the first pick.")
    # Inside the intro, with the Markdown chooser.
    intro = page.locator("#id_intro")
    intro.evaluate("area => area.setSelectionRange(area.value.length, area.value.length)")
    page.locator(".image-chooser-toggle[data-for=id_intro]").click()
    page.locator(".image-chooser:not([hidden]) input[type=search]").fill("harbour")
    page.locator(".image-chooser:not([hidden]) .image-choice", has_text="Vancouver harbour").click()
    expect(intro).to_have_value(re.compile(rf"\n\n!\[\]\(image:{key}\)\n\n$"))
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    publish_the_changes(site, page, "ICLR 2021 — 10 papers you shouldn't miss")

    page.goto(f"{site}/guides/{GUIDE}/")
    cover = page.locator("article.guide > figure.figure")
    expect(cover.locator("img")).to_have_attribute("alt", "Boats in Vancouver's harbour at dusk")
    expect(cover.locator("figcaption a")).to_have_text("Photo by Mike Benna on Unsplash")
    expect(page.locator("#pick-1 figure figcaption")).to_contain_text("under the first pick")
    expect(page.locator(".intro figure img")).to_have_attribute("loading", "lazy")
    # 44rem of column on a 1x screen: the 800-pixel rendition, in the best format.
    width, source = chosen_width(page, "article.guide > figure.figure img")
    assert (width, source.rsplit(".", 1)[1]) == (800, "avif")


def test_the_browser_picks_the_smallest_rendition_that_fills_the_layout(site, browser):
    attach_images(12)
    for viewport, scale, expected in [
        ((1280, 900), 1, 800),
        ((1280, 900), 2, 1440),
        ((390, 844), 1, 480),
        ((390, 844), 2, 800),
    ]:
        context = browser.new_context(
            viewport={"width": viewport[0], "height": viewport[1]}, device_scale_factor=scale
        )
        page = context.new_page()
        page.goto(f"{site}/guides/neurips-2020-10-essentials/")
        width, _ = chosen_width(page, "article.guide > figure.figure img")
        displayed = page.locator("article.guide > figure.figure img").evaluate(
            "img => img.getBoundingClientRect().width"
        )
        assert width == expected, (viewport, scale, width, displayed)
        assert width >= displayed * scale  # sharp
        context.close()


def test_ten_figures_download_only_what_the_layout_shows(site, page):
    attach_images(12)
    downloads = []
    page.on(
        "response",
        lambda response: "/media/renditions/" in response.url and downloads.append(response),
    )
    page.goto(f"{site}/guides/neurips-2020-10-essentials/")
    page.wait_for_load_state("networkidle")
    at_first = len(downloads)
    assert 1 <= at_first < 12  # the cover and what is near; the rest waits (lazy)
    for figure in page.locator("figure.figure img").all():
        figure.scroll_into_view_if_needed()
        # expect polls without eval (wait_for_function's polling breaks the CSP).
        expect(figure).to_have_js_property("complete", True)
        assert figure.evaluate("img => img.naturalWidth") > 0
    page.wait_for_load_state("networkidle")
    images = page.locator("figure.figure img")
    assert images.count() == 12
    assert len(downloads) == 12  # one rendition per figure: no second format, no original
    for index in range(12):
        img = images.nth(index)
        shown = img.evaluate("img => img.getBoundingClientRect().width")
        width, source = chosen_width(page, f"figure.figure >> nth={index} >> img")
        assert width <= next(w for w in (320, 480, 640, 800, 1080, 1440) if w >= shown), source
    total = sum(len(response.body()) for response in downloads)
    biggest = sum(len(r.body()) for r in downloads if r.url.endswith("/1440.avif"))
    assert biggest == 0 and total > 0


def attach_images(count):
    """Give NeurIPS 2020's figures (the cover and those under its picks) images."""
    guide = Guide.objects.get(slug="neurips-2020-10-essentials")
    for figure in Figure.objects.filter(guide=guide).order_by("number")[:count]:
        figure.image = ImageFactory(width=1600, height=900)
        figure.save()
