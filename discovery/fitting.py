"""Fitting the embedder on the whole catalogue (papers and the editors' picks) and
storing every vector, with what embeds a search query in the same space."""

import time

from django.db import transaction

from guides.models import Pick
from papers.models import Paper

from . import pgvector
from .embedders import TfidfSvd
from .models import EmbeddingFit, PaperVector, PickVector
from .signals import embeddings_fitted

MIN_PAPERS = 3
BATCH = 2000


def paper_text(title, tldr, abstract):
    """What a paper is embedded from: its title (twice: it says most), TL;DR, abstract."""
    return f"{title}. {title}. {tldr} {abstract}"


def pick_text(title, tldr, abstract, why, key_insights):
    """A pick adds the editor's words: why it matters and its key insights."""
    return f"{paper_text(title, tldr, abstract)} {why} {key_insights}"


def fit_catalogue(embedder=None):
    """Fit `embedder` (the default: TF-IDF + SVD) on every paper and pick and replace
    the stored vectors in one transaction; the new EmbeddingFit, or None with too few
    papers."""
    embedder = embedder or TfidfSvd()
    papers = list(Paper.objects.order_by("pk").values_list("pk", "title", "tldr", "abstract"))
    if len(papers) < MIN_PAPERS:
        return None
    picks = list(
        Pick.objects.order_by("pk").values_list(
            "pk", "paper__title", "paper__tldr", "paper__abstract", "why", "key_insights"
        )
    )
    started = time.perf_counter()
    embedding = embedder.fit(
        [paper_text(*row[1:]) for row in papers] + [pick_text(*row[1:]) for row in picks]
    )
    paper_vectors = embedding.vectors[: len(papers)]
    pick_vectors = embedding.vectors[len(papers) :]
    with transaction.atomic():
        PaperVector.objects.all().delete()
        PaperVector.objects.bulk_create(
            (
                PaperVector(paper_id=row[0], vector=vector.tobytes(), terms=terms)
                for row, vector, terms in zip(papers, paper_vectors, embedding.terms, strict=False)
            ),
            batch_size=BATCH,
        )
        PickVector.objects.all().delete()
        PickVector.objects.bulk_create(
            (
                PickVector(pick_id=row[0], vector=vector.tobytes())
                for row, vector in zip(picks, pick_vectors, strict=True)
            ),
            batch_size=BATCH,
        )
        store = "numpy"
        if pgvector.available():
            pgvector.store([row[0] for row in papers], paper_vectors)
            store = "pgvector"
        fit = EmbeddingFit.objects.create(
            store=store,
            embedder=embedder.name,
            dimensions=embedding.vectors.shape[1],
            papers=len(papers),
            seconds=time.perf_counter() - started,
            model=embedding.model,
        )
        embeddings_fitted.send(sender=EmbeddingFit, fit=fit)
    return fit
