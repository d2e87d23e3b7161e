"""The editorial workflow: who may edit what, and what publishing does to the dates.

draft → in review → published (now, or scheduled for a future time), and back to
draft to unpublish. A scheduled guide needs no worker: `Guide.objects.public()`
compares its time with the clock on every request. Once published, a guide is changed
through a draft of changes (guides.drafts), never in place.
"""

from django.db.models import F
from django.utils import timezone

from .models import Figure, Guide, Pick, Reference, Status
from .roles import is_editor
from .signals import guides_bulk_changed

# Ranks and reference numbers are moved this far up while a reorder is saved, so that
# swapping two numbers never collides with the one-number-per-guide constraint.
RENUMBER_OFFSET = 10_000


def can_edit(user, guide):
    """Editors edit every guide but a published one (changed through a draft);
    contributors only the drafts they created."""
    return not guide.is_live and can_manage(user, guide)


def can_manage(user, guide):
    """Editors manage (delete, start a draft of changes to) every guide; contributors
    only the drafts they created."""
    if is_editor(user):
        return True
    return guide.status == Status.DRAFT and guide.created_by_id == user.pk


def apply_status_change(guide, previous_status, now=None):
    """Set the dates that follow from a status change (before saving `guide`).

    Publishing without a time publishes now; unpublishing clears the dates, so that
    publishing again starts afresh.
    """
    now = now or timezone.now()
    if guide.status == Status.PUBLISHED:
        if previous_status != Status.PUBLISHED:
            guide.published_at = guide.published_at or now
            guide.updated_at = None
    else:
        guide.published_at = None
        guide.updated_at = None


def unpublish(ids):
    """Make the guides of `ids` drafts again, dates cleared; how many were changed."""
    count = Guide.objects.filter(pk__in=ids).update(
        status=Status.DRAFT, published_at=None, updated_at=None
    )
    guides_bulk_changed.send(sender=Guide, ids=list(ids))  # update() sends none
    return count


def hold_back(guide, status):
    """Undo the publication of `guide` saved just now, back to `status` (a draft or in
    review): an editor must first confirm its problems (guides.prepublish)."""
    guide.status, guide.published_at, guide.updated_at = status, None, None
    type(guide).objects.filter(pk=guide.pk).update(
        status=status, published_at=None, updated_at=None
    )
    guides_bulk_changed.send(sender=type(guide), ids=[guide.pk])  # update() sends none


NUMBER_FIELDS = {Pick: "rank", Reference: "number", Figure: "number"}


def move_numbers_aside(queryset):
    """Lift the ranks (picks) or numbers (references, figures) of `queryset` out of the way."""
    field = NUMBER_FIELDS[queryset.model]
    queryset.filter(**{f"{field}__lt": RENUMBER_OFFSET}).update(
        **{field: F(field) + RENUMBER_OFFSET}
    )


def reorder_picks(changes):
    """Give picks new numbers and sections, {pick: (rank, section id)}, without colliding
    with the numbers they swap; each is saved, so what shows it follows."""
    move_numbers_aside(Pick.objects.filter(pk__in=[pick.pk for pick in changes]))
    for pick, (rank, section_id) in changes.items():
        pick.rank, pick.section_id = rank, section_id
        pick.save(update_fields=["rank", "section"])


def move_all_numbers_aside(guide):
    for model in NUMBER_FIELDS:
        move_numbers_aside(model.objects.filter(guide=guide))
