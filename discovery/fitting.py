"""Fitting the embedder on the whole catalogue and storing every paper's vector."""

import time

from django.db import transaction

from papers.models import Paper

from .embedders import TfidfSvd
from .models import EmbeddingFit, PaperVector
from .signals import embeddings_fitted

MIN_PAPERS = 3
BATCH = 2000


def paper_text(title, tldr, abstract):
    """What a paper is embedded from: its title (twice: it says most), TL;DR, abstract."""
    return f"{title}. {title}. {tldr} {abstract}"


def fit_catalogue(embedder=None):
    """Fit `embedder` (the default: TF-IDF + SVD) on every paper and replace the stored
    vectors in one transaction; the new EmbeddingFit, or None with too few papers."""
    embedder = embedder or TfidfSvd()
    rows = list(Paper.objects.order_by("pk").values_list("pk", "title", "tldr", "abstract"))
    if len(rows) < MIN_PAPERS:
        return None
    started = time.perf_counter()
    embedding = embedder.fit([paper_text(*row[1:]) for row in rows])
    with transaction.atomic():
        PaperVector.objects.all().delete()
        PaperVector.objects.bulk_create(
            (
                PaperVector(paper_id=row[0], vector=vector.tobytes(), terms=terms)
                for row, vector, terms in zip(rows, embedding.vectors, embedding.terms, strict=True)
            ),
            batch_size=BATCH,
        )
        fit = EmbeddingFit.objects.create(
            embedder=embedder.name,
            dimensions=embedding.vectors.shape[1],
            papers=len(rows),
            seconds=time.perf_counter() - started,
        )
        embeddings_fitted.send(sender=EmbeddingFit, fit=fit)
    return fit
