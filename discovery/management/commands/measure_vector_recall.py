import random

import numpy as np
from django.core.management.base import BaseCommand, CommandError

from discovery.models import EmbeddingFit
from discovery.related import INDEX, InMemoryPapers

TIE = 1e-5  # float32 rounding: closer than this to the k-th similarity is a tie


class Command(BaseCommand):
    help = (
        "On the pgvector path, the recall@K of its HNSW index against exact search over "
        "a sample of papers: the share of the K papers it returns that are among the K "
        "nearest (a paper as near as the K-th counts: ties are common in generated "
        "corpora); the plain overlap of both lists is reported too."
    )

    def add_arguments(self, parser):
        parser.add_argument("--sample", type=int, default=500, help="Papers to query.")
        parser.add_argument("-k", type=int, default=10)

    def handle(self, *args, sample, k, **options):
        fit = EmbeddingFit.objects.order_by("-pk").first()
        if fit is None or fit.store != "pgvector":
            raise CommandError("The latest fit is not on the pgvector path: nothing to measure.")
        approximate = INDEX.current().papers
        exact = InMemoryPapers()
        ids = [int(i) for i in exact.ids]
        chosen = random.Random(0).sample(ids, min(sample, len(ids)))
        near_enough = overlap = 0
        for paper_id in chosen:
            vector = exact.matrix[exact.position[paper_id]]
            truth = exact.closest(vector, k, exclude=[paper_id])
            got = [i for i, _ in approximate.closest(vector, k, exclude=[paper_id])]
            kth = truth[-1][1]
            similarity = exact.matrix[[exact.position[i] for i in got]] @ vector
            near_enough += int(np.sum(similarity >= kth - TIE))
            overlap += len({i for i, _ in truth} & set(got))
        total = k * len(chosen)
        self.stdout.write(
            f"HNSW recall@{k} against exact search: {near_enough / total:.3f} "
            f"(plain overlap {overlap / total:.3f}; {len(chosen)} papers of {len(ids):,})"
        )
