from django.core.management.base import BaseCommand

from discovery import hybrid, relevance
from search import queries


class Command(BaseCommand):
    help = (
        "Measure site search on the relevance set (discovery.relevance): MRR and recall@5 "
        "of full-text search alone and of hybrid search. Needs the seed and a fit."
    )

    def add_arguments(self, parser):
        parser.add_argument("--verbose-ranks", action="store_true", help="Each query's rank.")

    def handle(self, *args, verbose_ranks=False, **options):
        self.stdout.write(f"| search | MRR | recall@{relevance.AT} |\n| --- | --- | --- |")
        scores = {}
        for name, search in (("full text", queries.search), ("hybrid", hybrid.search)):
            scores[name] = score = relevance.evaluate(search)
            self.stdout.write(f"| {name} | {score.mrr:.2f} | {score.recall:.2f} |")
        if verbose_ranks:
            for query in relevance.QUERIES:
                ranks = " ".join(str(s.ranks[query] or "-").rjust(3) for s in scores.values())
                self.stdout.write(f"{ranks}  {query}")
