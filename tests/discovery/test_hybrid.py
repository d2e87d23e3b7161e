"""Hybrid search: full text and closeness in meaning fused, measured on the relevance
set from the seed picks (on SQLite's FTS5 and on PostgreSQL's full-text search)."""

import io

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from discovery import hybrid, relevance
from discovery.fitting import fit_catalogue
from guides.models import Guide, Status
from search import queries

pytestmark = pytest.mark.django_db


def titles(results):
    return [result.title for result in results]


def test_hybrid_search_finds_paraphrases_full_text_misses(seed):
    fit_catalogue()
    full_text = relevance.evaluate(queries.search)
    fused = relevance.evaluate(hybrid.search)
    # Measured on both databases: full text 0.08 / 0.08, hybrid 0.64 / 0.79 (README).
    assert fused.mrr >= full_text.mrr + 0.3
    assert fused.recall >= 0.6 > full_text.recall
    # Nothing full text found is lost by fusing.
    assert all(fused.ranks[q] for q, rank in full_text.ranks.items() if rank)


def test_the_command_reports_both(seed):
    fit_catalogue()
    out = io.StringIO()
    call_command("evaluate_search", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[:2] == ["| search | MRR | recall@5 |", "| --- | --- | --- |"]
    assert lines[2].startswith("| full text | ") and lines[3].startswith("| hybrid | ")


def test_the_search_page_shows_a_paraphrase_and_keeps_exact_titles_first(seed, client):
    fit_catalogue()
    response = client.get("/search/", {"q": "headcam footage of babies as a training curriculum"})
    soup = BeautifulSoup(response.content, "html.parser")
    found = [li.h2.get_text(strip=True) for li in soup.select("li.search-result")]
    assert found[0] == "Curriculum Learning With Infant Egocentric Videos"
    exact = hybrid.search("Autoregressive Entity Retrieval")
    assert exact[0].title == "Autoregressive Entity Retrieval"


def test_unknown_words_or_no_fit_mean_full_text_alone(seed):
    query = "quokka zygomorphic"
    assert hybrid.search(query) == queries.search(query) == []  # before any fit
    fit_catalogue()
    assert hybrid.search(query) == []


def test_drafts_and_other_conferences_stay_out(seed):
    fit_catalogue()
    guide = Guide.objects.get(slug="neurips-2023-highlights")
    Guide.objects.filter(pk=guide.pk).update(status=Status.DRAFT)
    found = hybrid.search("headcam footage of babies as a training curriculum")
    assert all("neurips-2023-highlights" not in r.url for r in found)
    assert "Curriculum Learning With Infant Egocentric Videos" in titles(found)  # the paper
    iclr = guide.conference.__class__.objects.exclude(pk=guide.conference_id).first()
    elsewhere = hybrid.search("headcam footage of babies", conference=iclr)
    assert "Curriculum Learning With Infant Egocentric Videos" not in titles(elsewhere)


def test_results_by_meaning_are_read_with_the_full_text_ones(seed):
    fit_catalogue()
    hybrid.search("a first search loads the vectors")
    with CaptureQueriesContext(connection) as queries:
        results = hybrid.search("headcam footage of babies as a training curriculum")
    assert results[0].title == "Curriculum Learning With Infant Egocentric Videos"  # by meaning
    per_kind = 1 if connection.vendor == "postgresql" else 2  # SQLite: FTS5, then the rows
    # The latest fit's id; guides, picks and papers; topics.
    assert len(queries) == 1 + 3 * per_kind + 1
