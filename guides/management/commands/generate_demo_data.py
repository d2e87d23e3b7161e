import time

from django.core.management.base import BaseCommand, CommandError

from guides.demo_data import AlreadyGenerated, DemoCorpus, Sizes


class Command(BaseCommand):
    help = (
        "Add a reproducible synthetic corpus (papers, authors, topics, guides, webinars) "
        "for demos and benchmarks. Runs once per database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--papers", type=int, default=Sizes.papers)
        parser.add_argument("--guides", type=int, default=Sizes.guides)
        parser.add_argument("--seed", type=int, default=Sizes.seed, help="Same seed, same data.")

    def handle(self, *args, papers, guides, seed, **options):
        if papers < 1000 or guides < 1:
            raise CommandError("Ask for at least 1,000 papers and one guide.")
        started = time.monotonic()
        show = options["verbosity"] > 0
        corpus = DemoCorpus(
            Sizes(papers=papers, guides=guides, seed=seed),
            progress=self.stdout.write if show else lambda message: None,
        )
        try:
            corpus.generate()
        except AlreadyGenerated as error:
            raise CommandError(f"{error} Start from an empty database to make another.") from error
        self.stdout.write(f"Done in {time.monotonic() - started:.0f} s.")
