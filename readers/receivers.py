"""What readers' comments change elsewhere: the guide's stored count, and the editors'
inbox when one is held. A guide published now is announced to its subscribers at
once, not at the next minute's run."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from guides.models import Guide

from .models import Comment, CommentStatus
from .moderation import recount


def _comment_saved(sender, instance, created=False, **kwargs):
    recount(instance.guide_id)
    if created and instance.status == CommentStatus.HELD:
        from .tasks import tell_moderators  # the job queue is configured late

        transaction.on_commit(tell_moderators)


def _comment_deleted(sender, instance, **kwargs):
    recount(instance.guide_id)


def _guide_saved(sender, instance, raw=False, **kwargs):
    if not raw and instance.is_public():  # raw: loaddata, which announces nothing
        from .tasks import send_due

        transaction.on_commit(send_due)


def connect():
    post_save.connect(_comment_saved, sender=Comment, dispatch_uid="readers-comment-saved")
    post_delete.connect(_comment_deleted, sender=Comment, dispatch_uid="readers-comment-deleted")
    post_save.connect(_guide_saved, sender=Guide, dispatch_uid="readers-guide-saved")
