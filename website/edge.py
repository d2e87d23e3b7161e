"""Public pages cached by a proxy or CDN in front of the site (the edge), and purged
when something readers see changes.

A public page says how long a shared cache may keep it (`s-maxage`, never past the
next scheduled publication or midnight, since pages list what is upcoming), may serve
it stale while fetching it again or while the site is down, and which cache tags it
carries (`Surrogate-Key`, website.cache_tags; the Varnish configuration in
deploy/varnish/ files them as xkey keys). Anything else — admin, previews, forms, the
API, any request with a session — is `private, no-store`: no proxy keeps it.

A change purges the tags it touches (website.page_cache.invalidate) once the editor's
transaction commits: in a background thread, with retries, logged, so a proxy that is
down never slows or fails a save. One purge carries every tag changed since the last.
"""

import logging
import threading
import time
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
PURGE_ATTEMPTS = 4
PURGE_TIMEOUT = 5  # seconds per request
PURGE_BACKOFF = 0.5  # seconds before the second attempt, doubled for each next one


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
    """Purge every pending tag in a background thread (that thread, or None)."""
    with _pending_lock:
        tags = sorted(_pending)
        _pending.clear()
    if not tags:
        return None  # an earlier callback of the same transaction sent them
    thread = threading.Thread(target=purge, args=(tags,), name="edge-purge", daemon=True)
    thread.start()
    return thread


def purge(tags):
    """Send one purge of `tags` to each endpoint, retrying with backoff; True when every
    endpoint took it. Failures are logged, never raised."""
    return all([_purge_endpoint(url, tags) for url in settings.EDGE_PURGE_URLS])


def _purge_endpoint(url, tags):
    keys = " ".join(tags)
    for attempt in range(1, PURGE_ATTEMPTS + 1):
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
        if attempt < PURGE_ATTEMPTS:
            time.sleep(PURGE_BACKOFF * 2 ** (attempt - 1))
    logger.error("Gave up purging %s at %s: its cached pages expire on their own", keys, url)
    return False
