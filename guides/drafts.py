"""Unpublished changes to a published guide.

A published guide is not edited in place: its changes go to a draft, a hidden copy
of the guide with its own sections, picks, references and figures (`Guide.draft_of`),
which editors change with the same pages as any guide, preview and compare with the
live version. Readers see the live guide until the draft is published into it, in one
transaction: the live row keeps its id, address and publication date, its parts are
replaced by the draft's. A draft is never public (`models.public_guide`).

A draft saved as "Published" with a time is applied at that time: by the next
request that reads the site revision (website.page_cache), or by
`manage.py publish_due_drafts` from cron, whichever comes first.
"""

import difflib
from dataclasses import dataclass

import reversion
from django.db import transaction
from django.utils import timezone
from reversion.models import Version

from images.models import Image
from papers.models import Paper
from papers.slugs import unique_slug

from .guide_import import document_from_guide
from .guide_markdown import write
from .models import EmbeddedImage, Figure, Guide, Pick, Reference, Section, Status
from .signals import guides_bulk_changed
from .workflow import move_all_numbers_aside

RelatedPaper = Pick.related_papers.through

# What a draft carries of its guide (besides bylines, topics and parts). The slug,
# status and dates stay the live guide's own.
CONTENT_FIELDS = ["conference", "title", "standfirst", "intro", "outro", "source_url"]
# Deleted in this order (children first), moved in the reverse.
PART_MODELS = [EmbeddedImage, Figure, Reference, Pick, Section]


def start_draft(live, user, content=None):
    """The draft of changes to `live`: the existing one, or a new copy of it (or of
    `content`, a `GuideContent` read elsewhere: an old revision)."""
    with transaction.atomic():
        live = Guide.objects.select_for_update().get(pk=live.pk)
        existing = Guide.objects.filter(draft_of=live).first()
        if existing is not None:
            return existing
        content = content or read_content(live)
        draft = Guide(draft_of=live, created_by=user, **content.fields)
        draft.slug = unique_slug(draft, f"{live.slug} draft {live.pk}")  # internal
        draft.save()
        draft.bylines.set(content.bylines)
        draft.tags.set(list(live.tags.all()))
        write_parts(content, draft)
    return draft


@dataclass
class GuideContent:
    """What a draft is made of, read into memory: the guide's own content fields, its
    bylines, and its parts as unsaved rows (copied by `write_parts`)."""

    fields: dict
    bylines: list
    sections: list
    picks: list
    related: list  # (pick id, paper id)
    references: list
    figures: list
    images: list


def read_content(guide):
    return GuideContent(
        fields={name: getattr(guide, name) for name in CONTENT_FIELDS},
        bylines=list(guide.bylines.all()),
        sections=list(Section.objects.filter(guide=guide)),
        picks=list(Pick.objects.filter(guide=guide)),
        related=list(RelatedPaper.objects.filter(pick__guide=guide).values_list("pick", "paper")),
        references=list(Reference.objects.filter(guide=guide)),
        figures=list(Figure.objects.filter(guide=guide)),
        images=list(EmbeddedImage.objects.filter(guide=guide)),
    )


def write_parts(content, target):
    """Copy the parts of `content` into guide `target`, in a few bulk statements."""
    sections = _copy(content.sections, target)
    picks = _copy(content.picks, target, section_id=sections, card_html=lambda _: "")
    RelatedPaper.objects.bulk_create(
        RelatedPaper(pick_id=picks[pick], paper_id=paper) for pick, paper in content.related
    )
    _copy(content.references, target)
    _copy(content.figures, target, pick_id=picks)
    _copy(content.images, target, section_id=sections, pick_id=picks)


def _copy(rows, target, **remap):
    """Save copies of `rows` (instances of one model) in guide `target`; `remap` maps a
    field to a dict of old → new ids, or a function of the old value. Returns
    {old id: new id}."""
    if not rows:
        return {}
    old_ids = [row.pk for row in rows]
    for row in rows:
        row.pk = None
        row._state.adding = True
        row.guide_id = target.pk
        for field, new in remap.items():
            value = getattr(row, field)
            setattr(row, field, new(value) if callable(new) else new.get(value, value))
    created = type(rows[0]).objects.bulk_create(rows)
    return dict(zip(old_ids, (row.pk for row in created), strict=True))


class DraftExists(Exception):
    """A guide has one draft of changes at a time."""


class RevisionGone(Exception):
    """A revision names papers or images deleted since: it cannot be restored."""


def check_still_there(content):
    """Raise RevisionGone unless every paper and image `content` names still exists."""
    papers = {pick.paper_id for pick in content.picks} | {p for _, p in content.related}
    papers |= {ref.paper_id for ref in content.references}
    papers |= {figure.credit_paper_id for figure in content.figures}
    images = {figure.image_id for figure in content.figures}
    images |= {use.image_id for use in content.images}
    papers.discard(None)
    images.discard(None)
    if Paper.objects.filter(pk__in=papers).count() != len(papers) or (
        Image.objects.filter(pk__in=images).count() != len(images)
    ):
        raise RevisionGone


def draft_from_revision(live, revision, user):
    """A new draft of changes to `live` holding the guide as it was in `revision` (of
    django-reversion). The revision is restored on the live guide inside a savepoint,
    read, and rolled back: the live guide itself never changes. Raises DraftExists
    when the guide already has a draft (publish or discard it first), RevisionGone when
    the revision names papers or images deleted since."""
    with transaction.atomic():
        live = Guide.objects.select_for_update().get(pk=live.pk)
        if Guide.objects.filter(draft_of=live).exists():
            raise DraftExists
        savepoint = transaction.savepoint()
        move_all_numbers_aside(live)  # the restored numbers never collide
        revision.revert(delete=True)
        content = read_content(Guide.objects.get(pk=live.pk))
        transaction.savepoint_rollback(savepoint)
        check_still_there(content)
        return start_draft(live, user, content)


def publish_draft(draft, user=None, now=None):
    """Put the draft's content into its live guide, at once, and drop the draft.

    The live guide keeps its id, slug, status and publication date; readers see it as
    updated now. Recorded as a revision of the live guide.
    """
    now = now or timezone.now()
    with transaction.atomic(), reversion.create_revision():
        live = Guide.objects.select_for_update().get(pk=draft.draft_of_id)
        draft = Guide.objects.get(pk=draft.pk)
        for name in CONTENT_FIELDS:
            setattr(live, name, getattr(draft, name))
        if live.is_public(now):
            live.updated_at = now
        live.version += 1
        for model in PART_MODELS:
            model.objects.filter(guide=live).delete()
        for model in reversed(PART_MODELS):
            stale = {"card_html": ""} if model is Pick else {}  # rendered for the draft
            model.objects.filter(guide=draft).update(guide=live, **stale)
        live.save()
        live.bylines.set(draft.bylines.all())
        live.tags.set(list(draft.tags.all()))
        comment = f"Published the draft of changes{written_by(draft)}."
        draft.delete()
        guides_bulk_changed.send(sender=Guide, ids=[live.pk])  # update() sends none
        reversion.set_user(user)
        reversion.set_comment(comment)
        reversion.add_to_revision(live)
    return live


def written_by(draft):
    """ " (written by a, b)": who saved the draft, from its own revisions; or ""."""
    versions = Version.objects.get_for_object(draft).select_related("revision__user")
    names = sorted({str(v.revision.user) for v in versions if v.revision.user_id})
    return f" (written by {', '.join(names)})" if names else ""


def discard_draft(draft):
    with transaction.atomic():
        draft.delete()


def publish_due_drafts(now=None):
    """Publish the drafts whose scheduled time has come; returns how many."""
    now = now or timezone.now()
    due = Guide.objects.filter(
        draft_of__isnull=False, status=Status.PUBLISHED, published_at__lte=now
    )
    published = 0
    for draft in due:
        try:
            publish_draft(draft, user=draft.created_by, now=now)
        except Guide.DoesNotExist:  # published by a request at the same moment
            continue
        published += 1
    return published


def changes(draft):
    """The draft's changes, as a unified diff of the two guides in the Markdown format
    (guides.guide_markdown): [(kind, line)], kind being "added", "removed", "hunk" or
    "same"; empty when the draft changes nothing."""
    live = document_from_guide(draft.draft_of)
    changed = document_from_guide(draft)
    changed.slug = live.slug  # the draft's own is internal
    live, changed = write(live).splitlines(), write(changed).splitlines()
    lines = []
    for line in difflib.unified_diff(live, changed, "live", "draft", n=2, lineterm=""):
        if line.startswith(("---", "+++")):
            continue
        kind = {"+": "added", "-": "removed", "@": "hunk"}.get(line[:1], "same")
        lines.append((kind, line))
    return lines
