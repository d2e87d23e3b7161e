"""Root URL configuration: the admin, the read API and the reader site."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from config.health import healthz

urlpatterns = [
    path(settings.ADMIN_PATH, admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("api/", include("api.urls")),
    path("", include("readers.urls")),
    path("", include("website.urls")),
]

handler404 = "config.errors.page_not_found"
