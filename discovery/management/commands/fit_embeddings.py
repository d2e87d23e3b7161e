from django.core.management.base import BaseCommand

from discovery.fitting import MIN_PAPERS, fit_catalogue


class Command(BaseCommand):
    help = "Fit the embedder on the whole catalogue and store every paper's vector."

    def handle(self, *args, **options):
        fit = fit_catalogue()
        if fit is None:
            self.stdout.write(f"Fewer than {MIN_PAPERS} papers: nothing to fit.")
            return
        self.stdout.write(
            f"Fitted {fit.embedder} on {fit.papers:,} papers "
            f"({fit.dimensions} dimensions) in {fit.seconds:.1f} s."
        )
