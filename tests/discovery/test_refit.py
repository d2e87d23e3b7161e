"""A large import fits the embedder again and maps its conference; a small one waits."""

import json

import pytest
from django.test import override_settings

from discovery.models import ConferenceMap, EmbeddingFit, PaperVector
from discovery.related import related_papers
from papers.models import Paper
from papers.paper_import import ImportFailed, import_papers
from tests.factories import ConferenceFactory

pytestmark = pytest.mark.django_db


def rows(count, topic):
    return "".join(
        json.dumps(
            {
                "title": f"{topic.title()} study number {n}",
                "authors": [f"Author {topic} {n}"],
                "abstract": f"We study {topic} with method {n % 5} and {topic} benchmarks.",
            }
        )
        + "\n"
        for n in range(count)
    )


@override_settings(DISCOVERY_REFIT_AFTER=30)
def test_a_large_import_refits_and_maps_its_conference(django_capture_on_commit_callbacks):
    conference = ConferenceFactory()
    with django_capture_on_commit_callbacks(execute=True):
        import_papers(rows(10, "graphs"), conference, "jsonl")
    assert not EmbeddingFit.objects.exists()  # 10 < 30: waits for the next fit
    with django_capture_on_commit_callbacks(execute=True):
        report = import_papers(rows(30, "diffusion"), conference, "jsonl")
    assert report.created == 30
    assert EmbeddingFit.objects.count() == 1
    assert PaperVector.objects.count() == Paper.objects.count() == 40
    stored = ConferenceMap.objects.get(conference=conference)
    assert len(stored.points) == 40
    paper = Paper.objects.get(title="Diffusion study number 1")
    assert related_papers(paper)  # related at once, no command needed


@override_settings(DISCOVERY_REFIT_AFTER=30)
def test_a_failed_import_fits_nothing(django_capture_on_commit_callbacks):
    conference = ConferenceFactory()
    bad = rows(30, "graphs") + '{"title": "no authors"}\n'
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ImportFailed):
        import_papers(bad, conference, "jsonl", strict=True)
    assert not EmbeddingFit.objects.exists() and not Paper.objects.exists()
