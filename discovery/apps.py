from django.apps import AppConfig


class DiscoveryConfig(AppConfig):
    name = "discovery"
    verbose_name = "Discovery"

    def ready(self):
        from papers.signals import papers_imported

        from .receivers import refit_after_a_large_import

        papers_imported.connect(refit_after_a_large_import, dispatch_uid="discovery-refit")
