"""Public pages served from a cache and answered with 304s, never stale.

Every change readers could see bumps one number, the site revision (the signals at the
bottom, in the editor's own transaction). A public page's ETag is that number and the
date (pages list upcoming webinars), so a client that has the page gets a 304 without
any rendering; its Last-Modified is the time of the change. Rendered pages are cached
(Django's cache: local memory by default, Redis when REDIS_URL is set) with the
revision they were rendered at, so a change shows at once: no cached copy matches it.
The revision itself is read from the database, or with Redis from the cache (see
REVISION_KEY), so that a hit or a 304 makes no query at all.

Only anonymous GET and HEAD requests are served from the cache, and only 200 responses
without cookies are stored. Staff (who have a session cookie) always get fresh pages.
"""

import hashlib
from datetime import datetime, time

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models import F, Subquery
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from discovery.signals import embeddings_fitted, maps_computed
from guides.drafts import publish_due_drafts
from guides.models import Figure, Guide, Pick, Reference, Section, Status, TaggedGuide, Webinar
from guides.signals import guides_bulk_changed
from images.models import ConferenceImage, Image, PaperImage
from papers.models import Author, Authorship, Conference, Paper, Series, Tag, TaggedPaper
from papers.signals import papers_bulk_changed

from .models import SiteRevision

# Headers a cached copy does not repeat: recomputed for each response.
RECOMPUTED_HEADERS = {"content-length", "etag", "last-modified", "date"}

# With a shared cache (settings.SITE_REVISION_IN_CACHE), the revision is read from it
# and forgotten by every bump, so a hit or a 304 makes no query. A reader that read
# the old revision just before an editor's commit may put it back after the bump
# forgot it; it expires after these seconds.
REVISION_KEY = "site-revision"
REVISION_SECONDS = 5


def revision_from_database(now):
    """(number, changed_at, next_publication_at), moved on first if a scheduled guide
    has gone public since (and its scheduled drafts of changes published)."""
    revision, _ = SiteRevision.objects.get_or_create(pk=1)
    if revision.next_publication_at and revision.next_publication_at <= now:
        publish_due_drafts(now)
        bump(now)
        revision = SiteRevision.objects.get(pk=1)
    return revision.number, revision.changed_at, revision.next_publication_at


def bump(now=None):
    now = now or timezone.now()
    upcoming = Guide.objects.filter(status=Status.PUBLISHED, published_at__gt=now)
    updated = SiteRevision.objects.filter(
        pk=1
    ).update(  # one statement, however often
        number=F("number") + 1,
        changed_at=now,
        next_publication_at=Subquery(upcoming.order_by("published_at").values("published_at")[:1]),
    )
    if not updated:
        SiteRevision.objects.get_or_create(pk=1)
    if settings.SITE_REVISION_IN_CACHE:
        # Now for this transaction's own reads, again once others can see the change.
        _forget_revision()
        transaction.on_commit(_forget_revision)


def _forget_revision():
    caches["default"].delete(REVISION_KEY)


class PublicPageCacheMiddleware:
    """The first middleware: a hit is answered before any other runs. What the others
    add to a response (security headers, the CSP) is stored with the page, and the
    page is stored under its whole address: scheme and host included, since pages name
    their canonical address, and a host Django refuses is never stored."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.excluded = (
            settings.STATIC_URL,  # already absolute: Django adds the leading slash
            settings.MEDIA_URL,  # files, cached by browsers for a year
            *(f"/{prefix}" for prefix in (settings.ADMIN_PATH, "preview/", "api/")),
            *("/healthz", "/robots.txt", "/favicon.ico", "/site.webmanifest"),
        )

    def __call__(self, request):
        if not self.applies(request):
            return self.get_response(request)
        now = timezone.now()
        address = request.build_absolute_uri()  # a refused host: DisallowedHost, a 400
        page_key = "page:" + hashlib.sha256(address.encode()).hexdigest()
        (number, changed_at, _), cached = self.lookup(page_key, now)
        today = timezone.localdate(now)
        # The time of the change tells apart two states with the same number, which
        # happens when a transaction that bumped it rolls back.
        version = f"{number}.{changed_at.timestamp():.6f}.{today:%Y%m%d}"
        etag = f'W/"{version}"'
        midnight = timezone.make_aware(datetime.combine(today, time.min))
        modified = int(max(changed_at, midnight).timestamp())
        not_modified = get_conditional_response(request, etag, modified)
        if not_modified is not None:
            return not_modified  # a 304, or a 412 for a failed If-Match
        if cached is not None and cached["version"] == version:
            response = HttpResponse(cached["body"], status=200)
            for name, value in cached["headers"]:
                response[name] = value
        else:
            response = self.get_response(request)
            if settings.PAGE_CACHE and self.storable(response):
                entry = self.entry(response, version)
                caches["default"].set(page_key, entry, settings.PAGE_CACHE_SECONDS)
        if response.status_code == 200:
            response["ETag"], response["Last-Modified"] = etag, http_date(modified)
        return response

    @staticmethod
    def lookup(page_key, now):
        """(the site revision, the cached page or None): one round trip to a shared cache."""
        cache = caches["default"]
        keys = [page_key] if settings.PAGE_CACHE else []
        if not settings.SITE_REVISION_IN_CACHE:
            return revision_from_database(now), cache.get_many(keys).get(page_key)
        found = cache.get_many([REVISION_KEY, *keys])
        revision = found.get(REVISION_KEY)
        if revision is None or (revision[2] and revision[2] <= now):
            revision = revision_from_database(now)
            cache.add(REVISION_KEY, revision, REVISION_SECONDS)
        return revision, found.get(page_key)

    def applies(self, request):
        return (
            request.method in ("GET", "HEAD")
            and not request.path.startswith(self.excluded)
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            # else SecurityMiddleware redirects it to HTTPS
            and (request.is_secure() or not settings.SECURE_SSL_REDIRECT)
        )

    @staticmethod
    def storable(response):
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "private" not in response.get("Cache-Control", "")
        )

    @staticmethod
    def entry(response, version):
        headers = [(k, v) for k, v in response.items() if k.lower() not in RECOMPUTED_HEADERS]
        return {"version": version, "body": response.content, "headers": headers}


# Every model a public page shows something of.
SHOWN = [
    *(Series, Conference, Author, Paper, Authorship, Tag, TaggedPaper),
    *(Guide, Section, Pick, Reference, Webinar, TaggedGuide, Figure),
    *(Image, PaperImage, ConferenceImage),
    settings.AUTH_USER_MODEL,
]


def _changed(sender, **kwargs):
    bump()


for model in SHOWN:
    name = getattr(model, "__name__", model)
    post_save.connect(_changed, sender=model, dispatch_uid=f"page-cache-save-{name}")
    post_delete.connect(_changed, sender=model, dispatch_uid=f"page-cache-del-{name}")
for through in (Guide.bylines.through, Pick.related_papers.through):
    m2m_changed.connect(_changed, sender=through, dispatch_uid=f"page-cache-m2m-{through}")
papers_bulk_changed.connect(_changed, dispatch_uid="page-cache-bulk")
guides_bulk_changed.connect(_changed, dispatch_uid="page-cache-guides-bulk")
embeddings_fitted.connect(_changed, dispatch_uid="page-cache-embeddings")  # related papers
maps_computed.connect(_changed, dispatch_uid="page-cache-maps")  # conference maps
