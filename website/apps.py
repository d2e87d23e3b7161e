from django.apps import AppConfig
from django.db.models.signals import post_migrate


class WebsiteConfig(AppConfig):
    name = "website"
    verbose_name = "Reader site"

    def ready(self):
        # The domain apps only send signals; these receivers keep what the reader site
        # stores (pick cards, paper cards, guide articles, the page cache) current.
        from . import guide_articles, guide_cards, page_cache, paper_cards, pick_cards  # noqa: F401
        from .template_changes import clear_after_template_changes

        post_migrate.connect(clear_after_template_changes, sender=self)
