"""/api/: the read API. Schema at /api/schema/ (OpenAPI 3), browsable docs at /api/docs/.
The docs page loads its script from a file (the split view), as the CSP requires."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from .catalogue import AuthorViewSet, ConferenceViewSet, PaperViewSet, TagViewSet
from .guides import GuideViewSet, WebinarViewSet

router = DefaultRouter()
router.register("guides", GuideViewSet, basename="guide")
router.register("papers", PaperViewSet, basename="paper")
router.register("authors", AuthorViewSet, basename="author")
router.register("conferences", ConferenceViewSet, basename="conference")
router.register("tags", TagViewSet, basename="tag")
router.register("webinars", WebinarViewSet, basename="webinar")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include(router.urls)),
]
