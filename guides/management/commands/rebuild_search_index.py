from django.core.management.base import BaseCommand

from guides import search_index


class Command(BaseCommand):
    help = "Recompute every full-text search vector (PostgreSQL; nothing to do on SQLite)."

    def handle(self, *args, **options):
        if not search_index.enabled():
            self.stdout.write("SQLite searches the text directly: no index to rebuild.")
            return
        search_index.rebuild()
        self.stdout.write("Search vectors rebuilt.")
