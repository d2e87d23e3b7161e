from django.apps import AppConfig
from threadpoolctl import threadpool_limits


class DiscoveryConfig(AppConfig):
    name = "discovery"
    verbose_name = "Discovery"

    def ready(self):
        from papers.signals import papers_imported

        from .receivers import refit_after_a_large_import

        papers_imported.connect(refit_after_a_large_import, dispatch_uid="discovery-refit")
        # A page multiplies one vector by the matrix of every paper: a few milliseconds
        # on one core. BLAS's own threads (one per core by default) only contend with the
        # other requests and workers on those cores: at 50,000 papers the product took
        # 4 ms instead of 1.5 alone, and far longer under load.
        threadpool_limits(limits=1, user_api="blas")
