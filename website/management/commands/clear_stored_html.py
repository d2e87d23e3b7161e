from django.core.management.base import BaseCommand
from django.db import transaction

from guides.models import Guide, Pick
from papers.models import Paper
from website import cache_tags, pick_cards
from website.models import StoredSection
from website.page_cache import invalidate
from website.stored_html import forget_articles, forget_paper_cards


class Command(BaseCommand):
    help = (
        "Empty every stored rendering (guide articles, pick cards and summaries, paper "
        "cards, page sections: maps, latest picks), e.g. after a deploy that changed "
        "their templates; pages render and store them again."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        pick_cards.clear()  # the cards and the articles of every guide with picks
        forget_articles(Guide.objects.all())
        forget_paper_cards(Paper.objects.all())
        Pick.objects.exclude(summary_html="").update(summary_html="")
        StoredSection.objects.all().delete()
        invalidate({cache_tags.SITE})  # the pages showing summaries and stored sections
        self.stdout.write("Stored renderings emptied.")
