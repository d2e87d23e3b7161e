"""A real Varnish (Debian's, with varnish-modules' xkey) in front of the live site,
configured by deploy/varnish/default.vcl: hits, purges of exactly the pages that show
what changed, nothing private kept, and a site that works while the proxy is down."""

import http.client
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from huey.contrib.djhuey import HUEY

from guides.models import Guide, Status
from papers.models import Paper
from scripts import serving

GUIDE = "/guides/neurips-2020-10-essentials/"


@pytest.fixture
def site(live_server, transactional_db):
    call_command("loaddata", "seed", verbosity=0)
    return live_server


@pytest.fixture
def varnish(site, tmp_path, settings):
    """Varnish on a free loopback port in front of the live server; the site purges it."""
    assert Path(serving.VARNISHD).exists(), "apt-get install varnish varnish-modules"
    port = serving.free_port()
    with serving.varnish(site.url.rsplit(":", 1)[1], port, tmp_path):
        settings.EDGE_PURGE_URLS = [f"http://127.0.0.1:{port}/"]
        yield Proxy(port)


class Proxy:
    def __init__(self, port):
        self.port = port

    def get(self, path, **headers):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        connection.request("GET", path, headers={"Host": "localhost", **headers})
        response = connection.getresponse()
        response.text = response.read().decode()
        connection.close()
        return response

    def wait_for_miss(self, path, seconds=5):
        """The page once the purge (a job queued by the commit) landed."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            response = self.get(path)
            if response.getheader("X-Cache") == "MISS":
                return response
            time.sleep(0.05)
        raise AssertionError(f"{path} was not purged")


def cached(proxy, path):
    """Fetch `path` until Varnish serves it from its cache; that response."""
    proxy.get(path)
    response = proxy.get(path)
    assert response.status == 200 and response.getheader("X-Cache") == "HIT", path
    return response


def test_a_second_request_is_a_hit(varnish):
    first = varnish.get(GUIDE)
    second = varnish.get(GUIDE)
    assert first.status == second.status == 200
    assert first.getheader("X-Cache") == "MISS" and second.getheader("X-Cache") == "HIT"
    assert int(second.getheader("Age")) >= 0 and second.text == first.text
    assert "s-maxage=" in second.getheader("Cache-Control")
    assert second.getheader("Surrogate-Key") is None  # the tags stay between site and proxy


def test_an_edit_purges_exactly_the_pages_that_show_it(varnish):
    guide = Guide.objects.get(slug="neurips-2020-10-essentials")
    pick = guide.picks.select_related("paper").first()
    unrelated = Paper.objects.filter(picks=None, references=None).exclude(
        conference=guide.conference
    )[0]
    pages = {
        "guide": GUIDE,
        "its paper": pick.paper.get_absolute_url(),
        "another paper": unrelated.get_absolute_url(),
        "another guide": "/guides/iclr-2021-10-papers/",
    }
    for path in pages.values():
        cached(varnish, path)

    unrelated.title = "An unrelated paper, retitled"
    unrelated.save()
    assert "retitled" in varnish.wait_for_miss(pages["another paper"]).text
    for name in ("guide", "its paper", "another guide"):
        assert varnish.get(pages[name]).getheader("X-Cache") == "HIT", name

    pick.why = "Why it matters, as the editor now puts it."
    pick.save()
    assert "as the editor now puts it" in varnish.wait_for_miss(GUIDE).text
    assert varnish.get(pages["another guide"]).getheader("X-Cache") == "HIT"


def test_drafts_previews_and_editors_are_never_kept(varnish, client, editor):
    guide = Guide.objects.get(slug="neurips-2020-10-essentials")
    guide.status = Status.DRAFT
    guide.save()
    for _ in range(2):
        draft = varnish.get(GUIDE)
        assert draft.status == 404 and draft.getheader("X-Cache") == "MISS"
        assert draft.getheader("Cache-Control") == "private, no-store"

    client.force_login(editor)
    session = f"sessionid={client.cookies['sessionid'].value}"
    for path in (GUIDE.replace("/guides/", "/preview/guides/"), "/admin/", "/"):
        for _ in range(2):
            response = varnish.get(path, Cookie=session)
            assert response.status == 200 and response.getheader("X-Cache") == "MISS", path
            assert "private" in response.getheader("Cache-Control"), path
    assert varnish.get("/").getheader("X-Cache") == "MISS"  # the editor's copy was not kept

    guide.status = Status.PUBLISHED
    guide.save()
    assert varnish.get(GUIDE).status == 200  # the 404 was not kept either


def test_the_site_works_while_the_proxy_is_down(site, settings, caplog):
    settings.EDGE_PURGE_URLS = [f"http://127.0.0.1:{serving.free_port()}/"]  # nothing listens
    paper = Paper.objects.get(slug="autoregressive-diffusion-models")
    started = time.monotonic()
    paper.title = "Saved while the proxy is down"
    paper.save()  # the purge is a job: here it runs at once, fails, and waits to retry
    assert time.monotonic() - started < 1
    assert {job.name for job in HUEY.scheduled()} == {"purge_edge"}
    connection = http.client.HTTPConnection("127.0.0.1", int(site.url.rsplit(":", 1)[1]))
    connection.request("GET", paper.get_absolute_url(), headers={"Host": "localhost"})
    assert "Saved while the proxy is down" in connection.getresponse().read().decode()
