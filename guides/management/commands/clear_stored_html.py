from django.core.management.base import BaseCommand

from guides import pick_cards
from guides.models import Guide
from papers.models import Paper


class Command(BaseCommand):
    help = (
        "Empty every stored rendering (guide articles, pick cards, paper cards), e.g. after "
        "a deploy that changed their templates; pages render and store them again."
    )

    def handle(self, *args, **options):
        pick_cards.clear()  # the cards and the articles of every guide with picks
        Guide.objects.changed()
        Paper.objects.changed()
        self.stdout.write("Stored renderings emptied.")
