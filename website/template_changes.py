"""Stored renderings made from templates that a deploy changed are emptied when it
migrates.

Page parts stored as HTML (guide articles and cards, pick cards and summaries, paper
cards, stored sections) were rendered from the templates of the code that stored them.
`migrate`, which every deploy and `bin/start` run, compares a fingerprint of the site's
templates with the one they were rendered from and empties them all when it differs:
no old markup outlives a deploy, and nobody has to remember `clear_stored_html`.
"""

import hashlib
from pathlib import Path

from django.apps import apps as global_apps
from django.conf import settings
from django.db import transaction

from guides.models import Guide, Pick
from papers.models import Paper

from . import cache_tags, pick_cards
from .models import SiteRevision, StoredSection
from .page_cache import invalidate
from .stored_html import forget_articles, forget_paper_cards


def clear_stored_html():
    """Empty every stored rendering; pages render and store them again."""
    with transaction.atomic():
        pick_cards.clear()  # the cards and the articles of every guide with picks
        forget_articles(Guide.objects.all())
        forget_paper_cards(Paper.objects.all())
        Pick.objects.exclude(summary_html="").update(summary_html="")
        StoredSection.objects.all().delete()
        invalidate({cache_tags.SITE})  # the pages showing summaries and stored sections


def templates_fingerprint():
    """A hash of every file in the site's template folders (TEMPLATES' DIRS), names
    and contents."""
    digest = hashlib.sha256()
    for folder in (Path(d) for engine in settings.TEMPLATES for d in engine.get("DIRS", [])):
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            digest.update(str(path.relative_to(folder)).encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def clear_after_template_changes(sender, apps=global_apps, **kwargs):
    """post_migrate: empty the stored renderings if the templates changed since they
    were made (the first migrate of a database stores the fingerprint). `apps`: the
    models as migrated (a flush sends none: the tables are the current ones)."""
    try:
        migrated = apps.get_model("website", "SiteRevision")
    except LookupError:  # the reader site's tables not made yet, or migrated away
        return
    if not any(field.name == "templates_fingerprint" for field in migrated._meta.fields):
        return
    fingerprint = templates_fingerprint()
    site, _ = SiteRevision.objects.get_or_create(pk=1)
    if site.templates_fingerprint != fingerprint:
        clear_stored_html()
        SiteRevision.objects.filter(pk=1).update(templates_fingerprint=fingerprint)
