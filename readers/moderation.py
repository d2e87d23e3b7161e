"""Moderating comments: what goes live, the stored counts, and telling editors.

A reader's first comment is held; once an editor approved one from an address, the
next ones from it go live at once. Approving, rejecting or deleting keeps
`Guide.comment_count` (the approved comments, shown on guide lists) exact; the page
cache forgets the guide's page through the usual save and delete signals.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from guides.models import Guide

from .mail import absolute, email
from .models import Comment, CommentStatus

# At most one email to editors in this time; what waits meanwhile goes in the next.
TELL_MODERATORS_EVERY = dt.timedelta(minutes=10)


def first_status(address):
    """The status a new comment from `address` starts with."""
    trusted = Comment.objects.shown().filter(email=address.lower(), by_staff__isnull=True)
    return CommentStatus.APPROVED if trusted.exists() else CommentStatus.HELD


def moderate(comments, status, now=None):
    """Give `comments` (a queryset) `status`; returns how many changed."""
    now = now or timezone.now()
    with transaction.atomic():
        # Without the joins the admin adds: PostgreSQL locks no outer-joined rows.
        changing = list(comments.exclude(status=status).select_related(None).select_for_update())
        for comment in changing:
            comment.status, comment.moderated_at = status, now
            comment.save(update_fields=["status", "moderated_at"])  # recounted by receivers
    return len(changing)


def recount(guide_id):
    count = Comment.objects.shown().filter(guide=guide_id).count()
    Guide.objects.filter(pk=guide_id).update(comment_count=count)


def moderators():
    """Active staff who may moderate comments and have an address."""
    permission = Q(user_permissions__codename="change_comment") | Q(
        groups__permissions__codename="change_comment"
    )
    users = get_user_model().objects.filter(is_active=True, is_staff=True).exclude(email="")
    return users.filter(permission | Q(is_superuser=True)).distinct()


def tell_moderators(now=None):
    """Email editors about the comments held since they were last told, at most once
    every TELL_MODERATORS_EVERY; returns how many comments it told of."""
    now = now or timezone.now()
    recently = Comment.objects.filter(moderators_told_at__gt=now - TELL_MODERATORS_EVERY)
    untold = Comment.objects.waiting().filter(moderators_told_at__isnull=True)
    if recently.exists() or not untold.exists():
        return 0
    waiting = list(Comment.objects.waiting().select_related("guide").order_by("created_at"))
    addresses = list(moderators().values_list("email", flat=True))
    if addresses:
        queue = absolute(reverse("admin:readers_comment_changelist") + "?status__exact=held")
        context = {"comments": waiting, "queue_url": queue}
        subject = f"{len(waiting)} comment{'s' if len(waiting) != 1 else ''} waiting for moderation"
        for address in addresses:
            email(address, subject, "comments_waiting", context).send()
    return untold.update(moderators_told_at=now)
