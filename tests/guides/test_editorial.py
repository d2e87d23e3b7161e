"""The editorial workflow in the admin: roles, review, scheduling, preview, ordering."""

import datetime as dt

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from guides.models import Guide, Pick, Status
from guides.roles import CONTRIBUTOR
from tests.browser_forms import (
    change_url,
    edit_in_draft,
    errors_of,
    form_data,
    post_guide,
    publish_changes,
)
from tests.conftest import member
from tests.factories import (
    ConferenceFactory,
    GuideFactory,
    PaperFactory,
    PickFactory,
    SectionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def unpublished(**kwargs):
    """A guide being written: edited in place (a published one is changed in a draft)."""
    return GuideFactory(status=Status.DRAFT, published_at=None, **kwargs)


def draft_of(user, **kwargs):
    return GuideFactory(status=Status.DRAFT, published_at=None, created_by=user, **kwargs)


# --- roles ---------------------------------------------------------------------


def test_the_roles_exist_with_their_powers(editor, contributor):
    assert editor.has_perm("guides.publish_guide")
    assert not contributor.has_perm("guides.publish_guide")
    assert contributor.has_perm("guides.add_guide") and contributor.has_perm("papers.add_paper")
    assert not contributor.has_perm("papers.delete_paper")


def test_a_contributor_creates_a_draft_and_submits_it(client, contributor):
    client.force_login(contributor)
    conference = ConferenceFactory()
    add = client.get(reverse("admin:guides_guide_add"))
    data = form_data(add)
    data.update(title=["My first guide"], slug=["my-first-guide"], conference=[str(conference.pk)])
    assert client.post(reverse("admin:guides_guide_add"), data).status_code == 302
    guide = Guide.objects.get(slug="my-first-guide")
    assert (guide.status, guide.created_by) == (Status.DRAFT, contributor)
    assert post_guide(client, guide, status=Status.IN_REVIEW).status_code == 302
    guide.refresh_from_db()
    assert guide.status == Status.IN_REVIEW
    # Submitted: now the editors' to change.
    assert client.post(change_url(guide), {"title": "changed"}).status_code == 403


def test_a_contributor_cannot_publish_even_by_crafting_the_post(client, contributor):
    guide = draft_of(contributor)
    client.force_login(contributor)
    page = client.get(change_url(guide))
    assert [value for value, _ in page.context["adminform"].form.fields["status"].choices] == [
        Status.DRAFT,
        Status.IN_REVIEW,
    ]
    response = post_guide(client, guide, status=Status.PUBLISHED)
    assert any("Select a valid choice" in message for message in errors_of(response))
    guide.refresh_from_db()
    assert guide.status == Status.DRAFT and guide not in Guide.objects.public()


def test_a_contributor_cannot_reach_the_publish_actions(client, contributor):
    guide = draft_of(contributor)
    client.force_login(contributor)
    changelist = client.get(reverse("admin:guides_guide_changelist"))
    assert "publish_now" not in changelist.context["action_form"].fields["action"].choices.__str__()
    for action in ("publish_now", "unpublish"):
        client.post(
            reverse("admin:guides_guide_changelist"),
            {"action": action, "_selected_action": [guide.pk]},
        )
    guide.refresh_from_db()
    assert guide.status == Status.DRAFT


def test_a_contributor_cannot_edit_another_contributors_draft(client, contributor):
    other = draft_of(member(CONTRIBUTOR), title="Someone else's draft")
    pick = PickFactory(guide=other)
    client.force_login(contributor)
    assert client.get(change_url(other)).status_code == 200  # may read it
    assert client.post(change_url(other), {"title": "mine now"}).status_code == 403
    pick_url = reverse("admin:guides_pick_change", args=[pick.pk])
    assert client.post(pick_url, {"why": "vandalised"}).status_code == 403
    other.refresh_from_db()
    pick.refresh_from_db()
    assert other.title == "Someone else's draft" and pick.why == "Because it matters."


def test_an_editor_can_edit_and_publish_any_guide(client, editor, contributor):
    guide = draft_of(contributor)
    client.force_login(editor)
    assert (
        post_guide(
            client, guide, status=Status.PUBLISHED, published_at_0="", published_at_1=""
        ).status_code
        == 302
    )
    guide.refresh_from_db()
    assert guide.status == Status.PUBLISHED
    assert timezone.now() - guide.published_at < dt.timedelta(minutes=1)
    assert client.get(guide.get_absolute_url()).status_code == 200


# --- scheduling -------------------------------------------------------------------


def test_a_scheduled_guide_appears_by_itself_at_its_time(client, editor):
    guide = draft_of(editor, title="Scheduled guide")
    client.force_login(editor)
    response = post_guide(
        client,
        guide,
        status=Status.PUBLISHED,
        published_at_0="2031-03-01",
        published_at_1="09:00:00",
    )
    assert response.status_code == 302
    guide.refresh_from_db()
    assert guide.published_at == dt.datetime(2031, 3, 1, 9, tzinfo=dt.UTC)
    assert "Scheduled for" in client.get(reverse("admin:guides_guide_changelist")).content.decode()
    client.logout()
    public_urls = [guide.get_absolute_url(), "/", "/guides/", guide.conference.get_absolute_url()]
    with time_machine.travel(dt.datetime(2031, 3, 1, 8, 59, tzinfo=dt.UTC), tick=False):
        assert client.get(guide.get_absolute_url()).status_code == 404
        for url in public_urls[1:]:
            assert "Scheduled guide" not in client.get(url).content.decode(), url
    with time_machine.travel(dt.datetime(2031, 3, 1, 9, 0, 1, tzinfo=dt.UTC), tick=False):
        assert client.get(guide.get_absolute_url()).status_code == 200
        for url in public_urls[1:]:
            assert "Scheduled guide" in client.get(url).content.decode(), url


def test_a_scheduled_time_in_the_past_is_refused(client, editor):
    guide = draft_of(editor)
    client.force_login(editor)
    response = post_guide(
        client,
        guide,
        status=Status.PUBLISHED,
        published_at_0="2020-01-01",
        published_at_1="10:00:00",
    )
    assert (
        "A scheduled publication time must be in the future. Leave it empty to publish now."
        in errors_of(response)
    )
    guide.refresh_from_db()
    assert guide.status == Status.DRAFT


def test_a_published_guide_is_changed_through_a_draft(client, editor):
    published = timezone.now() - dt.timedelta(days=30)
    guide = GuideFactory(published_at=published, title="Before")
    client.force_login(editor)
    # Its own page is read-only, and a crafted save is refused.
    assert client.post(change_url(guide), {"title": "After"}).status_code == 403
    draft = edit_in_draft(client, guide)
    response = post_guide(client, draft, title="After")
    assert response.status_code == 302, errors_of(response)
    guide.refresh_from_db()
    assert guide.title == "Before" and guide.updated_at is None
    publish_changes(client, guide)
    guide.refresh_from_db()
    assert guide.title == "After" and guide.published_at == published
    assert timezone.now() - guide.updated_at < dt.timedelta(minutes=1)


def test_unpublish_and_bulk_publish_actions(client, editor):
    live, draft = GuideFactory(), GuideFactory(status=Status.DRAFT, published_at=None)
    client.force_login(editor)
    url = reverse("admin:guides_guide_changelist")
    client.post(url, {"action": "unpublish", "_selected_action": [live.pk]})
    live.refresh_from_db()
    assert live.status == Status.DRAFT and client.get(live.get_absolute_url()).status_code == 404
    client.post(url, {"action": "publish_now", "_selected_action": [draft.pk, live.pk]})
    assert Guide.objects.public().count() == 2


def test_changelist_filters_and_search(client, editor):
    GuideFactory(title="Alpha guide", status=Status.DRAFT, published_at=None)
    GuideFactory(title="Beta guide")
    client.force_login(editor)
    url = reverse("admin:guides_guide_changelist")
    drafts = client.get(url, {"status__exact": "draft"}).context["cl"].result_list
    assert [g.title for g in drafts] == ["Alpha guide"]
    found = client.get(url, {"q": "beta"}).context["cl"].result_list
    assert [g.title for g in found] == ["Beta guide"]


# --- the editing page ------------------------------------------------------------


def rank(pick):
    return f"pick-{pick.pk}-rank"


def section(pick):
    return f"pick-{pick.pk}-section"


def pick_page(pick=None):
    if pick is None:
        return reverse("admin:guides_pick_add")
    return reverse("admin:guides_pick_change", args=[pick.pk])


def in_draft(draft, *picks):
    """The draft's copies of picks of its guide."""
    return [draft.picks.get(paper=pick.paper) for pick in picks]


def test_reordering_picks_swaps_ranks_without_collisions(client, editor):
    guide = GuideFactory()
    first, second, third = (PickFactory(guide=guide, rank=r) for r in (1, 2, 3))
    Client().get(guide.get_absolute_url())  # the cards are stored, with their numbers
    client.force_login(editor)
    draft = edit_in_draft(client, guide)
    first, second, third = in_draft(draft, first, second, third)
    # Drag the third pick to the top: ranks 3, 1, 2 become 1, 2, 3.
    changes = {rank(third): "1", rank(first): "2", rank(second): "3"}
    assert post_guide(client, draft, **changes).status_code == 302
    assert list(draft.picks.values_list("pk", flat=True)) == [third.pk, first.pk, second.pk]
    publish_changes(client, guide)
    assert list(guide.picks.values_list("pk", flat=True)) == [third.pk, first.pk, second.pk]
    page = client.get(guide.get_absolute_url()).content.decode()
    assert (
        page.index(third.paper.title)
        < page.index(first.paper.title)
        < page.index(second.paper.title)
    )
    cards = BeautifulSoup(page, "html.parser").select("article.pick h3")  # stored cards redone
    assert [h3.get_text(" ", strip=True) for h3 in cards] == [
        f"{n}. {pick.paper.title}" for n, pick in enumerate([third, first, second], start=1)
    ]


def test_moving_a_pick_to_another_section_on_the_guides_page(client, editor):
    guide = GuideFactory()
    one, two = SectionFactory(guide=guide, order=1), SectionFactory(guide=guide, order=2)
    pick = PickFactory(guide=guide, rank=1, section=one)
    client.force_login(editor)
    draft = edit_in_draft(client, guide)
    (pick,) = in_draft(draft, pick)
    two = draft.sections.get(slug=two.slug)
    assert post_guide(client, draft, **{section(pick): str(two.pk)}).status_code == 302
    publish_changes(client, guide)
    assert Pick.objects.get(pk=pick.pk).section == two
    soup = BeautifulSoup(client.get(guide.get_absolute_url()).content, "html.parser")
    assert soup.select_one(f"#{two.slug} #pick-1") is not None


def test_the_same_paper_twice_is_refused_with_a_clear_message(client, editor):
    guide = unpublished()
    first, second = PickFactory(guide=guide, rank=1), PickFactory(guide=guide, rank=2)
    client.force_login(editor)
    data = form_data(client.get(pick_page(second)))
    data["paper"] = [str(first.paper.pk)]
    response = client.post(pick_page(second), data)
    assert response.status_code == 200
    assert "This paper is already picked in this guide." in response.content.decode()
    assert Pick.objects.get(pk=second.pk).paper == second.paper


def test_two_picks_with_one_number_are_refused(client, editor):
    guide = unpublished()
    first, second = PickFactory(guide=guide, rank=1), PickFactory(guide=guide, rank=2)
    client.force_login(editor)
    assert errors_of(post_guide(client, guide, **{rank(second): "1"})) == [
        f"Picks “{first.paper.title}” and “{second.paper.title}” have the same number, 1. "
        "Each needs its own."
    ]
    assert list(guide.picks.values_list("rank", flat=True)) == [1, 2]


def test_a_pick_cannot_go_into_another_guides_section(client, editor):
    guide = unpublished()
    pick = PickFactory(guide=guide, rank=1)
    elsewhere = SectionFactory()
    client.force_login(editor)
    messages = errors_of(post_guide(client, guide, **{section(pick): str(elsewhere.pk)}))
    assert any("Select a valid choice" in m for m in messages)
    data = form_data(client.get(pick_page(pick)))
    data["section"] = [str(elsewhere.pk)]
    assert "Select a valid choice" in client.post(pick_page(pick), data).content.decode()
    assert Pick.objects.get(pk=pick.pk).section is None


def test_a_new_pick_from_the_guides_page(client, editor):
    guide = unpublished()
    PickFactory(guide=guide, rank=1)
    client.force_login(editor)
    soup = BeautifulSoup(client.get(change_url(guide)).content, "html.parser")
    add = soup.find("a", string="Add a pick")["href"]
    assert add == f"{pick_page()}?guide={guide.pk}&rank=2"
    page = client.get(add)
    assert 'data-model-ref="paper"' in page.content.decode()  # "+" creates a paper
    data = form_data(page)
    assert (data["guide"], data["rank"]) == ([str(guide.pk)], ["2"])
    paper = PaperFactory(conference=guide.conference)
    data.update(paper=[str(paper.pk)], why=["New pick"])
    response = client.post(add, data)
    assert response["Location"] == change_url(guide) + "#picks"
    assert guide.picks.get(rank=2).paper == paper


def test_a_webinar_that_ends_before_it_starts_is_refused(client, editor):
    conference = ConferenceFactory()
    client.force_login(editor)
    url = reverse("admin:guides_webinar_add")
    data = form_data(client.get(url))
    data.update(
        title=["Backwards"],
        slug=["backwards"],
        conference=[str(conference.pk)],
        starts_on=["2030-01-01"],
        duration=["-01:00:00"],
    )
    response = client.post(url, data)
    assert "A webinar cannot end before it starts." in str(
        response.context["adminform"].form.errors
    )


# --- preview ------------------------------------------------------------------------


def test_preview_is_for_staff_only(client, editor):
    guide = GuideFactory(
        status=Status.DRAFT, published_at=None, title="Secret draft", intro="Hidden *words*"
    )
    PickFactory(guide=guide, why="Draft reasoning")
    preview = guide.get_preview_url()
    anonymous = client.get(preview)
    assert anonymous.status_code == 302 and "/admin/login/" in anonymous["Location"]
    client.force_login(UserFactory(is_staff=False))
    assert client.get(preview).status_code in (302, 404)
    client.force_login(editor)
    page = client.get(preview)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Preview:" in html and "Draft reasoning" in html and "<em>words</em>" in html
    assert client.get(guide.get_absolute_url()).status_code == 404  # still not public
    change = BeautifulSoup(client.get(change_url(guide)).content, "html.parser")
    assert change.select_one("a.viewsitelink")["href"] == preview


def test_view_on_site_of_a_draft_goes_to_its_preview(editor):
    from django.contrib import admin

    guide = GuideFactory(status=Status.DRAFT, published_at=None)
    model_admin = admin.site._registry[Guide]
    assert model_admin.view_on_site(guide) == guide.get_preview_url()
    guide.status, guide.published_at = Status.PUBLISHED, timezone.now()
    assert model_admin.view_on_site(guide) == guide.get_absolute_url()


def test_topics_are_chosen_with_autocomplete(client, editor):
    from papers.models import Tag

    rl = Tag.objects.create(name="Reinforcement learning", slug="reinforcement-learning")
    Tag.objects.create(name="Computer vision", slug="computer-vision")
    guide = unpublished()
    client.force_login(editor)
    found = client.get(
        "/admin/autocomplete/",
        {"app_label": "guides", "model_name": "guide", "field_name": "tags", "term": "reinf"},
    ).json()
    assert [item["text"] for item in found["results"]] == ["Reinforcement learning"]
    assert post_guide(client, guide, tags=[str(rl.pk)]).status_code == 302
    assert list(guide.tags.names()) == ["Reinforcement learning"]
    page = BeautifulSoup(client.get(change_url(guide)).content, "html.parser")
    assert page.select_one("#id_tags")["class"] == ["admin-autocomplete"]
    assert page.select_one("#add_id_tags")["href"].startswith("/admin/papers/tag/add/")


# --- two editors at once ----------------------------------------------------------


def test_a_stale_save_is_refused_and_says_what_changed(client, editor):
    guide = unpublished(title="Original title", intro="Original intro")
    PickFactory(guide=guide, rank=1, why="Original why")
    other = Client()
    other.force_login(member("Editor"))
    client.force_login(editor)
    mine = form_data(client.get(change_url(guide)))  # both open the page
    theirs = form_data(other.get(change_url(guide)))
    theirs["title"] = ["Their title"]
    assert other.post(change_url(guide), theirs).status_code == 302  # they save first
    mine["intro"] = ["My intro"]
    response = client.post(change_url(guide), mine)  # my save is based on the old version
    (message,) = [m for m in errors_of(response) if "Someone else saved" in m]
    assert "Changed: title." in message
    guide.refresh_from_db()
    assert (guide.title, guide.intro) == ("Their title", "Original intro")
    # Reloading gives the current version, and then my save goes through.
    fresh = form_data(client.get(change_url(guide)))
    fresh["intro"] = ["My intro"]
    assert client.post(change_url(guide), fresh).status_code == 302
    guide.refresh_from_db()
    assert (guide.title, guide.intro) == ("Their title", "My intro")


def test_a_stale_reorder_is_refused_but_edits_of_other_picks_go_through(client, editor):
    guide = unpublished()
    first, second = PickFactory(guide=guide, rank=1), PickFactory(guide=guide, rank=2)
    other = Client()
    other.force_login(member("Editor"))
    client.force_login(editor)
    mine = form_data(client.get(change_url(guide)))
    # Someone edits a pick's text on its own page: my page's save is not in the way.
    theirs = form_data(other.get(pick_page(second)))
    theirs["why"] = ["Their why"]
    assert other.post(pick_page(second), theirs).status_code == 302
    assert client.post(change_url(guide), mine).status_code == 302
    assert Pick.objects.get(pk=second.pk).why == "Their why"
    # Someone reorders the picks: my save, based on the old order, is refused.
    mine = form_data(client.get(change_url(guide)))
    assert post_guide(other, guide, **{rank(first): "2", rank(second): "1"}).status_code == 302
    mine[rank(first)], mine[rank(second)] = ["1"], ["2"]
    messages = errors_of(client.post(change_url(guide), mine))
    assert any("Changed: its sections, picks or references" in m for m in messages)
    assert list(guide.picks.values_list("pk", flat=True)) == [second.pk, first.pk]
