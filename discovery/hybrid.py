"""Hybrid search: the full-text results (search.queries) fused with the papers and
picks closest in meaning to the query (its vector in the fitted space), by reciprocal
rank fusion, so that a query describing an idea in other words still finds the paper.

Each kind is fused on its own (papers, picks, guides; topics are full-text only), then
all are ordered by fused score; an exact title or topic name still comes first. Before
any fit, or for a query of words the fit never saw, this is full-text search."""

import dataclasses

from search import queries

from .related import INDEX

FUSION_K = 60  # the usual RRF constant: a rank's weight is 1 / (FUSION_K + rank)
CANDIDATES = 20  # closest papers and picks considered (a page of results)
MIN_SIMILARITY = 0.2  # below it, closeness in meaning is noise
# A guide is close only through one of its picks: that pick should come before it.
MEANING_WEIGHT = {"paper": 1.0, "pick": 1.0, "guide": 0.5, "topic": 0.0}


def search(text, kinds=None, conference=None):
    text = queries.clean_query(text)
    index = INDEX.current()
    vector = index.embed(text) if text else None
    if vector is None:
        return queries.search(text, kinds, conference)
    kinds = kinds or list(queries.KINDS)
    close_by_kind = candidates(index, vector, kinds, conference)
    found = queries.search_by_kind(text, kinds, conference, close_by_kind)
    fused = []
    for kind in kinds:
        full_text, by_meaning = found.get(kind, ([], []))
        fused += fuse(full_text, by_meaning, text, MEANING_WEIGHT[kind])
    return sorted(fused, key=lambda result: result.rank, reverse=True)


def candidates(index, vector, kinds, conference):
    """{kind: the ids closest in meaning to `vector`, closest first}: papers, picks, and
    the guides of those picks (a guide is as close as its closest pick). Search reads
    them with its full-text results, keeping those that are public."""
    found = {}
    if "paper" in kinds:
        papers = index.closest_papers(vector, CANDIDATES, conference and conference.pk)
        found["paper"] = [pk for pk, _ in close(papers)]
    if "pick" in kinds or "guide" in kinds:
        found["pick"] = [pk for pk, _ in close(index.closest_picks(vector, CANDIDATES))]
        found["guide"] = list(dict.fromkeys(index.guide_of_pick[pk] for pk in found["pick"]))
    return found


def close(ranked):
    return [(pk, score) for pk, score in ranked if score >= MIN_SIMILARITY]


def fuse(full_text, by_meaning, text, meaning_weight=1.0):
    """One kind's results ranked by reciprocal rank fusion of both lists (the exact
    title still first); the full-text result is kept where both have an item, for its
    highlighted snippet."""
    scores, results = {}, {}
    for ranking, weight in ((full_text, 1.0), (by_meaning, meaning_weight)):
        for position, result in enumerate(ranking, start=1):
            key = result.url
            scores[key] = scores.get(key, 0.0) + weight / (FUSION_K + position)
            results.setdefault(key, result)
    exact = text.lower()
    return [
        dataclasses.replace(
            result, rank=scores[key] + (1.0 if result.title.lower() == exact else 0.0)
        )
        for key, result in results.items()
    ]
