from django.core.management.base import BaseCommand

from search import index


class Command(BaseCommand):
    help = "Rebuild the full-text index: PostgreSQL's vectors, or SQLite's FTS5 tables."

    def handle(self, *args, **options):
        index.rebuild()
        what = "Search vectors" if index.enabled() else "FTS5 tables"
        self.stdout.write(f"{what} rebuilt.")
