"""The synthetic corpus of `generate_demo_data`: reproducible, realistic in shape, safe."""

import io
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from guides.models import Guide, Pick, Webinar
from papers.models import Authorship, Paper, Series


def generate(**sizes):
    args = [f"--{name}={value}" for name, value in sizes.items()]
    call_command("generate_demo_data", *args, stdout=io.StringIO())


def fingerprint():
    return (
        list(Paper.objects.order_by("slug").values_list("slug", "conference__slug", "tldr")),
        list(Authorship.objects.order_by("paper__slug", "position").values_list("author__slug")),
        list(Pick.objects.order_by("guide__slug", "rank").values_list("paper__slug", "why")),
    )


@pytest.fixture
def corpus(seed):
    generate(papers=3000, guides=20, seed=7)


def test_the_same_seed_gives_the_same_corpus(seed):
    runs = []
    for _ in range(2):
        with transaction.atomic():
            generate(papers=1500, guides=5, seed=3)
            runs.append(fingerprint())
            transaction.set_rollback(True)
    assert runs[0] == runs[1]
    with transaction.atomic():
        generate(papers=1500, guides=5, seed=4)
        assert fingerprint() != runs[0]
        transaction.set_rollback(True)


def test_the_corpus_has_the_asked_size_and_a_realistic_shape(corpus):
    demo = Paper.objects.filter(paper_url__contains="id=demo")
    assert 2990 <= demo.count() <= 3010
    assert Series.objects.count() >= 6
    years = Counter(demo.values_list("year", flat=True))
    assert years[2025] > 3 * years[2016]  # a growing field
    papers_per_author = Counter(
        Authorship.objects.filter(paper__in=demo).values_list("author_id", flat=True)
    )
    one_paper = sum(1 for n in papers_per_author.values() if n == 1)
    assert one_paper / len(papers_per_author) > 0.6  # most authors have one paper…
    assert max(papers_per_author.values()) >= 20  # …and a few have many
    demo_guides = Guide.objects.filter(created_by__username__startswith="demo-")
    assert demo_guides.count() == 20
    assert all(guide.picks.count() >= 10 for guide in demo_guides)
    webinars = Webinar.objects.filter(guide__in=demo_guides)
    assert webinars.exists()
    assert all(w.local_start.date() == w.starts_on for w in webinars)


def test_draft_demo_guides_stay_private(corpus, client):
    drafts = Guide.objects.filter(created_by__username__startswith="demo-", status="draft")
    public = Guide.objects.public().filter(created_by__username__startswith="demo-")
    assert drafts.exists() and public.exists()
    assert client.get(drafts.first().get_absolute_url()).status_code == 404
    page = client.get(public.first().get_absolute_url())
    assert page.status_code == 200
    assert public.first().picks.first().paper.title in page.content.decode()


def test_generating_twice_is_refused(corpus):
    papers = Paper.objects.count()
    with pytest.raises(CommandError, match="already in this database"):
        generate(papers=1000, guides=1)
    assert Paper.objects.count() == papers


def test_search_finds_demo_papers(corpus, client):
    paper = Paper.objects.filter(paper_url__contains="id=demo").first()
    response = client.get("/search/", {"q": paper.title, "kind": "paper"})
    assert response.status_code == 200
    assert paper.title in response.content.decode()


def test_demo_guides_appear_around_their_conference(corpus):
    for guide in Guide.objects.filter(created_by__username__startswith="demo-").exclude(
        published_at=None
    ):
        assert guide.conference.year <= guide.published_at.year <= guide.conference.year + 1
