"""Checks before publishing: each problem found where it is, and publishing waits for them."""

import datetime as dt

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from guides.models import FigurePlace, Guide, Status
from guides.prepublish import check_guide
from tests.browser_forms import edit_in_draft, errors_of, guide_action, post_guide
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


def problems(guide):
    return {problem.message: problem.places for problem in check_guide(guide).problems}


def a_guide_with_every_problem(unknown_image=False):
    """A draft with every kind of problem (eleven places); an image reference the library
    does not have, only where the admin's forms are not used (they refuse it)."""
    guide = GuideFactory(
        status=Status.DRAFT,
        published_at=None,
        intro="See [the code](ftp://example.org/code) and [^1], [^3]."
        + (" ![](image:nosuchkey)" if unknown_image else ""),
        outro="[A relative link](www.example.org) and [a good one](https://example.org).",
    )
    section = SectionFactory(guide=guide, title="Empty section")
    SectionFactory(guide=guide, title="Full section")
    first = PickFactory(guide=guide, rank=1, why="", paper=PaperFactory(title="Attention"))
    PickFactory(guide=guide, rank=2, why="<javascript:alert(1)>", section=None)
    PickFactory(guide=guide, rank=3, paper=PaperFactory(title="attention "), why="Again.")
    ReferenceFactory(guide=guide, number=1)
    ReferenceFactory(guide=guide, number=2)
    FigureFactory(guide=guide, number=1, place=FigurePlace.PICK, pick=first, image=None)
    return guide, section


def test_every_kind_of_problem_is_found_where_it_is():
    guide, _ = a_guide_with_every_problem(unknown_image=True)
    assert problems(guide) == {
        "Picks without a “why”": ["pick 1 (Attention)"],
        "Figures waiting for an image (readers will not see them)": ["figure 1, under pick 1"],
        "Images in the text that are not in the media library": ["image:nosuchkey in the intro"],
        "Footnote markers without a reference": ["[3] in the intro"],
        "References never cited in the text": ["[2]"],
        "Links that are not web addresses (http or https)": [
            "ftp://example.org/code in the intro",
            "javascript:alert(1) in the why of pick 2",
            "www.example.org in the outro",
        ],
        "The same paper picked more than once": ["picks 1, 3"],
        "Sections without picks": ["Empty section", "Full section"],
    }


def test_a_careful_guide_has_no_problems_and_a_reading_time():
    guide = GuideFactory(intro="One two three four five[^1].", standfirst="Six seven.")
    section = SectionFactory(guide=guide)
    PickFactory(guide=guide, section=section, why=" ".join(["word"] * 500))
    ReferenceFactory(guide=guide, number=1)
    FigureFactory(guide=guide, number=1, image=ImageFactory(width=320, height=200))
    report = check_guide(guide)
    assert report.problems == []
    title_words = len(guide.title.split())
    assert report.words == title_words + 2 + 6 + 500
    assert report.reading_minutes == 3  # 510 words at 230 a minute, rounded up


def test_the_seed_posts_gaps_show_up_as_problems(seed):
    found = problems(Guide.objects.get(slug="iclr-2021-10-papers"))
    assert found["Footnote markers without a reference"][0].startswith("[5] in ")
    assert [p.split(" in ")[0] for p in found["Footnote markers without a reference"]] == [
        "[5]",
        "[8]",
        "[9]",
        "[10]",
    ]
    assert found["References never cited in the text"] == ["[4]"]


def test_publishing_with_problems_saves_but_waits_for_confirmation(editor, client):
    guide, _ = a_guide_with_every_problem()
    client.force_login(editor)
    response = post_guide(client, guide, status="published", title="Edited title")
    assert response.status_code == 302, errors_of(response)
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any(m.startswith("Saved, but not published: 10 problem(s)") for m in messages)
    guide.refresh_from_db()
    assert (guide.title, guide.status, guide.published_at) == ("Edited title", "draft", None)
    assert client.get(guide.get_absolute_url()).status_code == 404

    post_guide(client, guide, status="published", publish_despite_problems="on")
    guide.refresh_from_db()
    assert guide.status == Status.PUBLISHED and guide.is_public()


def test_scheduling_with_problems_waits_too(editor, client):
    guide, _ = a_guide_with_every_problem()
    client.force_login(editor)
    later = timezone.localtime() + dt.timedelta(days=2)
    post_guide(
        client,
        guide,
        status="published",
        published_at_0=later.strftime("%Y-%m-%d"),
        published_at_1=later.strftime("%H:%M:%S"),
    )
    guide.refresh_from_db()
    assert (guide.status, guide.published_at) == ("draft", None)


def test_publishing_changes_with_problems_needs_them_confirmed(editor, client):
    guide, _ = a_guide_with_every_problem()
    Guide.objects.filter(pk=guide.pk).update(status="published", published_at=timezone.now())
    client.force_login(editor)
    draft = edit_in_draft(client, guide)
    post_guide(client, draft, title="Changed title")
    publish = guide_action(guide, "publish")
    held = client.post(publish, follow=True)
    assert "Not published: the draft has 10 problem(s)" in held.content.decode()
    guide.refresh_from_db()
    assert guide.title != "Changed title"
    client.post(publish, {"publish_despite_problems": "on"})
    guide.refresh_from_db()
    assert (guide.title, guide.status) == ("Changed title", "published")
    assert not Guide.objects.filter(draft_of=guide).exists()


def test_the_change_page_lists_the_problems(staff_client):
    guide, _ = a_guide_with_every_problem()
    page = staff_client.get(reverse("admin:guides_guide_change", args=[guide.pk]))
    soup = BeautifulSoup(page.content, "html.parser")
    items = [li.get_text() for li in soup.select(".field-checks ul.prepublish-problems li")]
    assert items[0] == "Picks without a “why”: pick 1 (Attention)"
    assert len(items) == 7


def test_the_list_shows_problems_in_a_constant_number_of_queries(staff_client):
    url = reverse("admin:guides_guide_changelist") + "?status__exact=draft"

    def listing():
        with CaptureQueriesContext(connection) as queries:
            page = staff_client.get(url)
        soup = BeautifulSoup(page.content, "html.parser")
        return len(queries), [td.get_text() for td in soup.select("td.field-check_summary")]

    a_guide_with_every_problem()
    one = listing()
    a_guide_with_every_problem()
    GuideFactory(status=Status.DRAFT, published_at=None)
    three = listing()
    assert one[0] == three[0]
    assert one[1][0].startswith("10 problems · ")
    assert sorted(t.split(" · ")[0] for t in three[1]) == ["10 problems", "10 problems", "✓"]


def test_the_publish_action_leaves_out_guides_with_problems(staff_client):
    troubled, _ = a_guide_with_every_problem()
    fine = GuideFactory(status=Status.DRAFT, published_at=None)
    response = staff_client.post(
        reverse("admin:guides_guide_changelist"),
        {"action": "publish_now", "_selected_action": [troubled.pk, fine.pk]},
        follow=True,
    )
    messages = [str(m) for m in response.context["messages"]]
    assert messages == [
        "Published 1 guide(s).",
        f"Not published, because of problems to confirm on their pages: “{troubled}”",
    ]
    assert Guide.objects.get(pk=fine.pk).is_public()
    assert not Guide.objects.get(pk=troubled.pk).is_public()
