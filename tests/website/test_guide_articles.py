"""Stored guide articles: one query per guide page, and never stale.

The page cache is off here, so each request reaches the view and shows what the stored
article holds (tests/website/test_page_cache.py covers the same edits with the cache on).
"""

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from guides import drafts
from guides.models import Guide, Reference, Section, Status, Webinar
from papers.models import Conference, Paper, Tag
from tests.website.test_page_cache import edits
from website.guide_articles import stored_article

pytestmark = pytest.mark.usefixtures("seed")

SLUG = "neurips-2020-10-essentials"
GUIDE = f"/guides/{SLUG}/"
OTHER = "/guides/iclr-2022-10-papers/"


@pytest.fixture(autouse=True)
def _page_cache_off():
    with override_settings(PAGE_CACHE=False):
        yield


def guide():
    return Guide.objects.get(slug=SLUG)


def page(client, url=GUIDE):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def more_edits():
    """Edits of the article's other parts, each with the text it must show after."""

    def section_title():
        section = guide().sections.first()
        section.title = "A Freshly Named Section"
        section.save()
        return "A Freshly Named Section"

    def reference_text():
        reference = guide().references.get(number=1)
        reference.text = "A freshly corrected reference."
        reference.save()
        return "A freshly corrected reference."

    def new_webinar():
        Webinar.objects.create(
            guide=guide(),
            conference=guide().conference,
            title="A Freshly Announced Webinar",
            starts_on="2031-01-05",
        )
        return "A Freshly Announced Webinar"

    def byline_name():
        user = guide().bylines.get()
        user.display_name = "Freshly Renamed Editor"
        user.save()
        return "Freshly Renamed Editor"

    def guide_topic():
        guide().tags.add("Freshly Added Topic")
        return "Freshly Added Topic"

    def topic_rename():
        tag = guide().tags.first()
        tag.name = "Freshly Renamed Topic"
        tag.save()
        return "Freshly Renamed Topic"

    def conference_figures():
        conference = Conference.objects.get(slug="neurips-2020")
        conference.attendees = 23456
        conference.save()
        return "23,456"

    def related_paper_title():
        # A paper listed as related to one of the guide's picks, not picked itself.
        related = (
            Paper.objects.filter(related_to_picks__guide=guide())
            .exclude(picks__guide=guide())
            .exclude(related_to_picks__guide__slug=OTHER.split("/")[2])
            .exclude(picks__guide__slug=OTHER.split("/")[2])
            .first()
        )
        related.title = "A related paper, renamed"
        related.save()
        return "A related paper, renamed"

    def updated_date():
        later = timezone.now()
        drafts.publish_draft(drafts.start_draft(guide(), None), now=later)
        return f'Updated <time datetime="{later.isoformat(timespec="seconds")[:19]}'

    return [
        section_title,
        reference_text,
        new_webinar,
        byline_name,
        guide_topic,
        topic_rename,
        conference_figures,
        related_paper_title,
        updated_date,
    ]


def test_a_stored_article_makes_the_guide_page_one_query(client):
    first = page(client)
    assert guide().article_html and guide().article_ld["headline"] == guide().title
    with CaptureQueriesContext(connection) as queries:
        again = page(client)
    assert len(queries) == 3  # the site revision, the guide with its article, tag stamps
    assert again == first
    assert f'"url": "http://testserver{GUIDE}"' in again  # JSON-LD, for the serving host


@pytest.mark.parametrize("edit", edits() + more_edits(), ids=lambda edit: edit.__name__)
def test_an_edit_shows_at_once(client, edit):
    before = page(client)
    other = page(client, OTHER)
    assert guide().article_html  # stored

    expected = edit()

    after = page(client)
    assert expected in after and expected not in before
    assert page(client, OTHER) == other or edit.__name__ in ("author_name", "topic_rename")


def test_a_guide_part_moved_to_another_guide_leaves_the_first(client):
    reference = Reference.objects.get(guide__slug=SLUG, number=9)
    reference.text = "A reference on the move."
    reference.save()
    assert "A reference on the move." in page(client)
    page(client, OTHER)
    reference.guide, reference.number = Guide.objects.get(slug="iclr-2022-10-papers"), 99
    reference.save()
    assert "A reference on the move." not in page(client)
    assert "A reference on the move." in page(client, OTHER)


def test_a_deleted_section_leaves_the_article(client):
    section = Section.objects.filter(guide__slug=SLUG).first()
    assert section.title in page(client)
    section.delete()
    assert f">{section.title}<" not in page(client)


def test_a_rendering_that_began_before_an_edit_is_not_stored(client):
    reader_copy = guide()  # a reader's request read the guide...
    edited = guide()
    edited.title = "Edited While Rendering"
    edited.save()  # ...an editor saved...
    html, _ = stored_article(reader_copy)  # ...then the reader rendered
    assert html  # the reader got a page
    assert guide().article_html == ""  # but not stored: the next view renders afresh
    assert "Edited While Rendering" in page(client)
    assert "Edited While Rendering" in guide().article_html


def test_unpublishing_and_republishing_shows_the_new_date(client, editor):
    page(client)
    staff = type(client)()
    staff.force_login(editor)
    changelist = reverse("admin:guides_guide_changelist")
    staff.post(changelist, {"action": "unpublish", "_selected_action": [guide().pk]})
    assert client.get(GUIDE).status_code == 404
    republished = guide()
    republished.status, republished.published_at = Status.PUBLISHED, timezone.now()
    republished.save()
    assert f"{republished.published_at:%-d %B %Y}</time>" in page(client)


def test_a_preview_is_never_stored(client, editor):
    draft = guide()
    draft.status, draft.published_at, draft.updated_at = Status.DRAFT, None, None
    draft.save()
    client.force_login(editor)
    response = client.get(draft.get_preview_url())
    assert response.status_code == 200 and "Preview:" in response.content.decode()
    assert guide().article_html == ""


def test_a_new_topic_name_is_escaped_in_the_article(client):
    guide().tags.add(Tag.objects.create(name="<script>alert(1)</script>", slug="xss-topic"))
    html = page(client)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
