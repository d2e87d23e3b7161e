"""Root URL configuration."""

from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from config.health import healthz
from guides.sitemaps import SITEMAPS
from guides.views import robots_txt

urlpatterns = [
    path(settings.ADMIN_PATH, admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("api/", include("config.api")),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots-txt"),
    path("", include("guides.urls")),
    path("", include("papers.urls")),
]

handler404 = "config.errors.page_not_found"
