"""Autosave: the texts of a draft (or of a pick) saved while typing; never a published
guide; a stale autosave refused with who and what; different picks do not meet."""

import json

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse

from guides import drafts
from guides.models import Guide, Pick, Section
from tests.browser_forms import change_url, form_data, post_guide
from tests.conftest import member
from tests.factories import GuideFactory, PickFactory, SectionFactory, UnpublishedGuideFactory

pytestmark = pytest.mark.django_db


def autosave_of(client, url):
    """The autosave marker of a page: (its address, the fields it sends, its state)."""
    marker = BeautifulSoup(client.get(url).content, "html.parser").select_one("[data-autosave]")
    assert marker is not None, "no autosave on the page"
    state = json.loads(marker["data-autosave-state"])
    return marker["data-autosave"], marker["data-autosave-fields"].split(), state


def texts(guide, **changes):
    return {
        "title": guide.title,
        "standfirst": guide.standfirst,
        "intro": guide.intro,
        "outro": guide.outro,
    } | changes


def test_a_drafts_texts_are_saved_while_typing_and_found_again(client, editor):
    guide = UnpublishedGuideFactory(intro="Before")
    client.force_login(editor)
    url, fields, state = autosave_of(client, change_url(guide))
    assert fields == ["title", "standfirst", "intro", "outro"]
    response = client.post(url, texts(guide, intro="Typed *so far*") | state)
    assert response.status_code == 200
    answer = response.json()
    guide.refresh_from_db()
    assert guide.intro == "Typed *so far*" and answer["seen_version"] == guide.version
    # Reopening the page shows it; the form's own save, based on the autosave, goes through.
    data = form_data(client.get(change_url(guide)))
    assert data["intro"] == ["Typed *so far*"]
    second = client.post(url, texts(guide, intro="Typed more") | answer)
    assert second.status_code == 200
    data.update(intro=["Typed and saved"], seen_version=[str(second.json()["seen_version"])])
    data["seen_fingerprint"] = [second.json()["seen_fingerprint"]]
    assert client.post(change_url(guide), data).status_code == 302
    guide.refresh_from_db()
    assert guide.intro == "Typed and saved"


def test_a_stale_autosave_is_refused_with_who_and_what(client, editor):
    guide = UnpublishedGuideFactory(title="Original")
    client.force_login(editor)
    url, _, state = autosave_of(client, change_url(guide))
    other = Client()
    other.force_login(member("Editor"))
    assert post_guide(other, guide, title="Their title").status_code == 302
    response = client.post(url, texts(guide, intro="Mine") | state)
    assert response.status_code == 409
    (message,) = response.json()["errors"]
    assert "Someone else saved this guide" in message and "Changed: title." in message
    guide.refresh_from_db()
    assert (guide.title, guide.intro) == ("Their title", "")


def test_a_published_guide_is_never_autosaved(client, editor):
    guide = GuideFactory(intro="Live")
    client.force_login(editor)
    page = BeautifulSoup(client.get(change_url(guide)).content, "html.parser")
    assert page.select_one("[data-autosave]") is None
    url = reverse("admin:guides_guide_autosave", args=[guide.pk])
    response = client.post(url, texts(guide, intro="Overwritten") | {"seen_version": 1})
    assert response.status_code == 403
    assert Guide.objects.get(pk=guide.pk).intro == "Live"
    draft = drafts.start_draft(guide, editor)  # its draft is
    url, _, state = autosave_of(client, change_url(draft))
    assert client.post(url, texts(draft, intro="In the draft") | state).status_code == 200
    assert Guide.objects.get(pk=guide.pk).intro == "Live"


def test_two_editors_on_different_picks_do_not_meet(client, editor):
    guide = UnpublishedGuideFactory()
    first, second = PickFactory(guide=guide, rank=1), PickFactory(guide=guide, rank=2)
    other = Client()
    other.force_login(member("Editor"))
    client.force_login(editor)
    pick_page = lambda pick: reverse("admin:guides_pick_change", args=[pick.pk])  # noqa: E731
    mine_url, fields, mine = autosave_of(client, pick_page(first))
    theirs_url, _, theirs = autosave_of(other, pick_page(second))
    _, _, theirs_of_first = autosave_of(other, pick_page(first))  # they open mine too
    assert fields == ["why", "key_insights"]
    for _ in range(2):  # each saves twice, interleaved
        response = client.post(mine_url, {"why": "My why", "key_insights": ""} | mine)
        assert response.status_code == 200
        mine = {"seen_texts": response.json()["seen_texts"]}
        response = other.post(theirs_url, {"why": "Their why", "key_insights": ""} | theirs)
        assert response.status_code == 200
        theirs = {"seen_texts": response.json()["seen_texts"]}
    assert Pick.objects.get(pk=first.pk).why == "My why"
    assert Pick.objects.get(pk=second.pk).why == "Their why"
    # The same pick: the one based on the older texts is refused.
    response = other.post(mine_url, {"why": "Their take", "key_insights": ""} | theirs_of_first)
    assert response.status_code == 409
    assert "Someone else changed this pick's texts" in response.json()["errors"][0]
    assert Pick.objects.get(pk=first.pk).why == "My why"


def test_a_sections_texts_are_autosaved_too(client, editor):
    section = SectionFactory(guide=UnpublishedGuideFactory(), title="Vision", intro="")
    client.force_login(editor)
    url, fields, state = autosave_of(
        client, reverse("admin:guides_section_change", args=[section.pk])
    )
    assert fields == ["title", "intro"]
    response = client.post(url, {"title": "Vision", "intro": "An *overview*"} | state)
    assert response.status_code == 200
    assert Section.objects.get(pk=section.pk).intro == "An *overview*"
    section.title = "Renamed elsewhere"
    section.save()
    stale = client.post(url, {"title": "Vision", "intro": "Mine"} | state)
    assert stale.status_code == 409
    assert "Someone else changed this section's texts" in stale.json()["errors"][0]


def test_bad_autosave_data_is_a_clear_400(client, editor):
    guide = UnpublishedGuideFactory(title="Kept")
    client.force_login(editor)
    url, _, state = autosave_of(client, change_url(guide))
    response = client.post(url, texts(guide, title="") | state)
    assert response.status_code == 400
    assert response.json()["errors"] == ["This field is required."]
    assert Guide.objects.get(pk=guide.pk).title == "Kept"
    assert Client().post(url, texts(guide)).status_code == 302  # to the log-in page
