"""Unpublished changes to a published guide: a draft, previewed, compared, published
at once or at a time, or discarded; readers see the live guide until then."""

import datetime as dt
import io

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from guides import drafts
from guides.models import FigurePlace, Guide, Pick, Status
from papers.models import Paper
from tests.browser_forms import (
    change_url,
    edit_in_draft,
    form_data,
    guide_action,
    post_guide,
    publish_changes,
)
from tests.factories import (
    FigureFactory,
    GuideFactory,
    ImageFactory,
    PaperFactory,
    PickFactory,
    ReferenceFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def live():
    """A published guide with a part of every kind."""
    guide = GuideFactory(title="Live title", intro="Live intro[^1]")
    guide.tags.add("Transformers")
    section = SectionFactory(guide=guide, title="Vision", slug="vision", intro="About vision")
    image = ImageFactory()
    first = PickFactory(guide=guide, rank=1, section=section, why=f"![](image:{image.key})")
    first.related_papers.add(PaperFactory())
    PickFactory(guide=guide, rank=2, why="Live why")
    ReferenceFactory(guide=guide, number=1, text="A reference")
    FigureFactory(guide=guide, number=1, place=FigurePlace.PICK, pick=first, image=image)
    first.save()  # its image index
    return guide


def page_text(url, client=None):
    return BeautifulSoup((client or Client()).get(url).content, "html.parser").get_text(" ")


def test_a_draft_is_a_full_copy_that_changes_nothing(live, editor):
    draft = drafts.start_draft(live, editor)
    assert drafts.changes(draft) == []
    assert draft.picks.count() == 2 and draft.sections.count() == 1
    first = draft.picks.get(rank=1)
    assert first.section.guide == draft and first.related_papers.count() == 1
    assert first.figures.get().guide == draft
    assert draft.embedded_images.get().pick == first
    assert list(draft.tags.names()) == ["Transformers"]
    assert drafts.start_draft(live, editor) == draft  # one draft per guide


def test_readers_see_the_live_guide_until_the_draft_is_published(live, client, editor):
    client.force_login(editor)
    draft = edit_in_draft(client, live)
    assert post_guide(client, draft, title="Draft title").status_code == 302
    why = form_data(
        client.get(
            pick_page := reverse("admin:guides_pick_change", args=[draft.picks.get(rank=2).pk])
        )
    )
    why["why"] = ["Draft why"]
    assert client.post(pick_page, why).status_code == 302
    public = page_text(live.get_absolute_url())
    assert "Live title" in public and "Live why" in public
    assert "Draft title" not in public and "Draft why" not in public
    assert Client().get(f"/guides/{draft.slug}/").status_code == 404
    assert Guide.objects.public().filter(pk=draft.pk).count() == 0
    preview = page_text(draft.get_preview_url(), client)
    assert "Draft title" in preview and "Draft why" in preview
    assert Client().get(draft.get_preview_url()).status_code == 302  # to the log-in page

    publish_changes(client, live, despite_problems=False)  # it has none
    public = page_text(live.get_absolute_url())
    assert "Draft title" in public and "Draft why" in public and "Live why" not in public
    live.refresh_from_db()
    assert live.draft_of_id is None and not Guide.objects.filter(draft_of=live).exists()
    assert Pick.objects.filter(guide=live).count() == 2 and live.embedded_images.count() == 1
    latest = Version.objects.get_for_object(live).select_related("revision").first()
    assert latest.revision.comment == f"Published the draft of changes (written by {editor})."


def test_the_comparison_shows_what_the_draft_changes(live, client, editor):
    client.force_login(editor)
    draft = edit_in_draft(client, live)
    post_guide(client, draft, intro="Draft intro[^1]")
    soup = BeautifulSoup(
        client.get(reverse("admin:guides_guide_changes", args=[live.pk])).content, "html.parser"
    )
    assert [s.get_text() for s in soup.select(".diff-removed")] == ["-Live intro[^1]"]
    assert [s.get_text() for s in soup.select(".diff-added")] == ["+Draft intro[^1]"]


def test_discarding_the_draft_leaves_the_live_guide(live, client, editor):
    client.force_login(editor)
    draft = edit_in_draft(client, live)
    post_guide(client, draft, title="Abandoned")
    client.post(guide_action(live, "discard"))
    assert not Guide.objects.filter(pk=draft.pk).exists()
    live.refresh_from_db()
    assert live.title == "Live title" and live.picks.count() == 2


def test_the_list_says_live_with_unpublished_changes(live, client, editor):
    client.force_login(editor)
    drafts.start_draft(live, editor)
    page = client.get(reverse("admin:guides_guide_changelist"))
    assert [g.pk for g in page.context["cl"].result_list] == [live.pk]
    assert "Published, with unpublished changes" in page.content.decode()


def test_a_scheduled_draft_goes_live_at_its_time(live, client, editor):
    client.force_login(editor)
    draft = edit_in_draft(client, live)
    response = post_guide(
        client,
        draft,
        title="Scheduled title",
        status=Status.PUBLISHED,
        published_at_0="2031-03-01",
        published_at_1="09:00:00",
    )
    assert response.status_code == 302
    assert (
        "changes scheduled for"
        in client.get(reverse("admin:guides_guide_changelist")).content.decode()
    )
    with time_machine.travel(dt.datetime(2031, 3, 1, 8, 59, tzinfo=dt.UTC), tick=False):
        assert "Live title" in page_text(live.get_absolute_url())
    with time_machine.travel(dt.datetime(2031, 3, 1, 9, 0, 1, tzinfo=dt.UTC), tick=False):
        # The first reader after the time publishes it (website.page_cache).
        assert "Scheduled title" in page_text(live.get_absolute_url())
    live.refresh_from_db()
    assert live.title == "Scheduled title" and not Guide.objects.filter(draft_of=live).exists()


def test_the_command_publishes_due_drafts(live, editor):
    draft = drafts.start_draft(live, editor)
    Guide.objects.filter(pk=draft.pk).update(
        title="By cron",
        status=Status.PUBLISHED,
        published_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC),
    )
    output = io.StringIO()
    call_command("publish_due_drafts", stdout=output)
    assert output.getvalue() == "Published 1 draft(s) of changes.\n"
    live.refresh_from_db()
    assert live.title == "By cron"


def test_a_published_guide_and_its_parts_are_not_edited_in_place(live, client, editor):
    client.force_login(editor)
    page = client.get(change_url(live))
    soup = BeautifulSoup(page.content, "html.parser")
    assert soup.select_one("#draft-panel-title").get_text() == "This guide is published"
    assert soup.select_one("input[name=title]") is None  # read-only
    assert "choose “Published”" not in soup.get_text()  # nothing to choose here
    draft_page = client.get(change_url(drafts.start_draft(live, editor))).content.decode()
    assert "Publish the changes now: choose “Published”" in draft_page
    pick = live.picks.first()
    url = reverse("admin:guides_pick_change", args=[pick.pk])
    assert client.post(url, {"why": "In place"}).status_code == 403
    assert Pick.objects.get(pk=pick.pk).why != "In place"


def test_contributors_cannot_start_or_publish_drafts_of_published_guides(
    live, client, contributor, editor
):
    drafts.start_draft(live, editor)
    client.force_login(contributor)
    for action in ("publish", "discard", "unpublish"):
        assert client.post(guide_action(live, action)).status_code == 403
    other = GuideFactory()
    assert client.post(guide_action(other, "start")).status_code == 403
    assert not Guide.objects.filter(draft_of=other).exists()
    assert client.get(guide_action(live, "publish")).status_code == 405


def test_unpublish_from_the_page(live, client, editor):
    client.force_login(editor)
    client.post(guide_action(live, "unpublish"))
    live.refresh_from_db()
    assert live.status == Status.DRAFT and Client().get(live.get_absolute_url()).status_code == 404


# --- restoring an old revision of a published guide ---------------------------------


@pytest.fixture
def revised(live, client, editor):
    """`live` as first saved (a revision), then changed through a draft: a new title,
    its second pick gone, its reference rewritten."""
    import reversion

    with reversion.create_revision():
        reversion.set_user(editor)
        reversion.add_to_revision(live)
    first = Version.objects.get_for_object(live).first()
    draft = drafts.start_draft(live, editor)
    draft.title = "Second title"
    draft.save()
    draft.picks.get(rank=2).delete()
    draft.references.update(text="A rewritten reference")
    drafts.publish_draft(draft, editor)
    return first


def restore_url(guide, version):
    return reverse("admin:guides_guide_revision", args=[guide.pk, version.pk])


def test_an_old_revision_comes_back_as_a_draft_and_the_live_guide_is_untouched(
    live, revised, client, editor
):
    client.force_login(editor)
    confirm = client.get(restore_url(live, revised))
    assert confirm.status_code == 200 and b"Restore into a draft" in confirm.content
    response = client.post(restore_url(live, revised))
    draft = Guide.objects.get(draft_of=live)
    assert response["Location"] == change_url(draft)
    assert draft.title == "Live title" and draft.picks.count() == 2
    assert draft.references.get().text == "A reference"
    assert draft.picks.get(rank=1).figures.count() == 1
    live.refresh_from_db()
    assert live.title == "Second title" and live.picks.count() == 1
    assert "Second title" in page_text(live.get_absolute_url())
    publish_changes(client, live)
    live.refresh_from_db()
    assert live.title == "Live title" and live.picks.count() == 2


def test_restoring_waits_for_the_current_draft(live, revised, client, editor):
    existing = drafts.start_draft(live, editor)
    client.force_login(editor)
    page = client.get(restore_url(live, revised)).content.decode()
    assert "already has a draft of changes" in page and "Restore into a draft" not in page
    client.post(restore_url(live, revised))
    assert Guide.objects.get(draft_of=live) == existing
    assert Guide.objects.get(pk=existing.pk).title == "Second title"


def test_contributors_cannot_restore_a_published_guide(live, revised, client, contributor):
    client.force_login(contributor)
    assert client.post(restore_url(live, revised)).status_code == 403
    assert not Guide.objects.filter(draft_of=live).exists()


def test_a_revision_naming_a_deleted_paper_is_refused_clearly(live, revised, client, editor):
    picks = revised.revision.version_set.filter(content_type__model="pick")
    in_revision = {version.field_dict["paper_id"] for version in picks}
    # The pick that left the guide: its paper may be deleted now, nothing protects it.
    (gone,) = in_revision - set(live.picks.values_list("paper_id", flat=True))
    Paper.objects.filter(pk=gone).delete()
    client.force_login(editor)
    response = client.post(restore_url(live, revised), follow=True)
    assert "papers or images that have been deleted since" in response.content.decode()
    assert not Guide.objects.filter(draft_of=live).exists()
