"""A relevance set for site search, from the seed guides: each query describes a picked
paper's idea in words its title does not use, as a reader who half remembers it would
type it. `evaluate` measures MRR and recall@5 of a search function over it
(`manage.py evaluate_search`; the numbers are in the README). The set itself is
relevance.json."""

import json
from dataclasses import dataclass
from pathlib import Path

from guides.models import Pick
from papers.models import Paper

# [{"query", "paper": the slug of the paper it should find}]
QUERIES = {
    row["query"]: row["paper"]
    for row in json.loads((Path(__file__).parent / "relevance.json").read_text())
}
AT = 5  # recall@AT


@dataclass
class Score:
    mrr: float
    recall: float
    ranks: dict  # query: the rank of its paper (1 = first), or None when not found


def evaluate(search, queries=None):
    """MRR and recall@AT of `search(query) -> results` over `queries` (a result counts
    when it is the expected paper or a pick of it)."""
    queries = queries or QUERIES
    targets = expected_urls(set(queries.values()))
    ranks = {}
    for query, slug in queries.items():
        urls = [result.url for result in search(query)]
        ranks[query] = next(
            (rank for rank, url in enumerate(urls, start=1) if url in targets[slug]), None
        )
    found = [rank for rank in ranks.values() if rank]
    return Score(
        mrr=sum(1 / rank for rank in found) / len(queries),
        recall=sum(rank <= AT for rank in found) / len(queries),
        ranks=ranks,
    )


def expected_urls(slugs):
    """{paper slug: the URLs that count as finding it: its page and its public picks}."""
    papers = Paper.objects.filter(slug__in=slugs)
    missing = slugs - {paper.slug for paper in papers}
    if missing:
        raise ValueError(f"The relevance set names papers not in the catalogue: {sorted(missing)}")
    urls = {paper.slug: {paper.get_absolute_url()} for paper in papers}
    for pick in (
        Pick.objects.public().filter(paper__slug__in=slugs).select_related("guide", "paper")
    ):
        urls[pick.paper.slug].add(f"{pick.guide.get_absolute_url()}#pick-{pick.rank}")
    return urls
