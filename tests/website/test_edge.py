"""What public pages tell shared caches, and the purges the site sends them (to a real
HTTP server on loopback that records them; Varnish itself: test_varnish.py)."""

import datetime as dt
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import time_machine
from django.db import transaction
from huey.contrib.djhuey import HUEY

from guides.models import Guide
from papers.models import Paper
from website import edge
from website.tasks import purge_edge

GUIDE = "/guides/neurips-2020-10-essentials/"
NOON = dt.datetime(2031, 6, 2, 12, 0, tzinfo=dt.UTC)  # after the seed guides, all of them


def directives(response):
    return {part.strip() for part in response["Cache-Control"].split(",")}


def test_a_public_page_may_be_kept_by_shared_caches(seed, client, settings):
    with time_machine.travel(NOON, tick=False):
        response = client.get(GUIDE)
    assert directives(response) == {
        "public",
        "max-age=0",  # browsers revalidate: a 304 while nothing changed
        f"s-maxage={settings.EDGE_MAX_AGE}",
        f"stale-while-revalidate={settings.EDGE_STALE_WHILE_REVALIDATE}",
        f"stale-if-error={settings.EDGE_STALE_IF_ERROR}",
    }
    assert "Cookie" in response["Vary"]
    assert "site" in response["Surrogate-Key"].split()
    with time_machine.travel(NOON, tick=False):
        again = client.get(GUIDE)  # from the page cache: the same headers
    assert again["Cache-Control"] == response["Cache-Control"]
    assert again["Surrogate-Key"] == response["Surrogate-Key"]


def test_a_shared_copy_never_outlives_a_scheduled_publication(seed, client):
    guide = Guide.objects.get(slug="iclr-2021-10-papers")
    guide.published_at = NOON + dt.timedelta(minutes=10)
    guide.save()
    with time_machine.travel(NOON, tick=False):
        response = client.get("/guides/")
    assert "s-maxage=600" in directives(response)
    assert not any(d.startswith("stale-while-revalidate") for d in directives(response))


def test_a_shared_copy_never_outlives_the_day(seed, client, settings):
    settings.TIME_ZONE = "UTC"
    with time_machine.travel(dt.datetime(2026, 6, 1, 23, 55, tzinfo=dt.UTC), tick=False):
        response = client.get("/webinars/")
    assert "s-maxage=300" in directives(response)


@pytest.mark.parametrize(
    "path", ["/admin/", "/admin/login/", "/api/guides/", "/papers/?year=abc", "/no-such-page/"]
)
def test_anything_not_a_public_page_is_private(seed, client, path):
    assert directives(client.get(path)) >= {"private", "no-store"}


def test_nothing_a_session_sees_is_shared(seed, client, editor):
    client.force_login(editor)
    for path in (GUIDE, "/", GUIDE.replace("/guides/", "/preview/guides/")):
        response = client.get(path)
        assert response.status_code == 200
        assert directives(response) == {"private", "no-store"}, path
        assert "Surrogate-Key" not in response


def test_static_files_keep_their_own_lifetime(client):
    response = client.get("/static/css/site.css")
    assert response.status_code == 200 and "private" not in response.get("Cache-Control", "")


class Recorder(BaseHTTPRequestHandler):
    def do_PURGE(self):
        self.server.purges.append(self.headers["xkey-purge"])
        self.send_response(self.server.status)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def edge_server(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    server.purges, server.status = [], 200
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.EDGE_PURGE_URLS = [f"http://127.0.0.1:{server.server_port}/"]
    edge._pending.clear()  # another test's rolled-back changes
    yield server
    server.shutdown()


def test_a_change_is_purged_once_after_the_commit(
    seed, edge_server, django_capture_on_commit_callbacks
):
    paper = Paper.objects.get(slug="autoregressive-diffusion-models")
    with django_capture_on_commit_callbacks() as callbacks:
        paper.title = "Retitled"
        paper.save()  # its own tags, its card's, the picks' and guides' showing it
    assert len(callbacks) > 1 and edge_server.purges == []  # nothing before the commit
    sent = [callback() for callback in callbacks]  # each job runs at once in the tests
    assert sent[0] and sent[1:] == [None] * (len(sent) - 1)
    assert len(edge_server.purges) == 1  # every tag of the transaction at once
    tags = set(edge_server.purges[0].split())
    assert {f"paper-{paper.pk}", "paper"} <= tags and "site" not in tags


def test_a_save_queues_the_purge_for_the_worker(
    seed, edge_server, settings, queued, django_capture_on_commit_callbacks
):
    settings.EDGE_PURGE_URLS.append(settings.EDGE_PURGE_URLS[0] + "second/")
    paper = Paper.objects.get(slug="autoregressive-diffusion-models")
    with django_capture_on_commit_callbacks(execute=True):  # the editor's commit
        paper.save()
    jobs = queued.pending()
    assert [job.name for job in jobs] == ["purge_edge"] * 2  # one per endpoint
    assert {job.args[0] for job in jobs} == set(settings.EDGE_PURGE_URLS)
    assert edge_server.purges == []  # nothing sent from the editor's request

    for job in jobs:  # as the worker (manage.py run_huey) runs them
        queued.execute(job)
    assert len(edge_server.purges) == 2 and f"paper-{paper.pk}" in edge_server.purges[0].split()


def test_a_rolled_back_change_is_not_purged_on_its_own(
    seed, edge_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        Paper.objects.get(slug="autoregressive-diffusion-models").save()
        transaction.set_rollback(True)
    assert callbacks == [] and edge_server.purges == []


def utc_now():
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)  # as huey keeps times


def test_a_proxy_that_fails_is_retried_later_then_given_up_with_a_log(
    edge_server, settings, caplog
):
    edge_server.status = 503
    url = settings.EDGE_PURGE_URLS[0]
    delays = []
    with caplog.at_level(logging.INFO, logger="website.edge"):
        purge_edge(url, ["paper-1"])  # the first attempt, at once in the tests
        while HUEY.scheduled():  # each retry, when its time comes
            (retry,) = HUEY.read_schedule(dt.datetime(2100, 1, 1))
            delays.append(round((retry.eta - utc_now()).total_seconds()))
            HUEY.execute(retry, timestamp=retry.eta)
    assert len(edge_server.purges) == edge.PURGE_ATTEMPTS
    assert delays == list(edge.PURGE_RETRY_DELAYS)
    assert [r.levelname for r in caplog.records].count("WARNING") == edge.PURGE_ATTEMPTS
    assert caplog.records[-1].levelname == "ERROR"
    assert f"Gave up purging paper-1 at {url}" in caplog.records[-1].getMessage()

    edge_server.status = 200
    assert edge.purge(url, ["paper-1"]) is True
