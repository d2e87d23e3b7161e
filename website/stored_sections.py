"""Sections of public pages rendered once and stored: a conference's drawn map, the
latest picks of a conference or a topic; and the number of papers, authors and
topics. Each is kept with the site revision it was rendered at and served while none
of the cache tags it is rendered from was stamped after it (website.page_cache), the
same check as a cached page; so a change shows at once, and a scheduled guide going
public (which stamps SITE) on time.

A stored section loads nothing when served, so it tags the page with nothing: only
pages that list every kind (website.cache_tags) use them. A section that names its
objects (`stored_showing`) keeps the tags of what it loaded instead: current while
none of them changed, it tags the page it is served on with them.
"""

import hashlib

from django.utils.safestring import mark_safe

from . import cache_tags
from .models import SiteRevision, StoredSection
from .page_cache import tag_stamps

# Any change a page can show: what lists of picks and papers are rendered from.
ANY_CHANGE = sorted({cache_tags.SITE, *cache_tags.EVERY_LIST})
# Conferences listed with their numbers of public guides (a scheduled guide going
# public stamps SITE).
CONFERENCES_WITH_GUIDES = [cache_tags.SITE, "series", "conference", "guide"]


def stored_section(key, render, rendered_from=ANY_CHANGE):
    """The HTML stored under `key` while current (two queries), else what `render()`
    returns now, stored."""
    # The stamps first, stored or not: the next view then finds them read (a process
    # keeps those of the current revision), whatever it was rendered from.
    stamps = tag_stamps(rendered_from)
    stored = StoredSection.objects.filter(key=key).values_list("html", "revision").first()
    if stored and all(revision <= stored[1] for revision, _ in stamps.values()):
        return mark_safe(stored[0])
    revision = _revision()
    with cache_tags.not_collecting():  # the page lists every kind anyway
        html = str(render())
    return _store(key, html, revision)


def stored_showing(key, render):
    """The HTML stored under `key` while none of the objects it shows changed (two
    queries), else what `render()` returns now, stored with the tags of what it loaded;
    the page is tagged with them either way."""
    stored = StoredSection.objects.filter(key=key).values_list("html", "revision", "tags").first()
    if stored:
        html, stored_at, tags = stored
        if all(revision <= stored_at for revision, _ in tag_stamps(tags).values()):
            cache_tags.show(tags)
            return mark_safe(html)
    revision = _revision()
    with cache_tags.collecting() as rendered:
        html = str(render())
    tags = cache_tags.compact({cache_tags.SITE, *rendered.shown})
    cache_tags.show(tags)
    return _store(key, html, revision, tags)


def _revision():
    """The site revision, read before what is rendered: a change committed meanwhile is
    stamped after it, so the next view renders again."""
    return SiteRevision.objects.filter(pk=1).values_list("number", flat=True).first() or 0


def _store(key, html, revision, tags=()):
    StoredSection.objects.bulk_create(
        [StoredSection(key=key, html=html, revision=revision, tags=list(tags))],
        update_conflicts=True,
        unique_fields=["key"],
        update_fields=["html", "revision", "tags"],
    )
    return mark_safe(html)


def address_key(kind, request):
    """The key of a section stored per address: its absolute links name the host and
    scheme it was asked for."""
    address = f"{request.scheme}://{request.get_host()}{request.path}"
    return f"{kind}-" + hashlib.sha256(address.encode()).hexdigest()[:40]


def stored_count(model):
    """How many `model` rows there are, counted again only after a change of their kind
    (imports stamp SITE): a COUNT(*) of 100,000 authors takes PostgreSQL 7 ms, the two
    queries of a stored section about 1."""
    kind = cache_tags.KINDS[model]
    return int(stored_section(f"count-{kind}", model.objects.count, [cache_tags.SITE, kind]))
