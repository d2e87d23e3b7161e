"""Fitting on a catalogue of a few papers (no seed in this module)."""

import io

import pytest
from django.core.management import call_command

from discovery.fitting import fit_catalogue
from discovery.models import EmbeddingFit
from discovery.related import related_papers
from tests.factories import PaperFactory

pytestmark = pytest.mark.django_db


def related_titles(paper):
    return [item.paper.title for item in related_papers(paper)]


def test_a_new_fit_is_picked_up_and_new_papers_wait_for_it(db):
    papers = [
        PaperFactory(title=f"Graph neural network study {n}", abstract="graph message passing")
        for n in range(4)
    ]
    fit_catalogue()
    assert len(related_titles(papers[0])) == 3
    newcomer = PaperFactory(title="Graph neural network study 4", abstract="graph nodes")
    assert related_titles(newcomer) == []  # no vector until the next fit
    fit_catalogue()
    assert EmbeddingFit.objects.count() == 2
    assert newcomer.title in related_titles(papers[0])
    assert len(related_titles(papers[0])) == 4


def test_too_small_a_catalogue_is_not_fitted(db):
    PaperFactory()
    out = io.StringIO()
    call_command("fit_embeddings", stdout=out)
    assert out.getvalue() == "Fewer than 3 papers: nothing to fit.\n"
    assert not EmbeddingFit.objects.exists()
