from django.apps import AppConfig


class GuidesConfig(AppConfig):
    name = "guides"
    verbose_name = "Guides"

    def ready(self):
        from . import search_index  # noqa: F401 - connects the signals that keep it current
