from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from papers.models import Conference
from papers.paper_import import ImportFailed, format_of, import_papers


class Command(BaseCommand):
    help = (
        "Load a conference's accepted papers from JSON Lines or CSV (see README). "
        "Reruns update instead of adding; bad rows are reported and skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--conference", required=True, help="The conference's slug.")
        parser.add_argument(
            "--format", choices=["jsonl", "csv"], help="Default: from the file's extension."
        )
        parser.add_argument(
            "--strict", action="store_true", help="Write nothing if any row is bad."
        )

    def handle(self, *args, file, conference, format=None, strict=False, **options):
        found = Conference.objects.filter(slug=conference).first()
        if found is None:
            raise CommandError(f"No conference “{conference}”. Nothing was imported.")
        try:
            text = file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {file}: {error}") from error
        show = options["verbosity"] > 0
        with tqdm(
            total=text.count("\n") or None, unit=" rows", file=self.stderr, disable=not show
        ) as bar:
            try:
                report = import_papers(
                    text, found, format or format_of(file.name), strict=strict, progress=bar.update
                )
            except ImportFailed as error:
                for line in error.errors:
                    self.stderr.write(f"{file}, {line}")
                raise CommandError(str(error)) from error
        for line in report.errors:
            self.stderr.write(f"{file}, {line}")
        self.stdout.write(f"{found}: {report.summary()}")
        if report.errors:
            raise CommandError(
                f"{len(report.errors)} bad rows were skipped; the others were imported."
            )
