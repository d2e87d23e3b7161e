"""Conditional GET and the page cache: fast repeats, and an edit shows at once."""

import datetime as dt
import os
import subprocess
import sys

import pytest
import time_machine
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from guides.models import Guide, Pick, Status
from papers.models import Author, Paper
from tests.config.test_settings import ROOT

GUIDE = "/guides/neurips-2020-10-essentials/"


def get(client, url, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers)
    return response, len(queries)


@pytest.mark.parametrize("url", [GUIDE, "/", "/conferences/neurips-2021/", "/feeds/guides.atom"])
def test_a_page_the_client_has_gets_a_304_after_one_query(seed, client, url):
    first, _ = get(client, url)
    assert first.status_code == 200
    assert first["ETag"].startswith('W/"') and first["Last-Modified"]

    again, queries = get(client, url, if_none_match=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    # The site revision: the stamps of the page's tags were read at this revision by
    # the first view.
    assert queries == 1

    since, _ = get(client, url, if_modified_since=first["Last-Modified"])
    assert since.status_code == 304


def test_a_repeat_is_served_from_the_cache_with_one_query(seed, client):
    first, queries_first = get(client, GUIDE)
    second, queries_second = get(client, GUIDE)
    assert queries_first > 3 and queries_second == 1
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert second["Content-Security-Policy"] and second["X-Frame-Options"] == "DENY"


@override_settings(PAGE_CACHE=False)
def test_with_the_page_cache_off_every_request_renders_but_304s_remain(seed, client):
    first, queries_first = get(client, GUIDE)  # also stores the article
    second, queries_second = get(client, GUIDE)
    _, queries_third = get(client, GUIDE)
    assert queries_first > 3
    # The site revision, the guide's article, the revision again once rendered (the
    # stamps of the page's tags were read at that revision by the first view).
    assert queries_third == queries_second == 3
    assert second.content == first.content
    assert get(client, GUIDE, if_none_match=first["ETag"])[0].status_code == 304


@override_settings(PAGE_CACHE=False)
def test_a_page_rendered_while_an_editor_saves_gets_no_validator_and_no_shared_copy(seed, client):
    """A change committed while a page renders may show in it or not: the page gets no
    ETag, no proxy may keep it, and the next view shows the change. (The stamps this
    process read before, at the old revision, are not trusted after the render.)"""
    from django.test.signals import template_rendered

    assert "ETag" in get(client, GUIDE)[0]  # its tags' stamps read at this revision
    pick = Pick.objects.get(guide__slug="neurips-2020-10-essentials", rank=1)

    def save_once(**kwargs):
        template_rendered.disconnect(save_once)
        pick.why = "Saved while the page rendered."
        pick.save()

    template_rendered.connect(save_once)
    try:
        during, _ = get(client, GUIDE)
    finally:
        template_rendered.disconnect(save_once)
    assert during.status_code == 200
    assert "ETag" not in during and during["Cache-Control"] == "private, no-store"
    after, _ = get(client, GUIDE)
    assert "Saved while the page rendered." in after.content.decode() and after["ETag"]


def edits():
    """Edits editors make, each with the text the guide page must show right after."""

    def why():
        pick = Pick.objects.get(guide__slug="neurips-2020-10-essentials", rank=1)
        pick.why = "A freshly edited why."
        pick.save()
        return "A freshly edited why."

    def paper_title():
        paper = Pick.objects.get(guide__slug="neurips-2020-10-essentials", rank=2).paper
        paper.title = "A Freshly Retitled Paper"
        paper.save()
        return "A Freshly Retitled Paper"

    def author_name():
        paper = Pick.objects.get(guide__slug="neurips-2020-10-essentials", rank=3).paper
        author = paper.authorships.first().author
        author.name = "Freshly Renamed Author"
        author.save()
        return "Freshly Renamed Author"

    def related_paper():
        pick = Pick.objects.get(guide__slug="neurips-2020-10-essentials", rank=4)
        pick.related_papers.add(Paper.objects.get(slug="autoregressive-diffusion-models"))
        return "Autoregressive Diffusion Models"

    def guide_title():
        guide = Guide.objects.get(slug="neurips-2020-10-essentials")
        guide.title = "A Freshly Retitled Guide"
        guide.save()
        return "A Freshly Retitled Guide"

    return [why, paper_title, author_name, related_paper, guide_title]


@pytest.mark.parametrize("edit", edits(), ids=lambda edit: edit.__name__)
def test_an_edit_shows_at_once(seed, client, edit):
    before, _ = get(client, GUIDE)
    assert get(client, GUIDE)[1] == 1  # cached

    expected = edit()

    after, _ = get(client, GUIDE)
    assert expected in after.content.decode()
    assert expected not in before.content.decode()
    assert after["ETag"] != before["ETag"]
    assert get(client, GUIDE, if_none_match=before["ETag"])[0].status_code == 200


def test_an_author_rename_shows_on_the_paper_and_author_pages(seed, client):
    author = Author.objects.get(slug="yang-song")
    pages = [author.get_absolute_url(), author.papers.first().get_absolute_url()]
    for page in pages:
        client.get(page)
    author.name = "Song Yang (renamed)"
    author.save()
    for page in pages:
        assert "Song Yang (renamed)" in client.get(page).content.decode()


def test_unpublishing_in_the_admin_removes_the_page_at_once(seed, client, editor):
    assert client.get(GUIDE).status_code == 200
    guide = Guide.objects.get(slug="neurips-2020-10-essentials")
    staff = type(client)()
    staff.force_login(editor)
    staff.post(
        reverse("admin:guides_guide_changelist"),
        {"action": "unpublish", "_selected_action": [guide.pk]},
    )
    assert Guide.objects.get(pk=guide.pk).status == Status.DRAFT
    assert client.get(GUIDE).status_code == 404
    assert GUIDE not in client.get("/").content.decode()


def test_a_scheduled_guide_appears_when_its_time_comes(seed, client):
    guide = Guide.objects.get(slug="neurips-2020-10-essentials")
    guide.published_at, guide.updated_at = dt.datetime(2031, 3, 1, 9, 0, tzinfo=dt.UTC), None
    guide.save()
    with time_machine.travel(dt.datetime(2031, 3, 1, 8, 59, tzinfo=dt.UTC), tick=False):
        assert client.get(GUIDE).status_code == 404
        assert GUIDE not in client.get("/guides/").content.decode()
    with time_machine.travel(dt.datetime(2031, 3, 1, 9, 0, 1, tzinfo=dt.UTC), tick=False):
        assert client.get(GUIDE).status_code == 200
        assert GUIDE in client.get("/guides/").content.decode()


def test_staff_are_never_served_from_the_cache(seed, client, editor):
    client.get(GUIDE)  # cached for readers
    client.force_login(editor)
    response = client.get(GUIDE)
    assert response.status_code == 200
    assert "guides/guide_detail.html" in [t.name for t in response.templates]  # rendered
    assert "ETag" not in response


def test_errors_are_not_cached(seed, client):
    assert client.get("/papers/?year=abc").status_code == 400
    again = client.get("/papers/?year=abc")
    assert again.status_code == 400
    assert "papers/paper_list.html" in [t.name for t in again.templates]  # rendered
    assert "ETag" not in again


@pytest.fixture
def redis_cache():
    """The page cache and the site revision in a real Redis (database 15), as with
    REDIS_URL set."""
    redis = {
        "default": {
            "BACKEND": "config.redis_cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
        }
    }
    with override_settings(CACHES=redis, SITE_REVISION_IN_CACHE=True):
        from django.core.cache import caches

        caches["default"].clear()
        yield caches["default"]
        caches["default"].clear()


def test_with_redis_a_hit_or_a_304_makes_no_query(seed, client, redis_cache):
    first, _ = get(client, GUIDE)
    second, queries = get(client, GUIDE)
    assert queries == 0 and second.content == first.content
    assert second["ETag"] == first["ETag"]
    not_modified, queries = get(client, GUIDE, if_none_match=first["ETag"])
    assert not_modified.status_code == 304 and queries == 0
    redis_client = redis_cache._cache.get_client()
    assert list(redis_client.scan_iter(match=":1:page-tagged:*"))  # shared by every process
    assert redis_cache._cache.get_client() is redis_client  # one client, not one per call


@pytest.mark.parametrize("edit", edits(), ids=lambda edit: edit.__name__)
def test_with_redis_an_edit_shows_at_once(seed, client, redis_cache, edit):
    before, _ = get(client, GUIDE)
    assert get(client, GUIDE)[1] == 0
    expected = edit()
    after, _ = get(client, GUIDE)
    assert expected in after.content.decode() and after["ETag"] != before["ETag"]


def test_with_redis_stamps_read_before_an_editors_commit_are_forgotten_after_it(
    seed, client, redis_cache, django_capture_on_commit_callbacks
):
    from website.page_cache import REVISION_KEY, TAG_KEY

    before, _ = get(client, GUIDE)
    redis_client = redis_cache._cache.get_client()
    keys = [
        REVISION_KEY,
        *(key.decode().removeprefix(":1:") for key in redis_client.keys(f":1:{TAG_KEY}*")),
    ]
    stale = redis_cache.get_many(keys)
    assert len(stale) > 1  # the revision and the page's tags
    with django_capture_on_commit_callbacks(execute=True):
        expected = edits()[0]()
        # A reader that read them before the commit puts the old ones back.
        redis_cache.set_many(stale)
        assert get(client, GUIDE)[0]["ETag"] == before["ETag"]
    after, _ = get(client, GUIDE)
    assert expected in after.content.decode() and after["ETag"] != before["ETag"]


def test_with_redis_a_scheduled_guide_appears_when_its_time_comes(seed, client, redis_cache):
    test_a_scheduled_guide_appears_when_its_time_comes(seed, client)


def test_redis_url_selects_the_redis_cache():
    code = (
        "import django; from django.conf import settings; django.setup(); "
        "print(settings.CACHES['default']['BACKEND'], settings.CACHES['default'].get('LOCATION'))"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS_"))}
    env.update(DJANGO_SETTINGS_MODULE="config.settings", DJANGO_DEBUG="true")
    plain = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    with_redis = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**env, "REDIS_URL": "redis://127.0.0.1:6379/1"},
        capture_output=True,
        text=True,
    )
    assert "LocMemCache" in plain.stdout
    assert with_redis.stdout.split() == [
        "config.redis_cache.RedisCache",
        "redis://127.0.0.1:6379/1",
    ]


@override_settings(ALLOWED_HOSTS=["guides.example.org", "mirror.example.org", "testserver"])
def test_a_page_is_cached_under_its_whole_address(seed, client):
    def canonical(**extra):
        html = client.get(GUIDE, **extra).content.decode()
        return html.split('<link rel="canonical" href="', 1)[1].split('"', 1)[0]

    assert canonical(HTTP_HOST="guides.example.org") == f"http://guides.example.org{GUIDE}"
    assert canonical(HTTP_HOST="mirror.example.org") == f"http://mirror.example.org{GUIDE}"
    assert canonical(HTTP_HOST="guides.example.org", secure=True).startswith("https://")
    refused = type(client)(raise_request_exception=False)
    for url in (GUIDE, "/robots.txt"):  # with or without the page cache: a 400, not a 500
        assert refused.get(url, HTTP_HOST="evil.example.com").status_code == 400


@override_settings(SECURE_SSL_REDIRECT=True)
def test_a_cached_https_page_is_not_served_over_http(seed, client):
    first = client.get(GUIDE, secure=True)
    assert first.status_code == 200 and get(client, GUIDE)[0].status_code == 301
    again = client.get(GUIDE, secure=True, headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304
    plain = client.get(GUIDE, headers={"if-none-match": first["ETag"]})
    assert plain.status_code == 301 and plain["Location"].startswith("https://")


def test_a_cached_page_keeps_every_security_header(seed, client):
    first = client.get(GUIDE)
    second, queries = get(client, GUIDE)
    assert queries == 1 and "guides/guide_detail.html" not in [t.name for t in second.templates]
    for header in (
        "Content-Security-Policy",
        "X-Frame-Options",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Cross-Origin-Opener-Policy",
    ):
        assert second[header] == first[header], header


@pytest.mark.parametrize(
    "path, applies",
    [
        ("/static/css/site.css", False),
        ("/admin/", False),
        ("/api/guides/", False),
        ("/robots.txt", False),
        (GUIDE, True),
        ("/papers/?sort=title", True),
    ],
)
def test_static_files_admin_and_api_never_touch_the_page_cache(rf, path, applies):
    from website.page_cache import PublicPageCacheMiddleware

    middleware = PublicPageCacheMiddleware(lambda request: None)
    assert middleware.applies(rf.get(path)) is applies


def test_with_redis_pages_cached_by_an_earlier_version_are_never_read(seed, client, redis_cache):
    """A deploy keeps the shared cache: entries of the old format (filed under the
    site revision alone) must not break the pages."""
    import hashlib

    old_key = "page:" + hashlib.sha256(f"http://testserver{GUIDE}".encode()).hexdigest()
    redis_cache.set(old_key, {"version": "1.0.20260101", "body": b"old", "headers": []})
    response = client.get(GUIDE)
    assert response.status_code == 200 and response.content != b"old"


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_a_revision_moves_only_with_its_stamps():
    """A script's save runs in autocommit: the site revision and the tag stamps commit
    together, or a process could read the new revision with the old stamps and keep
    them (website.page_cache.RecentStamps) while serving the page they leave fresh."""
    from website.models import CacheTag, SiteRevision
    from website.page_cache import invalidate

    class Unwritable:
        def __str__(self):
            raise ValueError("this tag cannot be written")

    invalidate({"paper-1"})
    before = SiteRevision.objects.get(pk=1).number
    with pytest.raises(ValueError, match="cannot be written"):
        invalidate({"paper-2", Unwritable()})  # the stamps fail after the revision moved
    assert SiteRevision.objects.get(pk=1).number == before
    assert not CacheTag.objects.filter(name="paper-2").exists()
