"""Related papers: the default embedder fitted on the catalogue, the nearest papers
with a reason, on the paper page in a fixed number of queries."""

import io

import numpy as np
import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from discovery.embedders import TfidfSvd
from discovery.fitting import fit_catalogue
from discovery.models import PaperVector
from discovery.related import related_papers
from papers.models import Paper

pytestmark = pytest.mark.django_db


def related_titles(paper):
    return [item.paper.title for item in related_papers(paper)]


def test_the_default_embedder_gives_unit_vectors_and_distinctive_terms():
    texts = [
        "Diffusion models generate images by denoising",
        "Denoising diffusion for image generation at scale",
        "Reinforcement learning agents explore with curiosity",
        "Curiosity driven exploration for reinforcement learning",
    ]
    embedding = TfidfSvd(dimensions=3).fit(texts)
    assert embedding.vectors.dtype == np.float32 and embedding.vectors.shape == (4, 3)
    assert np.allclose(np.linalg.norm(embedding.vectors, axis=1), 1, atol=1e-5)
    similarity = embedding.vectors @ embedding.vectors.T
    assert similarity[0, 1] > similarity[0, 2] and similarity[2, 3] > similarity[2, 0]
    assert "diffusion" in embedding.terms[0] or "denoising" in embedding.terms[0]


def test_related_papers_are_the_closest_never_itself_with_reasons(seed):
    out = io.StringIO()
    call_command("fit_embeddings", stdout=out)
    assert out.getvalue().startswith("Fitted tfidf-svd on 166 papers")
    assert PaperVector.objects.count() == Paper.objects.count() == 166
    paper = Paper.objects.get(title="Rethinking Attention with Performers")
    related = related_papers(paper)
    assert len(related) == 6
    assert paper.pk not in [item.paper.pk for item in related]
    assert all(item.reason for item in related)
    # Performers is about efficient attention in Transformers: so are its neighbours.
    texts = " ".join(
        f"{p.title} {p.abstract} {p.tldr}".lower()
        for p in Paper.objects.filter(pk__in=[item.paper.pk for item in related])
    )
    assert "attention" in texts or "transformer" in texts


def test_the_paper_page_lists_them_in_a_fixed_number_of_queries(seed, client):
    fit_catalogue()
    paper = Paper.objects.get(title="Rethinking Attention with Performers")
    client.get(paper.get_absolute_url())  # the vectors, loaded once per process
    with CaptureQueriesContext(connection) as queries:
        page = client.get(paper.get_absolute_url())
    soup = BeautifulSoup(page.content, "html.parser")
    items = soup.select("ol.related-papers li")
    assert [li.a.get_text() for li in items] == related_titles(paper)
    assert all(" · " in li.get_text() for li in items)
    other = Paper.objects.get(title="Autoregressive Diffusion Models")
    client.get(other.get_absolute_url())
    with CaptureQueriesContext(connection) as other_queries:
        client.get(other.get_absolute_url())
    assert len(queries) == len(other_queries)


def test_picks_and_guides_show_similar_papers_once_fitted(seed, client):
    from guides.models import Guide

    guide = Guide.objects.get(slug="neurips-2020-10-essentials")
    url = guide.get_absolute_url()
    before = BeautifulSoup(client.get(url).content, "html.parser")  # stored, and cached
    assert not before.select("details.similar") and not before.select(".more-like")
    fit_catalogue()  # empties the stored cards and articles, and the page cache
    soup = BeautifulSoup(client.get(url).content, "html.parser")
    picked = set(guide.picks.values_list("paper__title", flat=True))
    for card in soup.select("article.pick"):
        own = card.h3.a.get_text()
        similar = [li.a.get_text() for li in card.select("details.similar li")]
        assert len(similar) == 6 and own not in similar
    more = [li.a.get_text() for li in soup.select(".more-like li")]
    assert len(more) == 6 and not picked & set(more)
    assert all(" · " in li.get_text() for li in soup.select(".more-like li"))


def test_the_vector_products_of_a_page_run_on_one_thread_per_process():
    # BLAS threads of one worker would contend with the other workers' requests.
    from threadpoolctl import threadpool_info

    blas = [pool for pool in threadpool_info() if pool["user_api"] == "blas"]
    assert blas and all(pool["num_threads"] == 1 for pool in blas)
