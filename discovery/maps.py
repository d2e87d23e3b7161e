"""A map of each conference: every paper placed in two dimensions from its vector (its
source's, when an import supplied one for every paper of the conference; else the
fitted one) by t-SNE, or PCA for a handful of papers; the map cut into regions
(k-means on the map), each named by the terms its papers share more than the rest."""

import time
from collections import Counter

import numpy as np
from django.db import transaction
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.manifold import TSNE

from papers.models import SuppliedEmbedding

from .models import ConferenceMap, PaperVector
from .signals import maps_computed

LINE_UP_TO = 3  # so few papers are set out on a line
TSNE_FROM = 40  # t-SNE needs some neighbours; below, a linear projection
EXACT_UP_TO = 500  # exact t-SNE below, Barnes-Hut (n log n) above
PAPERS_PER_REGION = 25
MAX_REGIONS = 10


def compute_maps(conference_ids=None):
    """Compute the map of every conference (or of those of `conference_ids`) from the
    stored vectors, replacing the old ones in one transaction; {conference id: seconds}."""
    rows = PaperVector.objects.filter(paper__conference__isnull=False).order_by("paper_id")
    if conference_ids is not None:
        rows = rows.filter(paper__conference__in=conference_ids)
    by_conference = {}
    for paper_id, conference_id, vector, terms in rows.values_list(
        "paper_id", "paper__conference_id", "vector", "terms"
    ):
        papers = by_conference.setdefault(conference_id, [])
        papers.append((paper_id, np.frombuffer(bytes(vector), dtype=np.float32), terms))
    supplied = supplied_vectors(conference_ids)
    maps, seconds = [], {}
    for conference_id, papers in by_conference.items():
        ids = {paper_id for paper_id, _, _ in papers}
        own = supplied.get(conference_id, {})
        if own.keys() == ids:  # every paper has its source's vector: map from those
            papers = [(paper_id, own[paper_id], terms) for paper_id, _, terms in papers]
        started = time.perf_counter()
        maps.append(map_of(conference_id, papers))
        seconds[conference_id] = time.perf_counter() - started
    with transaction.atomic():
        replaced = ConferenceMap.objects.all()
        if conference_ids is not None:
            replaced = replaced.filter(conference__in=conference_ids)
        replaced.delete()
        ConferenceMap.objects.bulk_create(maps)
        maps_computed.send(sender=ConferenceMap)
    return seconds


def supplied_vectors(conference_ids):
    """{conference id: {paper id: vector}} of the vectors import files supplied."""
    rows = SuppliedEmbedding.objects.filter(paper__conference__isnull=False)
    if conference_ids is not None:
        rows = rows.filter(paper__conference__in=conference_ids)
    supplied = {}
    for paper_id, conference_id, vector in rows.values_list(
        "paper_id", "paper__conference_id", "vector"
    ):
        vector = np.frombuffer(bytes(vector), dtype=np.float32)
        supplied.setdefault(conference_id, {})[paper_id] = vector
    return supplied


def map_of(conference_id, papers):
    ids = [paper_id for paper_id, _, _ in papers]
    xy = project(np.vstack([vector for _, vector, _ in papers]))
    region_of, centres = cut(xy)
    points = [
        [paper_id, round(float(x), 4), round(float(y), 4), int(region)]
        for paper_id, (x, y), region in zip(ids, xy, region_of, strict=True)
    ]
    labels = name_regions([terms for _, _, terms in papers], region_of, len(centres))
    regions = [
        {
            "label": label,
            "x": round(float(x), 4),
            "y": round(float(y), 4),
            "papers": int((region_of == i).sum()),
        }
        for i, (label, (x, y)) in enumerate(zip(labels, centres, strict=True))
    ]
    return ConferenceMap(conference_id=conference_id, points=points, regions=regions)


def project(matrix):
    """Two coordinates per row, each scaled to [0, 1]."""
    with np.errstate(invalid="ignore", divide="ignore"):  # PCA's variance ratios, unused
        xy = _project(matrix)
    low, span = xy.min(axis=0), np.ptp(xy, axis=0)
    scaled = (xy - low) / np.where(span > 0, span, 1)
    scaled[:, span == 0] = 0.5  # one paper, or all in a row: centred
    return scaled


def _project(matrix):
    if len(matrix) <= LINE_UP_TO:  # nothing to project: evenly spaced, in order
        return np.column_stack([np.arange(len(matrix)), np.zeros(len(matrix))])
    if matrix.shape[1] < 2:  # a fit of one dimension (a tiny vocabulary): that is x
        return np.column_stack([matrix[:, 0], np.zeros(len(matrix))])
    if len(matrix) >= TSNE_FROM:
        reduced = PCA(min(30, matrix.shape[1]), random_state=0).fit_transform(matrix)
        # Papers with the same text have the same vector; Barnes-Hut t-SNE crashes on
        # points that never separate, so a tiny fixed jitter sets them apart.
        jitter = np.random.default_rng(0).normal(size=reduced.shape)
        reduced = reduced + jitter * 1e-3 * (reduced.std() or 1.0)
        xy = TSNE(
            2,
            perplexity=min(30.0, (len(matrix) - 1) / 3),
            init="pca",
            method="barnes_hut" if len(matrix) > EXACT_UP_TO else "exact",
            random_state=0,
            max_iter=500,
        ).fit_transform(reduced)
    else:
        xy = PCA(min(2, matrix.shape[1]), random_state=0).fit_transform(matrix)
        if xy.shape[1] == 1:
            xy = np.hstack([xy, np.zeros_like(xy)])
    return xy


def cut(xy):
    """Each point's region and the regions' centres."""
    count = max(1, min(MAX_REGIONS, len(xy) // PAPERS_PER_REGION))
    if count == 1:
        return np.zeros(len(xy), dtype=int), xy.mean(axis=0, keepdims=True)
    kmeans = KMeans(count, n_init=4, random_state=0).fit(xy)
    return kmeans.labels_, kmeans.cluster_centers_


def name_regions(terms, region_of, count, words=3):
    """Per region, the `words` terms most over-represented among its papers' terms."""
    everywhere = Counter(term for paper_terms in terms for term in paper_terms)
    total = len(terms)
    labels = []
    for region in range(count):
        members = [t for t, r in zip(terms, region_of, strict=True) if r == region]
        here = Counter(term for paper_terms in members for term in paper_terms)
        # Share in the region over share everywhere, for terms of at least two papers.
        lift = {
            term: (n / len(members)) / (everywhere[term] / total) * np.log1p(n)
            for term, n in here.items()
            if n >= 2 or len(members) < 4
        }
        best = sorted(lift, key=lambda term: (-lift[term], term))[:words]
        labels.append(", ".join(best) or "Miscellany")
    return labels
