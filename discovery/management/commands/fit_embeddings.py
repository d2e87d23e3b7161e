from django.core.management import call_command
from django.core.management.base import BaseCommand

from discovery.fitting import MIN_PAPERS, fit_catalogue


class Command(BaseCommand):
    help = (
        "Fit the embedder on the whole catalogue, store every paper's and pick's vector, "
        "then compute the conference maps from them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-maps", action="store_true", help="Leave the maps as they are.")

    def handle(self, *args, no_maps=False, **options):
        fit = fit_catalogue()
        if fit is None:
            self.stdout.write(f"Fewer than {MIN_PAPERS} papers: nothing to fit.")
            return
        self.stdout.write(
            f"Fitted {fit.embedder} on {fit.papers:,} papers "
            f"({fit.dimensions} dimensions) in {fit.seconds:.1f} s."
        )
        if not no_maps:
            call_command("compute_maps", stdout=self.stdout)
