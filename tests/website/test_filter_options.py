"""The options of the filters' selects (every conference, every topic) are read once
per site revision by each process (website.listing.remember_options), and a change
shows in them at once."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from papers.models import Tag

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def uncached():
    with override_settings(PAGE_CACHE=False):
        yield


PAGES = ["/papers/", "/tags/transformers/", "/guides/", "/search/?q=diffusion"]


def options(response, name):
    soup = BeautifulSoup(response.content, "html.parser")
    return [option.get_text() for option in soup.select(f"select[name={name}] option")]


def option_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in queries.captured_queries if "option_label" in q["sql"]]


@pytest.mark.parametrize("url", PAGES)
def test_options_are_read_once_per_revision(seed, client, url):
    assert option_queries(client, url)  # the first page at this revision reads them
    assert not option_queries(client, url)


def test_a_new_topic_is_an_option_at_once_and_staff_read_them_afresh(seed, client, admin_user):
    assert "Brand new topic" not in options(client.get("/papers/"), "tag")
    Tag.objects.create(name="Brand new topic", slug="brand-new-topic")
    assert "Brand new topic" in options(client.get("/papers/"), "tag")
    assert "Brand new topic" in options(client.get("/guides/"), "tag")
    # Not a public page: no revision to remember them at.
    client.force_login(admin_user)
    assert option_queries(client, "/papers/")
    assert option_queries(client, "/papers/")


def test_a_selected_option_stays_selected(seed, client):
    response = client.get("/papers/?tag=transformers&conference=neurips-2023")
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one("select[name=tag] option[selected]")["value"] == "transformers"
    assert soup.select_one("select[name=conference] option[selected]")["value"] == "neurips-2023"
    again = BeautifulSoup(client.get("/papers/?tag=meta-learning").content, "html.parser")
    assert again.select_one("select[name=tag] option[selected]")["value"] == "meta-learning"
    assert again.select_one("select[name=conference] option[selected]")["value"] == ""
