from django.apps import AppConfig


class WebsiteConfig(AppConfig):
    name = "website"
    verbose_name = "Reader site"

    def ready(self):
        # The domain apps only send signals; these receivers keep what the reader site
        # stores (pick cards, paper cards, guide articles, the page cache) current.
        from . import guide_articles, guide_cards, page_cache, paper_cards, pick_cards  # noqa: F401
