from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from guides.guide_import import import_text
from guides.guide_markdown import FormatError


class Command(BaseCommand):
    help = "Create a draft guide from a Markdown file in the guide format (see README)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--user", help="Username recorded as the guide's creator.")

    def handle(self, *args, file, user=None, **options):
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {file}: {error}") from error
        creator = None
        if user:
            creator = get_user_model().objects.filter(username=user).first()
            if creator is None:
                raise CommandError(f"No user '{user}'.")
        try:
            report = import_text(text, creator)
        except FormatError as error:
            raise CommandError(f"{file}, {error}. Nothing was imported.") from error
        for line in report.lines():
            self.stdout.write(line)
