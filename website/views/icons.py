"""The site's icons where browsers and crawlers look for them without asking the page:
/favicon.ico, and the web manifest that names the app icons."""

import json

from django.http import HttpResponse
from django.shortcuts import redirect
from django.templatetags.static import static

from ..share_cards import ACCENT, PAPER, SITE_NAME

ICON_CACHE = "public, max-age=86400"


def favicon(request):
    """To the static file (hashed and compressed in production); the page links it too."""
    response = redirect(static("icons/favicon.ico"))
    response["Cache-Control"] = ICON_CACHE
    return response


def web_manifest(request):
    manifest = {
        "name": SITE_NAME,
        "short_name": "Guides",
        "description": "Curated guides to machine-learning conferences.",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": PAPER,
        "theme_color": ACCENT,
        "icons": [
            {"src": static("icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static("icons/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
            {"src": static("icons/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
    }
    response = HttpResponse(json.dumps(manifest), content_type="application/manifest+json")
    response["Cache-Control"] = ICON_CACHE
    return response
