"""Error pages: HTML for readers, JSON under /api/ (what API clients expect)."""

from django.http import JsonResponse
from django.views import defaults


def page_not_found(request, exception):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)
