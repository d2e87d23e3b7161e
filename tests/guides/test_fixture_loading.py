"""Loading a fixture into a running site (guides' loaddata): what it changes shows on
every page at once, and loading costs the rows' own writes, not a refresh for each."""

import json

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.serializers.base import DeserializationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guides.models import Pick
from papers.models import Tag

GUIDE = "iclr-2021-10-papers"
SEED_ROWS = json.loads((settings.BASE_DIR / "fixtures" / "seed.json").read_text())


def seed_rows(model):
    return [row for row in SEED_ROWS if row["model"] == model]


def load(tmp_path, rows):
    path = tmp_path / "changes.json"
    path.write_text(json.dumps(rows))
    with CaptureQueriesContext(connection) as queries:
        call_command("loaddata", str(path), verbosity=0)
    return len(queries)


def test_a_loaded_fixture_shows_on_every_page_at_once(seed, client, tmp_path):
    paper = Pick.objects.get(guide__slug=GUIDE, rank=1).paper
    topic = Tag.objects.exclude(paper=paper).order_by("slug").first()
    pages = [f"/guides/{GUIDE}/", f"/papers/{paper.slug}/", f"/tags/{topic.slug}/", "/tags/"]
    for page in pages:  # each rendered, cached, its stored parts stored
        assert "Zebrafish" not in client.get(page).text
    assert paper.slug not in client.get("/search/?q=zebrafish").text

    row = next(row for row in seed_rows("papers.paper") if row["fields"]["slug"] == paper.slug)
    row["fields"]["title"] = "Zebrafish Transformers for Image Recognition"
    link = {
        "model": "papers.taggedpaper",
        "fields": {"tag": [topic.slug], "content_object": [paper.slug]},
    }
    count = topic.paper_count
    load(tmp_path, [row, link])

    for page in pages[:3]:
        assert "Zebrafish Transformers for Image Recognition" in client.get(page).text, page
    assert paper.slug in client.get("/search/?q=zebrafish").text
    topic.refresh_from_db()
    assert topic.paper_count == count + 1
    assert f"{count + 1} papers" in client.get("/tags/").text


def test_loading_costs_the_rows_own_writes_not_a_refresh_each(seed, tmp_path):
    """Row by row, each paper's save refreshed its index entry, its card, its picks'
    cards and guides' articles, and stamped the page cache: about 25 queries a row."""
    papers = seed_rows("papers.paper")
    one, many = load(tmp_path, papers[:1]), load(tmp_path, papers[:41])
    assert (many - one) / 40 <= 3  # look the row up, write it (and its natural keys)


@pytest.mark.parametrize("broken", ["paper", "json"])
def test_a_fixture_that_fails_leaves_the_index_and_pages_as_they_were(
    seed, client, tmp_path, broken
):
    paper = Pick.objects.get(guide__slug=GUIDE, rank=1).paper
    before = client.get(f"/guides/{GUIDE}/").text
    row = next(row for row in seed_rows("papers.paper") if row["fields"]["slug"] == paper.slug)
    row["fields"]["title"] = "Zebrafish Transformers for Image Recognition"
    bad = {"model": "guides.pick", "fields": {"guide": [GUIDE], "paper": ["no-such-paper"]}}
    path = tmp_path / "broken.json"
    path.write_text(json.dumps([row, bad]) if broken == "paper" else json.dumps([row])[:-2])
    with pytest.raises(DeserializationError, match=r"broken\.json"):
        call_command("loaddata", str(path), verbosity=0)
    assert client.get(f"/guides/{GUIDE}/").text == before
    assert paper.slug not in client.get("/search/?q=zebrafish").text
