"""Every save of a guide is kept, with its sections, picks and figures; any revision comes back."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from reversion.models import Version

from guides.models import FigurePlace, Guide
from tests.browser_forms import form_data, post_guide
from tests.conftest import member
from tests.factories import FigureFactory, PickFactory, SectionFactory, UnpublishedGuideFactory

pytestmark = pytest.mark.django_db


def snapshot(guide):
    """Everything an editor edits on the guide's page, as plain data."""
    guide = Guide.objects.get(pk=guide.pk)
    return {
        "guide": (guide.title, guide.intro, guide.status),
        "sections": list(guide.sections.values_list("title", "slug", "order", "intro")),
        "picks": list(
            guide.picks.values_list("rank", "paper_id", "section__slug", "why", "key_insights")
        ),
        "figures": list(guide.figures.values_list("number", "place", "caption", "image_id")),
    }


@pytest.fixture
def edited(client, editor):
    """A guide saved in the admin as it was (revision 1), then changed on its page
    (revision 2), its section's page (3) and a pick's page (4), and a pick deleted."""
    guide = UnpublishedGuideFactory(title="First title", intro="First intro")
    section = SectionFactory(guide=guide, title="Part one", slug="part-one")
    picks = [
        PickFactory(guide=guide, rank=rank, section=section, why=f"Why number {rank}")
        for rank in (1, 2, 3)
    ]
    FigureFactory(guide=guide, number=1, place=FigurePlace.COVER, caption="First caption")
    client.force_login(editor)
    assert post_guide(client, guide).status_code == 302  # revision 1: as it was
    first = snapshot(guide)
    changes = {"title": "Second title", "intro": "Second intro"}
    changes |= {"figures-0-caption": "A second caption"}
    changes |= {f"pick-{picks[0].pk}-rank": "2", f"pick-{picks[1].pk}-rank": "1"}  # swapped
    assert post_guide(client, guide, **changes).status_code == 302  # revision 2
    assert save_part(client, section, title="Part one, renamed").status_code == 302  # 3
    assert save_part(client, picks[0], why="A rewritten why").status_code == 302  # 4
    picks[2].delete()
    return guide, first


def save_part(client, part, **changes):
    """Change a section or pick on its own page."""
    url = reverse(f"admin:guides_{part._meta.model_name}_change", args=[part.pk])
    data = form_data(client.get(url))
    data.update({name: [value] for name, value in changes.items()})
    return client.post(url, data)


def versions_of(guide):
    return Version.objects.get_for_object(guide).order_by("revision__date_created", "pk")


def test_each_save_is_a_revision_with_its_author(client, editor, edited):
    guide, _ = edited
    versions = versions_of(guide)
    assert versions.count() == 4
    assert {v.revision.user for v in versions} == {editor}
    assert [v.revision.get_comment() for v in versions][2:] == [
        "Changed Part one, renamed on its own page.",
        f"Changed 2. {guide.picks.get(rank=2).paper} on its own page.",
    ]
    history = client.get(reverse("admin:guides_guide_history", args=[guide.pk]))
    assert history.status_code == 200
    html = history.content.decode()
    assert editor.username in html or str(editor) in html


def test_two_revisions_compare_as_a_readable_diff(client, edited):
    guide, _ = edited
    first, second, *_ = versions_of(guide)
    response = client.get(
        reverse("admin:guides_guide_compare", args=[guide.pk]),
        {"version_id1": first.pk, "version_id2": second.pk},
    )
    assert response.status_code == 200
    text = BeautifulSoup(response.content, "html.parser").get_text(" ")
    assert "First title" in text and "Second title" in text
    assert "First intro" in text and "Second intro" in text


def test_restoring_a_revision_brings_back_sections_and_picks_exactly(client, edited):
    guide, first_state = edited
    assert snapshot(guide) != first_state
    first = versions_of(guide).first()
    url = reverse("admin:guides_guide_revision", args=[guide.pk, first.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert snapshot(guide) != first_state  # looking at a revision changes nothing
    response = client.post(url, form_data(page))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert snapshot(guide) == first_state
    assert versions_of(guide).count() == 5  # the restore is itself a revision


def test_a_contributor_cannot_restore_someone_elses_guide(client, edited):
    guide, _ = edited
    first = versions_of(guide).first()
    client.force_login(member("Contributor"))
    url = reverse("admin:guides_guide_revision", args=[guide.pk, first.pk])
    assert client.post(url, {}).status_code == 403
    assert Guide.objects.get(pk=guide.pk).title == "Second title"
