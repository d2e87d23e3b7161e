from django.apps import AppConfig


class PapersConfig(AppConfig):
    name = "papers"
    verbose_name = "Papers catalogue"

    def ready(self):
        from . import topic_counts  # noqa: F401  (connects its receivers)
