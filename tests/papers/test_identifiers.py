"""Finding a paper by what editors paste: arXiv ids and URLs, DOIs, OpenReview URLs."""

import json

import pytest
from django.urls import reverse

from papers.identifiers import identify
from papers.models import Paper
from tests.factories import AuthorFactory, PaperFactory
from tests.model_rules import messages


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2106.01234", ("arxiv", "2106.01234")),
        ("arXiv:2106.01234v3", ("arxiv", "2106.01234")),
        ("https://arxiv.org/abs/2106.01234v2", ("arxiv", "2106.01234")),
        ("https://arxiv.org/pdf/2106.01234.pdf", ("arxiv", "2106.01234")),
        ("arxiv.org/abs/cs/0112017", ("arxiv", "cs/0112017")),
        ("10.1145/3442188.3445922", ("doi", "10.1145/3442188.3445922")),
        ("https://doi.org/10.48550/arXiv.2106.01234", ("doi", "10.48550/arxiv.2106.01234")),
        ("https://openreview.net/forum?id=YicbFdNTTy", ("openreview", "YicbFdNTTy")),
        ("https://openreview.net/pdf?id=YicbFdNTTy", ("openreview", "YicbFdNTTy")),
        ("attention is all you need", None),
        ("https://example.org/paper.pdf", None),
        ("", None),
    ],
)
def test_identifiers_are_recognised_and_normalised(text, expected):
    assert identify(text) == expected


@pytest.mark.django_db
def test_a_papers_link_fills_its_identifier():
    paper = PaperFactory(paper_url="https://arxiv.org/abs/2106.01234v2")
    paper.refresh_from_db()
    assert (paper.arxiv_id, paper.doi, paper.openreview_id) == ("2106.01234", "", "")


@pytest.mark.django_db
def test_two_papers_cannot_share_an_identifier_but_many_have_none():
    PaperFactory(doi="10.1/abc")
    PaperFactory(), PaperFactory()  # no DOI: no conflict
    twin = PaperFactory.build(doi="10.1/abc", conference=None, year=2020, slug="twin")
    assert messages(twin)["__all__"] == ["Another paper has this DOI."]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "term",
    [
        "https://arxiv.org/abs/2106.01234",
        "2106.01234v1",
        "https://openreview.net/forum?id=Demo123456",
        "10.5555/demo.2021",
        "Latent Magic",
        "Grace Hopper",
    ],
)
def test_the_picks_paper_autocomplete_finds_a_paper_every_way(staff_client, term):
    wanted = PaperFactory(
        title="Latent Magic for Everyone",
        paper_url="https://arxiv.org/abs/2106.01234",
        doi="10.5555/demo.2021",
        authors=[AuthorFactory(name="Grace Hopper")],
    )
    PaperFactory(title="Something else", paper_url="https://openreview.net/forum?id=Demo123456")
    Paper.objects.filter(title="Something else").update(title="Demo listing")
    imported = PaperFactory(title="Imported in bulk")  # no identifiers, only its link
    link = "https://openreview.net/forum?id=Demo123456"
    Paper.objects.filter(pk=imported.pk).update(paper_url=link)
    response = staff_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "guides", "model_name": "pick", "field_name": "paper", "term": term},
    )
    found = [r["text"] for r in json.loads(response.content)["results"]]
    if "openreview" in term:  # one by its identifier, one imported with only the link
        assert sorted(found) == ["Demo listing", "Imported in bulk"]
    else:
        assert found == [wanted.title]
