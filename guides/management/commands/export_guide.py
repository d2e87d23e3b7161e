from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from guides.guide_import import document_from_guide
from guides.guide_markdown import write
from guides.models import Guide


class Command(BaseCommand):
    help = "Write a guide as Markdown in the guide format (to stdout, or to --output)."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("-o", "--output", type=Path)

    def handle(self, *args, slug, output=None, **options):
        guide = Guide.objects.select_related("conference").filter(slug=slug).first()
        if guide is None:
            raise CommandError(f"No guide with the slug '{slug}'.")
        text = write(document_from_guide(guide))
        if output:
            output.write_text(text, encoding="utf-8")
            self.stderr.write(f"Wrote {output}.")
        else:
            self.stdout.write(text, ending="")
