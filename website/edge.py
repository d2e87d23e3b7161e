"""Public pages cached by a proxy or CDN in front of the site (the edge), and purged
when something readers see changes.

A public page says how long a shared cache may keep it (`s-maxage`, never past the
next scheduled publication or midnight, since pages list what is upcoming), may serve
it stale while fetching it again or while the site is down, and which cache tags it
carries (`Surrogate-Key`, website.cache_tags; the Varnish configuration in
deploy/varnish/ files them as xkey keys). Anything else — admin, previews, forms, the
API, any request with a session — is `private, no-store`: no proxy keeps it.

A change purges the tags it touches (website.page_cache.invalidate) once the editor's
transaction commits: as a job on the queue (website.tasks, run by `manage.py
run_huey`), retried later when it fails, logged, so a proxy that is down never slows or
fails a save, and a purge outlives the process that queued it. One purge carries every
tag changed since the last.
"""

import logging
import threading
import urllib.error
import urllib.request
from datetime import datetime, timedelta
from datetime import time as clock

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.cache import patch_vary_headers

logger = logging.getLogger(__name__)

PRIVATE = "private, no-store"
PURGE_TIMEOUT = 5  # seconds per request
# Seconds before each next attempt: a proxy restarting is back within the first ones,
# one down longer has its copies expire by s-maxage anyway.
PURGE_RETRY_DELAYS = (2, 10, 60, 300)
PURGE_ATTEMPTS = len(PURGE_RETRY_DELAYS) + 1


def public_headers(response, tags, now, next_publication_at):
    """Mark a public page as cacheable by shared caches, with its cache tags."""
    if "Cache-Control" not in response:  # a view that chose its own keeps it
        response["Cache-Control"] = _public_cache_control(now, next_publication_at)
    response["Surrogate-Key"] = " ".join(tags)
    # A reader with a session (staff) may see another page than one without.
    patch_vary_headers(response, ["Cookie"])


def private_headers(response, request):
    """No shared cache keeps what is not a public page; static files and media, the
    same for everyone, keep the long lifetimes their views give them."""
    if request.path.startswith((settings.STATIC_URL, settings.MEDIA_URL)):
        return
    cache_control = response.get("Cache-Control", "")
    if "private" not in cache_control or "no-store" not in cache_control:
        response["Cache-Control"] = PRIVATE


def _public_cache_control(now, next_publication_at):
    today = timezone.localdate(now)
    midnight = timezone.make_aware(datetime.combine(today + timedelta(days=1), clock.min))
    deadlines = [midnight] + ([next_publication_at] if next_publication_at else [])
    until = min(deadlines)
    seconds = max(0, min(settings.EDGE_MAX_AGE, int((until - now).total_seconds())))
    directives = ["public", "max-age=0", f"s-maxage={seconds}"]
    if seconds == settings.EDGE_MAX_AGE:
        # Not when a deadline cuts the lifetime: a scheduled guide shows on time.
        directives.append(f"stale-while-revalidate={settings.EDGE_STALE_WHILE_REVALIDATE}")
    directives.append(f"stale-if-error={settings.EDGE_STALE_IF_ERROR}")
    return ", ".join(directives)


_pending = set()  # tags changed by transactions not yet purged
_pending_lock = threading.Lock()


def purge_after_commit(tags):
    """Purge `tags` at every edge endpoint once the current transaction commits (those
    of a transaction rolled back go out with the next purge: harmless)."""
    if not settings.EDGE_PURGE_URLS:
        return
    with _pending_lock:
        _pending.update(tags)
    transaction.on_commit(purge_pending)


def purge_pending():
    """Queue one purge job of every pending tag per endpoint; the tags, or None."""
    from .tasks import purge_edge  # the jobs call this module

    with _pending_lock:
        tags = sorted(_pending)
        _pending.clear()
    if not tags:
        return None  # an earlier callback of the same transaction queued them
    for url in settings.EDGE_PURGE_URLS:
        purge_edge(url, tags)
    return tags


def purge(url, tags, attempt=1):
    """Send one purge of `tags` to the endpoint `url`; True when it took it. A failure
    is logged, never raised: the job decides whether to try again."""
    keys = " ".join(tags)
    request = urllib.request.Request(url, method="PURGE", headers={"xkey-purge": keys})
    try:
        with urllib.request.urlopen(request, timeout=PURGE_TIMEOUT) as response:
            logger.info("Purged %s at %s: %s", keys, url, response.status)
            return True
    except (urllib.error.URLError, OSError) as error:
        logger.warning(
            "Purging %s at %s failed (attempt %d of %d): %s",
            *(keys, url, attempt, PURGE_ATTEMPTS, error),
        )
        return False
