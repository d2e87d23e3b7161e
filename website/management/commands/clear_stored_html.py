from django.core.management.base import BaseCommand

from website.template_changes import clear_stored_html


class Command(BaseCommand):
    help = (
        "Empty every stored rendering (guide articles, pick cards and summaries, paper "
        "cards, page sections: maps, latest picks); pages render and store them again. "
        "`migrate` does it when the templates changed (website.template_changes)."
    )

    def handle(self, *args, **options):
        clear_stored_html()
        self.stdout.write("Stored renderings emptied.")
