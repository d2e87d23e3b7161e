from django.apps import AppConfig


class GuidesConfig(AppConfig):
    name = "guides"
    verbose_name = "Guides"

    def ready(self):
        # Connect the signals that keep the search index and the stored pick cards current.
        from . import pick_cards, search_index  # noqa: F401
