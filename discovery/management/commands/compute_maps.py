from django.core.management.base import BaseCommand

from discovery.maps import compute_maps


class Command(BaseCommand):
    help = "Compute the map of every conference from the stored paper vectors."

    def handle(self, *args, **options):
        seconds = compute_maps()
        self.stdout.write(
            f"Mapped {len(seconds)} conference{'s' if len(seconds) != 1 else ''} "
            f"in {sum(seconds.values()):.1f} s."
        )
