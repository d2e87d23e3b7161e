"""XSS payloads planted in every text an editor or an import can set: nothing runs, on
any public page, feed or admin page, in a real browser."""

import datetime as dt

import pytest

from guides.models import Guide, Pick, Reference, Section, Status, Webinar
from papers.models import Author, Authorship, Conference, Paper, Tag
from tests.conftest import member
from tests.e2e.conftest import log_in_as_editor

RUN = "window.__xss=1"
PAYLOAD = (
    f'<script>{RUN}</script><img src=x onerror="{RUN}"><svg onload="{RUN}"></svg>'
    f'"\'><iframe src="javascript:{RUN}"></iframe>[link](javascript:{RUN}) '
    f'<a href="javascript:{RUN}">a</a> <details open ontoggle="{RUN}">'
)
# For fields of at most 100-300 characters.
SHORT = f'<script>{RUN}</script><img src=x onerror="{RUN}">'
BAD_URL = f"javascript:{RUN}"


@pytest.fixture
def hostile_site(site):
    conference = Conference.objects.get(slug="iclr-2022")
    conference.location = SHORT
    conference.website = BAD_URL
    conference.save()
    author = Author.objects.create(
        name="Eve " + SHORT, slug="eve", affiliation=SHORT, homepage=BAD_URL
    )
    tag = Tag.objects.create(name="Topic " + SHORT, slug="hostile-topic")
    paper = Paper.objects.create(
        title="Paper " + PAYLOAD,
        slug="hostile-paper",
        conference=conference,
        year=2022,
        tldr=PAYLOAD,
        abstract=PAYLOAD,
        **{f"{kind}_url": BAD_URL for kind in ("paper", "code", "poster", "project", "video")},
    )
    paper.tags.add(tag)
    Authorship.objects.create(paper=paper, author=author, position=1)
    guide = Guide.objects.create(
        conference=conference,
        title="Guide " + SHORT,
        slug="hostile-guide",
        standfirst=PAYLOAD,
        intro=PAYLOAD + "[^1]",
        outro=PAYLOAD,
        source_url=BAD_URL,
        status=Status.PUBLISHED,
        published_at=dt.datetime(2022, 4, 26, tzinfo=dt.UTC),
    )
    guide.tags.add(tag)
    user = member("Editor")
    user.display_name = "Mallory " + SHORT
    user.save()
    guide.bylines.add(user)
    section = Section.objects.create(guide=guide, title="Section " + SHORT, slug="s", intro=PAYLOAD)
    Pick.objects.create(
        guide=guide, section=section, paper=paper, rank=1, why=PAYLOAD, key_insights=PAYLOAD
    )
    Reference.objects.create(guide=guide, number=1, text=PAYLOAD)
    Webinar.objects.create(
        guide=guide,
        conference=conference,
        title="Webinar " + SHORT,
        slug="hostile-webinar",
        starts_on=dt.date(2031, 1, 1),
        description=PAYLOAD,
        registration_url=BAD_URL,
        recording_url=BAD_URL,
    )
    return site


PUBLIC = [
    "/",
    "/guides/",
    "/guides/hostile-guide/",
    "/conferences/",
    "/conferences/iclr-2022/",
    "/papers/",
    "/papers/?q=Paper",
    "/papers/hostile-paper/",
    "/authors/",
    "/authors/eve/",
    "/tags/",
    "/tags/hostile-topic/",
    "/webinars/",
    "/webinars/hostile-webinar/",
    "/search/?q=paper",
    "/search/?q=%3Cscript%3E",
    "/feeds/guides.atom",
    "/feeds/guides.rss",
    "/sitemap.xml",
    "/api/guides/hostile-guide/",
]


def assert_nothing_ran(page, url):
    ran = page.evaluate("window.__xss || 0")
    assert ran == 0, f"a payload ran on {url}"
    assert page.locator('a[href^="javascript"], iframe').count() == 0, url


def test_no_payload_runs_on_public_pages_or_feeds(hostile_site, browser):
    context = browser.new_context()
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    for path in PUBLIC:
        page.goto(hostile_site + path)
        page.wait_for_load_state("load")
        assert_nothing_ran(page, path)
    assert not dialogs
    context.close()


def test_no_payload_runs_in_the_admin(hostile_site, browser):
    context = browser.new_context()
    page = context.new_page()
    log_in_as_editor(hostile_site, page)
    guide = Guide.objects.get(slug="hostile-guide")
    for path in [
        "/admin/guides/guide/",
        f"/admin/guides/guide/{guide.pk}/change/",
        f"/admin/guides/guide/{guide.pk}/history/",
        "/preview/guides/hostile-guide/",
        "/admin/papers/paper/?q=Paper",
        f"/admin/papers/paper/{Paper.objects.get(slug='hostile-paper').pk}/change/",
        f"/admin/papers/author/{Author.objects.get(slug='eve').pk}/change/",
        "/admin/guides/webinar/",
        "/admin/guides/pick/",
    ]:
        page.goto(hostile_site + path)
        page.wait_for_load_state("load")
        assert page.evaluate("window.__xss || 0") == 0, path
    context.close()
