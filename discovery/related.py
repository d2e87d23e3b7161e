"""Related papers: the nearest vectors by cosine similarity, searched exactly with
numpy over the latest fit, held in each process's memory (50,000 papers by 128 float32
is 25 MB; one matrix-vector product per page, a few milliseconds)."""

import threading
from dataclasses import dataclass

import numpy as np

from papers.models import Paper, TaggedPaper

from .models import EmbeddingFit, PaperVector

RELATED = 6


class VectorIndex:
    """The vectors of the latest fit, reloaded when a newer fit appears (one query a
    page to know)."""

    def __init__(self):
        self.fit_id = None
        self.ids = np.empty(0, dtype=np.int64)
        self.matrix = np.empty((0, 0), dtype=np.float32)
        self.position = {}
        self._lock = threading.Lock()

    def current(self):
        # Its id and time: an id alone may come again after a rolled-back fit (SQLite).
        latest = EmbeddingFit.objects.order_by("-pk").values_list("pk", "fitted_at").first()
        if latest != self.fit_id:
            with self._lock:
                if latest != self.fit_id:
                    self._load(latest)
        return self

    def _load(self, fit_id):
        rows = list(PaperVector.objects.order_by("paper_id").values_list("paper_id", "vector"))
        self.ids = np.array([paper_id for paper_id, _ in rows], dtype=np.int64)
        vectors = [np.frombuffer(bytes(vector), dtype=np.float32) for _, vector in rows]
        self.matrix = np.vstack(vectors) if vectors else np.empty((0, 0), dtype=np.float32)
        self.position = {int(paper_id): i for i, paper_id in enumerate(self.ids)}
        self.fit_id = fit_id

    def nearest(self, paper_id, count):
        """The ids of the `count` papers closest to `paper_id`, closest first; never
        the paper itself; none when it has no vector."""
        row = self.position.get(paper_id)
        if row is None or len(self.ids) < 2:
            return []
        scores = self.matrix @ self.matrix[row]
        scores[row] = -np.inf
        count = min(count, len(self.ids) - 1)
        best = np.argpartition(-scores, count - 1)[:count]
        best = best[np.argsort(-scores[best])]
        return [int(self.ids[i]) for i in best]


INDEX = VectorIndex()


@dataclass
class RelatedPaper:
    paper: Paper
    reason: str


def related_papers(paper, count=RELATED):
    """Up to `count` papers related to `paper`, each with why: the topics they share,
    else the distinctive terms they share. Three queries, whatever the catalogue."""
    ids = INDEX.current().nearest(paper.pk, count)
    if not ids:
        return []
    found = Paper.objects.filter(pk__in=[paper.pk, *ids]).select_related("vector")
    found = {p.pk: p for p in found.only("title", "slug", "vector__terms")}
    topics = {}
    for paper_id, name in TaggedPaper.objects.filter(
        content_object_id__in=[paper.pk, *ids]
    ).values_list("content_object_id", "tag__name"):
        topics.setdefault(paper_id, []).append(name)
    own_topics = set(topics.get(paper.pk, []))
    own_terms = terms_of(found.get(paper.pk))
    related = []
    for paper_id in ids:
        other = found.get(paper_id)
        if other is None:  # deleted since the fit
            continue
        shared_topics = sorted(own_topics & set(topics.get(paper_id, [])))
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
