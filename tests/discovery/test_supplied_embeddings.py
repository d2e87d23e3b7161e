"""Vectors supplied by import files (e.g. Semantic Scholar's SPECTER2): checked, stored,
and used instead of the fitted ones for related papers and the conference's map."""

import json

import numpy as np
import pytest

from discovery.fitting import fit_catalogue
from discovery.maps import compute_maps
from discovery.models import ConferenceMap
from discovery.related import related_papers
from papers.models import Paper, SuppliedEmbedding
from papers.paper_import import ImportFailed, import_papers
from tests.factories import ConferenceFactory

pytestmark = pytest.mark.django_db


def row(n, embedding=None, **extra):
    values = {"title": f"Paper {n}", "authors": [f"Author {n}"], **extra}
    if embedding is not None:
        values["embedding"] = embedding
    return values


def jsonl(rows):
    return "".join(json.dumps(r) + "\n" for r in rows)


def specter(vector):
    return {"model": "specter_v2", "vector": vector}


def test_both_forms_and_csv_are_stored_as_float32():
    conference = ConferenceFactory()
    import_papers(
        jsonl([row(1, specter([1, 0, 0.5])), row(2, specter([0.25, 1, 0]))]), conference, "jsonl"
    )
    stored = SuppliedEmbedding.objects.get(paper__title="Paper 1")
    assert (stored.model, stored.dimensions) == ("specter_v2", 3)
    assert np.frombuffer(bytes(stored.vector), dtype=np.float32).tolist() == [1, 0, 0.5]
    other = ConferenceFactory()
    import_papers(jsonl([row(3, [0.5, 0.5])]), other, "jsonl")
    assert SuppliedEmbedding.objects.get(paper__title="Paper 3").model == "supplied"
    csv_text = 'title,authors,embedding\nPaper 4,Ann,"[1, 2]"\n'
    import_papers(csv_text, other, "csv")
    assert SuppliedEmbedding.objects.get(paper__title="Paper 4").dimensions == 2


def test_a_dimension_mismatch_in_the_file_is_a_clear_error_and_strict_writes_nothing():
    conference = ConferenceFactory()
    text = jsonl([row(1, specter([1, 0, 0])), row(2, specter([1, 0]))])
    with pytest.raises(ImportFailed) as failed:
        import_papers(text, conference, "jsonl", strict=True)
    assert failed.value.errors == [
        "line 2: embedding: 2 dimensions, where line 1 has 3 for specter_v2"
    ]
    assert not Paper.objects.exists() and not SuppliedEmbedding.objects.exists()
    report = import_papers(text, conference, "jsonl")  # not strict: the good row goes in
    assert report.created == 1 and len(report.errors) == 1


def test_a_mismatch_with_the_database_or_another_model_is_refused():
    conference = ConferenceFactory()
    import_papers(jsonl([row(1, specter([1, 0, 0]))]), conference, "jsonl")
    report = import_papers(jsonl([row(2, specter([1, 0]))]), ConferenceFactory(), "jsonl")
    assert report.errors == [
        "line 1: embedding: 2 dimensions, where the database has 3 for specter_v2"
    ]
    report = import_papers(jsonl([row(3, [1, 0, 0])]), conference, "jsonl")
    assert report.errors == [
        "line 1: embedding: a supplied vector, where this conference's papers have "
        "specter_v2 vectors (one model per conference)"
    ]


@pytest.mark.parametrize(
    "embedding, message",
    [
        ([1], "expected a list of 2 to 4096 numbers"),
        ("[1, 2", "not a JSON list of numbers"),
        ([1, "2"], "every value should be a finite number"),
        ([1, True], "every value should be a finite number"),
        ({"model": 5, "vector": [1, 2]}, "its model should be a name of at most 100 characters"),
    ],
)
def test_bad_vectors_are_named(embedding, message):
    report = import_papers(jsonl([row(1, embedding)]), ConferenceFactory(), "jsonl")
    assert report.errors == [f"line 1: embedding: {message}"]
    assert not Paper.objects.exists()


def test_supplied_vectors_decide_related_papers_and_the_map():
    conference = ConferenceFactory()
    # Titles say "alpha" and "beta"; the supplied vectors group papers by parity instead.
    rows = [
        row(
            n,
            specter([1.0, 0.01 * n] if n % 2 else [0.01 * n, 1.0]),
            abstract=("alpha " if n < 5 else "beta ") * 5,
        )
        for n in range(10)
    ]
    import_papers(jsonl(rows), conference, "jsonl")
    fit_catalogue()
    compute_maps()
    paper = Paper.objects.get(title="Paper 1")
    related = [item.paper.title for item in related_papers(paper)]
    # The four other odd papers come first, then the closest even ones.
    assert set(related[:4]) == {"Paper 3", "Paper 5", "Paper 7", "Paper 9"}
    assert "Paper 1" not in related
    stored = ConferenceMap.objects.get(conference=conference)
    xy = {pk: (x, y) for pk, x, y, _ in stored.points}
    titles = dict(Paper.objects.values_list("pk", "title"))
    odd = [np.array(xy[pk]) for pk in xy if int(titles[pk].split()[1]) % 2]
    even = [np.array(xy[pk]) for pk in xy if not int(titles[pk].split()[1]) % 2]
    within = np.mean([np.linalg.norm(a - b) for a in odd for b in odd])
    across = np.mean([np.linalg.norm(a - b) for a in odd for b in even])
    assert within < across
