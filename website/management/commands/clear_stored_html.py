from django.core.management.base import BaseCommand

from guides.models import Guide
from papers.models import Paper
from website import pick_cards
from website.stored_html import forget_articles, forget_paper_cards


class Command(BaseCommand):
    help = (
        "Empty every stored rendering (guide articles, pick cards, paper cards), e.g. after "
        "a deploy that changed their templates; pages render and store them again."
    )

    def handle(self, *args, **options):
        pick_cards.clear()  # the cards and the articles of every guide with picks
        forget_articles(Guide.objects.all())
        forget_paper_cards(Paper.objects.all())
        self.stdout.write("Stored renderings emptied.")
