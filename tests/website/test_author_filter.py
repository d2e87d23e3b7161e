"""The paper browser's author filter: a name (with suggestions as one types) or a slug."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from papers.models import Author

pytestmark = pytest.mark.django_db


def titles(client, **params):
    response = client.get("/papers/", params)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    return [a.get_text(strip=True) for a in soup.select("li.paper-item a.paper-title")]


def test_a_name_in_any_case_or_a_slug_selects_the_authors_papers(seed, client):
    author = Author.objects.get(name="Sashank J. Reddi")
    by_name = titles(client, author="sashank j. reddi")
    assert "Adaptive Federated Optimization" in by_name
    assert titles(client, author=author.slug) == by_name
    assert titles(client, author="Nobody Of That Name") == []


def test_the_field_names_its_suggestions(seed, client):
    soup = BeautifulSoup(client.get("/papers/").content, "html.parser")
    field = soup.select_one("input[name=author]")
    assert field["list"] == "author-names" and soup.select_one("datalist#author-names")
    assert field["data-suggestions"] == "/authors/suggestions.json"
    assert soup.find("label", attrs={"for": field["id"]}).get_text() == "Author"


def test_suggestions_are_names_beginning_with_what_was_typed(seed, client):
    names = client.get("/authors/suggestions.json", {"q": "sASH"}).json()["names"]
    assert "Sashank J. Reddi" in names
    assert all(name.lower().startswith("sash") for name in names) and len(names) <= 10
    assert client.get("/authors/suggestions.json", {"q": "s"}).json() == {"names": []}
    assert client.get("/authors/suggestions.json").json() == {"names": []}
    odd = client.get("/authors/suggestions.json", {"q": '%_"\\' + "x" * 500})
    assert odd.status_code == 200 and odd.json() == {"names": []}


def test_ten_suggestions_at_most_in_one_query(db, client):
    Author.objects.bulk_create(Author(name=f"Zed Author {n}", slug=f"zed-{n}") for n in range(30))
    with CaptureQueriesContext(connection) as queries:
        names = client.get("/authors/suggestions.json", {"q": "zed"}).json()["names"]
    assert names == sorted(names) and len(names) == 10
    assert len([q for q in queries if "papers_author" in q["sql"]]) == 1
