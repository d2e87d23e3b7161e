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
    full_text = queries.search(text, kinds, conference)
    index = INDEX.current()
    vector = index.embed(text) if text else None
    if vector is None:
        return full_text
    kinds = kinds or list(queries.KINDS)
    by_kind = {kind: [r for r in full_text if r.kind == kind] for kind in kinds}
    by_meaning = semantic(index, vector, text, by_kind, conference)
    fused = []
    for kind in kinds:
        fused += fuse(by_kind[kind], by_meaning.get(kind, []), text, MEANING_WEIGHT[kind])
    return sorted(fused, key=lambda result: result.rank, reverse=True)


def semantic(index, vector, text, full_text, conference):
    """{kind: Results closest in meaning to `vector`, closest first}; what full text
    found already (`full_text`, {kind: Results}) is reused, not fetched again."""
    found = {}
    if "paper" in full_text:
        papers = index.closest_papers(vector, CANDIDATES, conference and conference.pk)
        found["paper"] = results(close(papers), "paper", full_text, text, conference)
    if "pick" in full_text or "guide" in full_text:
        picks = results(
            close(index.closest_picks(vector, CANDIDATES)),
            "pick",
            full_text,
            text,
            conference,
        )
        found["pick"] = picks
        # A guide is as close as its closest pick (of those that are public).
        guides = list(dict.fromkeys((pick.guide_id, 0.0) for pick in picks))
        found["guide"] = results(guides, "guide", full_text, text, conference)
    return found


def results(ranked, kind, full_text, text, conference):
    """Results for [(id, score)] of `kind`, in that order, public ones only: those full
    text found as they are, the others fetched in one query."""
    known = {result.pk: result for result in full_text.get(kind, [])}
    missing = [(pk, score) for pk, score in ranked if pk not in known]
    fetched = {r.pk: r for r in queries.results_for(kind, missing, text, conference)}
    return [known.get(pk) or fetched[pk] for pk, _ in ranked if pk in known or pk in fetched]


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
