from django.apps import AppConfig


class GuidesConfig(AppConfig):
    name = "guides"
    verbose_name = "Guides"

    def ready(self):
        # Connect the signals that keep the search index, the stored pick cards and the
        # page cache current.
        from . import page_cache, pick_cards, search_index  # noqa: F401
