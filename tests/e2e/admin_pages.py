"""What an editor does on the admin's pages, shared by the browser tests."""

from playwright.sync_api import expect


def choose(page, select_id, search, option):
    """Pick `option` in one of the admin's autocomplete (select2) fields."""
    page.locator(f"#{select_id} + .select2 .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(search)
    page.locator(".select2-results__option", has_text=option).first.click()


def edit_in_draft(page, guide_title):
    """Open a published guide from the list and press “Edit in a draft”."""
    page.get_by_role("link", name=guide_title).first.click()
    expect(page.locator("#id_title")).to_have_count(0)  # the live guide is read-only
    page.get_by_role("button", name="Edit in a draft").click()
    expect(page.locator("#draft-panel-title")).to_have_text("Draft of changes to a published guide")


def publish_the_changes(site, page, guide_title):
    page.goto(f"{site}/admin/guides/guide/")
    page.get_by_role("link", name=guide_title).first.click()
    expect(page.locator("#draft-panel-title")).to_have_text("This guide has unpublished changes")
    confirm = page.get_by_label("Publish even with the", exact=False)
    if confirm.count():  # a seed guide's figures still wait for their images
        confirm.check()
    page.get_by_role("button", name="Publish the changes now").click()
    expect(page.locator(".messagelist")).to_contain_text("Published the changes")
