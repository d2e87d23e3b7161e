"""Publish the drafts of changes whose scheduled time has come (guides.drafts).

The site also does it on the first request after that time; run this from cron (every
minute) so that a quiet site publishes on time too."""

from django.core.management.base import BaseCommand

from guides.drafts import publish_due_drafts


class Command(BaseCommand):
    help = "Publish the drafts of changes whose scheduled time has come."

    def handle(self, *args, **options):
        count = publish_due_drafts()
        self.stdout.write(f"Published {count} draft(s) of changes.")
