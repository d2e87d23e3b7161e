from django.apps import AppConfig


class PapersConfig(AppConfig):
    name = "papers"
    verbose_name = "Papers catalogue"

    def ready(self):
        from . import paper_cards  # noqa: F401  (its signal receivers)
