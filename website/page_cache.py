"""Public pages served from a cache and answered with 304s, never stale, and stale
only where something they show changed.

A page is rendered once and cached (Django's cache: local memory by default, Redis
when REDIS_URL is set) with its cache tags (website.cache_tags: the objects it shows,
the kinds it lists) and the site revision it was rendered at. Every change readers
could see moves the revision and stamps the tags it touches with it, in the editor's
own transaction (`invalidate`, called by the signals at the bottom). A cached page is
served while none of its tags was stamped after it was rendered; its ETag is the
latest stamp of its tags and the date (pages list upcoming webinars), so a page whose
objects did not change keeps its ETag, and a client that has it gets a 304.

Tag stamps are read from the database, or with Redis from the cache (forgotten by
every stamp), so that a hit or a 304 makes no query. Only anonymous GET and HEAD
requests are served from the cache, and only 200 responses without cookies are
stored; staff (who have a session cookie) always get fresh pages. The same pages may
be kept by a proxy in front (website.edge), purged by the same tags.
"""

import hashlib
from contextvars import ContextVar
from datetime import datetime, time

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models import F, Subquery
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
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
from papers.signals import papers_bulk_changed, per_change
from readers.models import Comment

from . import cache_tags, edge
from .models import CacheTag, SiteRevision

# Headers a cached copy does not repeat: recomputed for each response.
RECOMPUTED_HEADERS = {"content-length", "etag", "last-modified", "date"}

# With a shared cache (settings.SITE_REVISION_IN_CACHE), the revision and the tag
# stamps are read from it and forgotten by every change, so a hit or a 304 makes no
# query. A reader that read an old value just before an editor's commit may put it
# back after the change forgot it; it expires after these seconds.
REVISION_KEY = "site-revision"
# Pages are filed under a prefix naming the entries' format: copies stored by an
# earlier version of the site (in a shared Redis) are never read, and expire.
PAGE_KEY = "page-tagged:"
TAG_KEY = "tag:"
REVISION_SECONDS = 5


def revision_from_database(now):
    """(number, changed_at, next_publication_at), moved on first if a scheduled guide
    has gone public since (and its scheduled drafts of changes published)."""
    revision, _ = SiteRevision.objects.get_or_create(pk=1)
    if revision.next_publication_at and revision.next_publication_at <= now:
        publish_due_drafts(now)
        invalidate({cache_tags.SITE}, now)
        revision = SiteRevision.objects.get(pk=1)
    return revision.number, revision.changed_at, revision.next_publication_at


def site_revision(now):
    """(number, changed_at, next_publication_at) of the site now."""
    if not settings.SITE_REVISION_IN_CACHE:
        return revision_from_database(now)
    return _current(caches["default"].get(REVISION_KEY), now)


def _current(cached_revision, now):
    """The revision read from the shared cache, or from the database when it was not
    there or a scheduled publication has come since."""
    if cached_revision is None or (cached_revision[2] and cached_revision[2] <= now):
        cached_revision = revision_from_database(now)
        caches["default"].add(REVISION_KEY, cached_revision, REVISION_SECONDS)
    return cached_revision


def invalidate(tags, now=None):
    """Make the pages tagged with any of `tags` stale: here, in every process, and at
    the edge once the transaction commits."""
    now = now or timezone.now()
    # Together even outside a transaction (a script's save): a process that read the new
    # revision with the old stamps would keep serving the page they left fresh. (Inside
    # an editor's transaction, no savepoint: a failure here fails the save.)
    with transaction.atomic(savepoint=False):
        number = _move_revision(now)
        stamps = [CacheTag(name=tag, revision=number, changed_at=now) for tag in tags]
        CacheTag.objects.bulk_create(
            stamps,
            update_conflicts=True,
            unique_fields=["name"],
            update_fields=["revision", "changed_at"],
        )
    if settings.SITE_REVISION_IN_CACHE:
        # Now for this transaction's own reads, again once others can see the change.
        keys = [REVISION_KEY, *(TAG_KEY + tag for tag in tags)]
        caches["default"].delete_many(keys)
        transaction.on_commit(lambda: caches["default"].delete_many(keys))
    edge.purge_after_commit(tags)


def _move_revision(now):
    upcoming = Guide.objects.filter(status=Status.PUBLISHED, published_at__gt=now)
    revisions = SiteRevision.objects.filter(pk=1)
    updated = revisions.update(  # one statement, however often
        number=F("number") + 1,
        changed_at=now,
        next_publication_at=Subquery(upcoming.order_by("published_at").values("published_at")[:1]),
    )
    if not updated:
        SiteRevision.objects.get_or_create(pk=1)
    return revisions.values_list("number", flat=True).get()


class RecentStamps:
    """The tag stamps this process read at one site revision, and what it remembered
    at it (`remembered`). Every stamp moves the revision, so while it stays the same
    they are current: a page whose tags were all read costs no round trip for them.
    Kept REVISION_SECONDS at most, as in the shared cache: a stamp read there just
    before an editor's commit may be old."""

    def __init__(self, revision=None, now=None):
        self.revision, self.read_at, self.stamps, self.values = revision, now, {}, {}

    def holds(self, revision, now):
        return revision == self.revision and (now - self.read_at).total_seconds() < REVISION_SECONDS


_recent = RecentStamps()
# The site revision the request being rendered read: stored sections it shows check
# their tags' stamps at it too (website.stored_sections).
_rendering_at = ContextVar("page_cache_rendering_at", default=None)


def forget_recent_stamps():
    """As a new process: for tests, which roll the database back to a revision (and,
    with a frozen clock, a time) it had before with other stamps."""
    global _recent
    _recent = RecentStamps()


def tag_stamps(tags, revision=None):
    """{tag: (revision, changed_at)} of those of `tags` ever changed. Given the site
    revision the request read (its number and time; by default that of the page being
    rendered, if any), the stamps read by this process at that revision are reused."""
    revision = revision or _rendering_at.get()
    if revision is None:
        return _read_stamps(tags)
    recent = _recent_at(revision)
    missing = [tag for tag in tags if tag not in recent.stamps]
    if missing:
        read = _read_stamps(missing)
        recent.stamps.update({tag: read.get(tag, (0, None)) for tag in missing})
    return {tag: recent.stamps[tag] for tag in tags if recent.stamps[tag][0]}


def remembered(key, read):
    """What `read()` returns, read once by this process at the site revision of the
    page being rendered and kept until the revision moves: for the small lists every
    list page asks for (a filter's options), which cost more to query and build than
    the page's own rows. Read afresh outside a public page (staff, the API)."""
    revision = _rendering_at.get()
    if revision is None:
        return read()
    values = _recent_at(revision).values
    if key not in values:
        values[key] = read()
    return values[key]


def _recent_at(revision):
    global _recent
    now = timezone.now()
    if not _recent.holds(revision, now):
        _recent = RecentStamps(revision, now)
    return _recent


def _read_stamps(tags):
    if not settings.SITE_REVISION_IN_CACHE:
        return _stamps_from_database(tags)
    cache = caches["default"]
    found = cache.get_many([TAG_KEY + tag for tag in tags])
    stamps = {key.removeprefix(TAG_KEY): stamp for key, stamp in found.items()}
    missing = [tag for tag in tags if tag not in stamps]
    if missing:
        fetched = _stamps_from_database(missing)
        never = {tag: (0, None) for tag in missing if tag not in fetched}
        stamps.update(fetched | never)
        values = {TAG_KEY + tag: stamps[tag] for tag in missing}
        cache.set_many(values, REVISION_SECONDS)
    return {tag: stamp for tag, stamp in stamps.items() if stamp[0]}


def _stamps_from_database(tags):
    rows = CacheTag.objects.filter(name__in=tags).values_list("name", "revision", "changed_at")
    return {name: (revision, changed_at) for name, revision, changed_at in rows}


def validators(stamps, today):
    """(ETag, Last-Modified as a timestamp) of a page whose tags have these stamps."""
    latest = max((revision for revision, _ in stamps.values()), default=0)
    midnight = timezone.make_aware(datetime.combine(today, time.min))
    changed = max([midnight, *(changed_at for _, changed_at in stamps.values())])
    return f'W/"{latest}.{today:%Y%m%d}"', int(changed.timestamp())


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
            response = self.get_response(request)
            edge.private_headers(response, request)
            return response
        now = timezone.now()
        today = timezone.localdate(now)
        address = request.build_absolute_uri()  # a refused host: DisallowedHost, a 400
        page_key = PAGE_KEY + hashlib.sha256(address.encode()).hexdigest()
        (number, changed_at, next_publication_at), cached = self.lookup(page_key, now)
        revision = (number, changed_at)  # a number alone comes again after a rollback
        if cached is not None and cached["date"] == today:
            stamps = tag_stamps(cached["tags"], revision)
            if all(revision <= cached["revision"] for revision, _ in stamps.values()):
                etag, modified = validators(stamps, today)
                response = get_conditional_response(request, etag, modified)
                if response is None:  # not a 304, nor a 412 for a failed If-Match
                    response = HttpResponse(cached["body"], status=200)
                    for name, value in cached["headers"]:
                        response[name] = value
                return self.public(
                    response, etag, modified, cached["tags"], now, next_publication_at
                )

        rendering_at = _rendering_at.set(revision)
        try:
            with cache_tags.collecting() as collected:
                response = self.get_response(request)
        finally:
            _rendering_at.reset(rendering_at)
        if not self.storable(response):
            edge.private_headers(response, request)
            return response
        tags = collected.tags()
        # Read again: if an editor's change came in while it rendered, the revision
        # moved and the stamps are read afresh.
        after = site_revision(now)
        stamps = tag_stamps(tags, after[:2])
        if any(revision > number for revision, _ in stamps.values()):
            # Something it shows changed while it was rendered: it may show either
            # version, so it gets no validator and no cache keeps it.
            edge.private_headers(response, request)
            return response
        if settings.PAGE_CACHE:
            entry = self.entry(response, number, today, tags)
            caches["default"].set(page_key, entry, settings.PAGE_CACHE_SECONDS)
        etag, modified = validators(stamps, today)
        response = get_conditional_response(request, etag, modified, response) or response
        return self.public(response, etag, modified, tags, now, next_publication_at)

    @staticmethod
    def public(response, etag, modified, tags, now, next_publication_at):
        if response.status_code in (200, 304):
            response["ETag"], response["Last-Modified"] = etag, http_date(modified)
            edge.public_headers(response, tags, now, next_publication_at)
        return response

    @staticmethod
    def lookup(page_key, now):
        """(the site revision, the cached page or None): one round trip to a shared cache."""
        cache = caches["default"]
        keys = [page_key] if settings.PAGE_CACHE else []
        if not settings.SITE_REVISION_IN_CACHE:
            return revision_from_database(now), cache.get_many(keys).get(page_key)
        found = cache.get_many([REVISION_KEY, *keys])
        return _current(found.get(REVISION_KEY), now), found.get(page_key)

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
    def entry(response, revision, today, tags):
        headers = [(k, v) for k, v in response.items() if k.lower() not in RECOMPUTED_HEADERS]
        return {
            "revision": revision,  # the site's when it was rendered
            "date": today,
            "tags": tags,
            "body": response.content,
            "headers": headers,
        }


# Every model a public page shows something of.
SHOWN = [
    *(Series, Conference, Author, Paper, Authorship, Tag, TaggedPaper),
    *(Guide, Section, Pick, Reference, Webinar, TaggedGuide, Figure),
    *(Image, PaperImage, ConferenceImage),
    Comment,
    settings.AUTH_USER_MODEL,
]


@per_change
def _changed(sender, instance, created=False, **kwargs):
    if tags := cache_tags.changed_tags(sender, instance, created):
        invalidate(tags)


@per_change
def _pick_moving(sender, instance, **kwargs):
    """A pick given another paper leaves the page of the paper it had."""
    if instance.pk:
        before = Pick.objects.filter(pk=instance.pk).values_list("paper_id", flat=True)
        if (paper_id := before.first()) not in (None, instance.paper_id):
            invalidate({f"paper-{paper_id}"})


@per_change
def _links_changed(sender, instance, action, **kwargs):
    if action.startswith("post_"):
        invalidate(cache_tags.m2m_changed_tags(instance))


def _everything_changed(sender, **kwargs):
    invalidate({cache_tags.SITE})


for model in SHOWN:
    name = getattr(model, "__name__", model)
    post_save.connect(_changed, sender=model, dispatch_uid=f"page-cache-save-{name}")
    post_delete.connect(_changed, sender=model, dispatch_uid=f"page-cache-del-{name}")
pre_save.connect(_pick_moving, sender=Pick, dispatch_uid="page-cache-pick-moving")
for through in (Guide.bylines.through, Pick.related_papers.through):
    m2m_changed.connect(_links_changed, sender=through, dispatch_uid=f"page-cache-m2m-{through}")
papers_bulk_changed.connect(_everything_changed, dispatch_uid="page-cache-bulk")
guides_bulk_changed.connect(_everything_changed, dispatch_uid="page-cache-guides-bulk")
# Related papers, "more like this", search by meaning; conference maps.
embeddings_fitted.connect(_everything_changed, dispatch_uid="page-cache-embeddings")
maps_computed.connect(_everything_changed, dispatch_uid="page-cache-maps")
