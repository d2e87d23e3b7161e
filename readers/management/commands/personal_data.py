"""Export or delete what the site keeps of a reader's address (subscriptions, emails
sent, comments): `manage.py personal_data export a@b.org`, `... delete a@b.org`."""

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from readers import personal_data


class Command(BaseCommand):
    help = "Export (JSON on standard output) or delete a reader's personal data."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["export", "delete"])
        parser.add_argument("email")

    def handle(self, *args, action, email, **options):
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"Not an email address: {email!r}") from None
        if action == "export":
            self.stdout.write(json.dumps(personal_data.export(email), indent=2))
            return
        subscribers, comments = personal_data.delete(email)
        self.stdout.write(f"Deleted {subscribers} subscriber(s) and {comments} comment(s).")
