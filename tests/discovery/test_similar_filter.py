"""The paper browser's "similar to" filter."""

import pytest
from bs4 import BeautifulSoup

from discovery.fitting import fit_catalogue
from discovery.related import INDEX
from papers.models import Paper
from website.views.catalogue import SIMILAR, PaperListView

pytestmark = pytest.mark.django_db


def listed(client, **params):
    response = client.get("/papers/", params)
    soup = BeautifulSoup(response.content, "html.parser")
    return (
        response.status_code,
        [a.get_text(strip=True) for a in soup.select("a.paper-title")],
        soup,
    )


def test_similar_papers_closest_first_never_the_paper_itself(seed, client):
    fit_catalogue()
    paper = Paper.objects.get(slug="rethinking-attention-with-performers")
    status, titles, soup = listed(client, similar_to=paper.slug)
    expected = list(Paper.objects.in_bulk(INDEX.current().nearest(paper.pk, SIMILAR)).values())
    order = INDEX.current().nearest(paper.pk, PaperListView.paginate_by)
    assert status == 200
    assert paper.title not in titles
    assert titles == [Paper.objects.get(pk=pk).title for pk in order]
    assert f"{len(expected)} papers" in soup.select_one(".result-count").text
    assert "close in meaning to Rethinking Attention with Performers, closest first" in soup.text
    # The paper page links here.
    page = BeautifulSoup(client.get(paper.get_absolute_url()).content, "html.parser")
    link = page.find("a", string="Browse more papers like this one")
    assert link["href"] == f"/papers/?similar_to={paper.slug}"


def test_by_title_with_other_filters_and_sorts(seed, client):
    fit_catalogue()
    title = "Rethinking Attention with Performers"
    _, by_slug, _ = listed(client, similar_to="rethinking-attention-with-performers")
    _, by_title, _ = listed(client, similar_to=title.upper())
    assert by_title == by_slug
    _, sorted_titles, soup = listed(client, similar_to=title, sort="title")
    assert sorted_titles == sorted(sorted_titles) and "closest first" not in soup.text
    _, narrowed, _ = listed(client, similar_to=title, conference="neurips-2023")
    in_2023 = set(
        Paper.objects.filter(conference__slug="neurips-2023").values_list("title", flat=True)
    )
    assert narrowed and set(narrowed) <= in_2023


def test_an_unknown_paper_is_a_clear_400_and_before_a_fit_nothing_is_similar(seed, client):
    status, _, soup = listed(client, similar_to="no-such-paper")
    assert status == 400
    assert "Similar to: No paper has this title or address." in soup.select_one(".form-errors").text
    status, titles, _ = listed(client, similar_to="rethinking-attention-with-performers")
    assert status == 200 and titles == []


def test_a_new_fit_lists_the_papers_nearest_in_it_not_those_kept_for_the_last(seed, client):
    fit_catalogue()
    paper = Paper.objects.get(slug="rethinking-attention-with-performers")
    _, before, _ = listed(client, similar_to=paper.slug)
    # The paper now reads as another, far from it: a new fit places it elsewhere.
    other = Paper.objects.exclude(pk=paper.pk).exclude(title__in=before).first()
    Paper.objects.filter(pk=paper.pk).update(
        title=f"{other.title} (copy)", tldr=other.tldr, abstract=other.abstract
    )
    fit_catalogue()
    _, after, _ = listed(client, similar_to=paper.slug)
    nearest_now = INDEX.current()._nearest(paper.pk, PaperListView.paginate_by)
    assert after == [Paper.objects.get(pk=pk).title for pk in nearest_now]
    assert after != before and other.title in after
