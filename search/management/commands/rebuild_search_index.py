from django.core.management.base import BaseCommand

from search import index


class Command(BaseCommand):
    help = "Recompute every full-text search vector (PostgreSQL; nothing to do on SQLite)."

    def handle(self, *args, **options):
        if not index.enabled():
            self.stdout.write("SQLite searches the text directly: no index to rebuild.")
            return
        index.rebuild()
        self.stdout.write("Search vectors rebuilt.")
