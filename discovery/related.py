"""Related papers: the nearest vectors by cosine similarity over the latest fit, searched
exactly with numpy in each process's memory (50,000 papers by 128 float32 is 25 MB; one
matrix-vector product per page, a few milliseconds), or, on a PostgreSQL server with
pgvector, approximately with its HNSW index (discovery.pgvector)."""

import threading
from dataclasses import dataclass

import numpy as np
from django.core.cache import cache
from sklearn.preprocessing import normalize

from papers.models import Paper, SuppliedEmbedding, TaggedPaper

from . import pgvector
from .embedders import EMBEDDERS
from .models import EmbeddingFit, PaperVector, PickVector

RELATED = 6
# How long a paper's nearest papers are kept in the cache (a newer fit uses new keys).
NEAREST_SECONDS = 7 * 24 * 3600


class InMemoryPapers:
    """Every paper's fitted vector in a matrix, searched exactly."""

    def __init__(self):
        self.ids, conferences, self.matrix = stack(
            PaperVector.objects.order_by("paper_id"), "paper_id", "paper__conference_id", "vector"
        )
        self.conferences = np.array([c or 0 for c in conferences], dtype=np.int64)
        self.position = {int(paper_id): i for i, paper_id in enumerate(self.ids)}

    def mean_of(self, paper_ids):
        rows = [self.position[i] for i in paper_ids if i in self.position]
        return self.matrix[rows].mean(axis=0) if rows else None

    def closest(self, vector, count, exclude=(), conference_id=None):
        scores = self.matrix @ vector if len(self.ids) else np.empty(0)
        if conference_id is not None:
            scores = np.where(self.conferences == conference_id, scores, -np.inf)
        scores[[self.position[i] for i in exclude if i in self.position]] = -np.inf
        return best(self.ids, scores, count)


class PgvectorPapers:
    """The fitted vectors in PostgreSQL's pgvector table, searched with its HNSW index;
    nothing held in memory."""

    def mean_of(self, paper_ids):
        vectors = pgvector.vectors_of(paper_ids)
        return vectors.mean(axis=0) if vectors is not None else None

    def closest(self, vector, count, exclude=(), conference_id=None):
        return pgvector.closest_to(vector, count, exclude, conference_id)


class VectorIndex:
    """The vectors of the latest fit, reloaded when a newer fit appears (one query a
    page to know): papers (in memory or in pgvector, as the fit chose), picks, the
    vectors supplied by imports, and what embeds a query."""

    def __init__(self):
        self._lock = threading.Lock()
        self.forget()

    def forget(self):
        """Hold no vectors (as before any fit)."""
        self.fit_id = None
        self.papers = None
        self.pick_ids = np.empty(0, dtype=np.int64)
        self.pick_matrix = np.empty((0, 0), dtype=np.float32)
        self.guide_of_pick = {}  # at the fit: search by meaning finds a guide by its picks
        self.encoder = None
        # Vectors supplied by import files, a space per model: {model: (ids, matrix)},
        # and {paper id: (model, row)}
        self.supplied, self.supplied_position = {}, {}

    def current(self):
        # Its id and time: an id alone may come again after a rolled-back fit (SQLite).
        latest = EmbeddingFit.objects.order_by("-pk").values_list("pk", "fitted_at").first()
        if latest != self.fit_id:
            with self._lock:
                if latest != self.fit_id:
                    self._load(latest)
        return self

    def _load(self, fit_id):
        if fit_id is None:
            self.forget()
            return
        fit = EmbeddingFit.objects.only("embedder", "model", "store").get(pk=fit_id[0])
        self.papers = PgvectorPapers() if fit.store == "pgvector" else InMemoryPapers()
        self.pick_ids, guides, self.pick_matrix = stack(
            PickVector.objects.order_by("pick_id"), "pick_id", "pick__guide_id", "vector"
        )
        self.guide_of_pick = dict(zip(self.pick_ids.tolist(), guides, strict=True))
        self._load_supplied()
        embedder = EMBEDDERS.get(fit.embedder)
        self.encoder = embedder.load(fit.model) if embedder and fit.model else None
        self.fit_id = fit_id

    def _load_supplied(self):
        grouped = {}
        for paper_id, model, vector in SuppliedEmbedding.objects.order_by(
            "model", "paper_id"
        ).values_list("paper_id", "model", "vector"):
            vector = np.frombuffer(bytes(vector), dtype=np.float32)
            grouped.setdefault(model, []).append((paper_id, vector))
        self.supplied, self.supplied_position = {}, {}
        for model, rows in grouped.items():
            ids = np.array([paper_id for paper_id, _ in rows], dtype=np.int64)
            self.supplied[model] = (ids, normalize(np.vstack([v for _, v in rows])))
            for row, (paper_id, _) in enumerate(rows):
                self.supplied_position[paper_id] = (model, row)

    def embed(self, text):
        """A query's vector in the space of the fit, or None (no fit, no known word)."""
        return self.encoder.embed(text) if self.encoder is not None else None

    def closest_papers(self, vector, count, conference_id=None):
        """[(paper id, cosine)] of the `count` papers closest to `vector`, closest first,
        of one conference if given."""
        if self.papers is None:
            return []
        return self.papers.closest(vector, count, conference_id=conference_id)

    def closest_picks(self, vector, count):
        """[(pick id, cosine)] of the `count` picks closest to `vector`, closest first."""
        scores = self.pick_matrix @ vector if len(self.pick_ids) else np.empty(0)
        return best(self.pick_ids, scores, count)

    def nearest(self, paper_id, count):
        """The ids of the `count` papers closest to `paper_id`, closest first; never
        the paper itself; none when it has no vector. A paper with a supplied vector
        is compared with the papers that have one of the same model."""
        return self.nearest_each([paper_id], count)[paper_id]

    def nearest_each(self, paper_ids, count):
        """{paper id: `nearest(paper id, count)`} for each of `paper_ids`. Kept in the
        cache for the fit (every vector compared is of it): the product of every
        paper's vector, a few milliseconds, is made once per paper and fit."""
        if self.fit_id is None:
            return {paper_id: [] for paper_id in paper_ids}
        fit, fitted_at = self.fit_id
        keys = {f"nearest:{fit}:{fitted_at.timestamp()}:{i}:{count}": i for i in paper_ids}
        kept = cache.get_many(keys)
        made = {key: self._nearest(keys[key], count) for key in keys.keys() - kept.keys()}
        cache.set_many(made, NEAREST_SECONDS)
        return {keys[key]: ids for key, ids in {**kept, **made}.items()}

    def _nearest(self, paper_id, count):
        if paper_id in self.supplied_position:
            model, row = self.supplied_position[paper_id]
            ids, matrix = self.supplied[model]
            scores = matrix @ matrix[row]
            scores[row] = -np.inf
            return [i for i, _ in best(ids, scores, count)]
        return self.nearest_to_mean([paper_id], count)

    def nearest_to_mean(self, paper_ids, count):
        """The ids of the `count` papers closest to the mean of `paper_ids`' vectors,
        closest first, none of them; none when none of them has a vector."""
        mean = self.papers.mean_of(paper_ids) if self.papers is not None else None
        if mean is None:
            return []
        return [i for i, _ in self.papers.closest(mean, count, exclude=paper_ids)]


def stack(queryset, *fields):
    """The ids, other `fields` and the matrix of `queryset`'s (id, ..., vector) rows."""
    rows = queryset.values_list(*fields)
    columns = list(zip(*rows, strict=True)) or [()] * len(fields)
    ids = np.array(columns[0], dtype=np.int64)
    vectors = [np.frombuffer(bytes(vector), dtype=np.float32) for vector in columns[-1]]
    matrix = np.vstack(vectors) if vectors else np.empty((0, 0), dtype=np.float32)
    return (ids, *columns[1:-1], matrix)


def best(ids, scores, count):
    """[(id, score)] of the `count` highest finite scores, highest first."""
    count = min(count, int(np.isfinite(scores).sum()))
    if count <= 0:
        return []
    top = np.argpartition(-scores, count - 1)[:count]
    top = top[np.argsort(-scores[top])]
    return [(int(ids[i]), float(scores[i])) for i in top]


INDEX = VectorIndex()


@dataclass
class RelatedPaper:
    paper: Paper
    reason: str


def related_papers(paper, count=RELATED):
    """Up to `count` papers related to `paper`, each with why (`related_for`)."""
    return related_for([paper.pk], count)[paper.pk]


def related_for(paper_ids, count=RELATED):
    """{paper id: up to `count` related papers, each with why: the topics they share,
    else the distinctive terms they share}, for many papers at once (a guide's picks):
    three queries, whatever their number or the catalogue's size."""
    index = INDEX.current()
    nearest = index.nearest_each(paper_ids, count)
    candidates = {i for ids in nearest.values() for i in ids}
    if not candidates:  # before any fit, or papers added since
        return {paper_id: [] for paper_id in paper_ids}
    explain = Explainer(set(paper_ids) | candidates)
    return {
        paper_id: explain.related([paper_id], candidates)
        for paper_id, candidates in nearest.items()
    }


def more_like(paper_ids, count=RELATED):
    """Up to `count` papers, none of `paper_ids`, nearest the mean of their vectors (the
    papers a guide picked), each with why."""
    index = INDEX.current()
    candidates = index.nearest_to_mean(paper_ids, count)
    if not candidates:
        return []
    return Explainer({*paper_ids, *candidates}).related(paper_ids, candidates)


class Explainer:
    """The titles, topics and distinctive terms of a set of papers (two queries), to
    say why one is related to others."""

    def __init__(self, paper_ids):
        found = Paper.objects.filter(pk__in=paper_ids).select_related("vector")
        self.papers = {p.pk: p for p in found.only("title", "slug", "vector__terms")}
        self.topics = {}
        for paper_id, name in TaggedPaper.objects.filter(
            content_object_id__in=paper_ids
        ).values_list("content_object_id", "tag__name"):
            self.topics.setdefault(paper_id, set()).add(name)

    def related(self, sources, candidates):
        """RelatedPapers for `candidates` (ids, best first), explained against the
        topics and terms of `sources`; papers deleted since the fit are left out."""
        own_topics = set().union(*(self.topics.get(i, set()) for i in sources))
        own_terms = {t for i in sources for t in terms_of(self.papers.get(i))}
        related = []
        for paper_id in candidates:
            other = self.papers.get(paper_id)
            if other is None:
                continue
            shared_topics = sorted(own_topics & self.topics.get(paper_id, set()))
            shared_terms = [term for term in terms_of(other) if term in own_terms]
            related.append(RelatedPaper(other, reason(shared_topics, shared_terms)))
        return related


def terms_of(paper):
    vector = getattr(paper, "vector", None) if paper is not None else None
    return vector.terms if vector is not None else []


def reason(shared_topics, shared_terms):
    if shared_topics:
        return "Also about " + ", ".join(shared_topics[:2])
    if shared_terms:
        return "Shares " + ", ".join(f"“{term}”" for term in shared_terms[:3])
    return "Close in wording"
