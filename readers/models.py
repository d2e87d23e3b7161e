"""Readers who talk back and follow along: comments on guides, subscriptions by email,
and the record of every email sent to a subscriber (so none is sent twice).

Readers' addresses are personal data: shown to no other reader, kept out of the API
and the logs, exported or deleted on request (readers.personal_data).
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from guides.models import Guide, Webinar, validate_time_zone
from papers.models import Series, Tag


class CommentStatus(models.TextChoices):
    HELD = "held", "Held for moderation"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    SPAM = "spam", "Spam"


class CommentQuerySet(models.QuerySet):
    def shown(self):
        return self.filter(status=CommentStatus.APPROVED)

    def waiting(self):
        return self.filter(status=CommentStatus.HELD)

    def threads(self):
        """The top-level comments, each with its replies in `thread_replies`: one query."""
        comments = list(self.order_by("created_at", "pk"))
        replies = {}
        for comment in comments:
            if comment.parent_id:
                replies.setdefault(comment.parent_id, []).append(comment)
        top = [comment for comment in comments if comment.parent_id is None]
        for comment in top:
            comment.thread_replies = replies.get(comment.pk, [])
        return top


class Comment(models.Model):
    """A reader's comment on a guide, or a reply to one (one level deep); an editor's
    reply is marked by `by_staff`."""

    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name="in reply to",
    )
    name = models.CharField(max_length=80)
    email = models.EmailField(help_text="Never shown to readers.")
    body = models.TextField("comment", max_length=5000)
    body_html = models.TextField(editable=False)
    status = models.CharField(
        max_length=10, choices=CommentStatus.choices, default=CommentStatus.HELD
    )
    by_staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name="editor",
    )
    # A keyed hash of the sender's IP address: enough to rate-limit, not the address.
    sender_hash = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    moderated_at = models.DateTimeField(null=True, blank=True, editable=False)
    # When the editors were told it waits (readers.moderation).
    moderators_told_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["guide", "status", "created_at"]),
            models.Index(fields=["email", "status"]),
            models.Index(fields=["sender_hash", "created_at"]),
            models.Index(fields=["status", "created_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")), name="comment_not_its_own_parent"
            ),
        ]

    def __str__(self):
        return f"{self.name} on {self.guide_id}: {self.body[:40]}"

    def save(self, *args, **kwargs):
        from .comment_markdown import render_comment  # markdown is heavy to import

        self.email = self.email.lower()
        self.body_html = render_comment(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return f"{self.guide.get_absolute_url()}#comment-{self.pk}"


def new_key():
    return secrets.token_urlsafe(24)


class Subscriber(models.Model):
    """An email address that asked for news. Nothing is sent to it before it confirms
    (double opt-in), except the confirmation itself. Its key is in every link emailed
    to it: confirm, manage, unsubscribe; nobody needs to log in."""

    email = models.EmailField(unique=True)
    time_zone = models.CharField(
        max_length=64,
        default="UTC",
        validators=[validate_time_zone],
        help_text="Webinar times in emails are given in this zone.",
    )
    key = models.CharField(max_length=40, unique=True, default=new_key, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    confirmed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # When a confirmation was last sent: one per ten minutes at most.
    asked_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["email"]

    def __str__(self):
        return self.email

    def save(self, *args, **kwargs):
        self.email = self.email.lower()
        super().save(*args, **kwargs)


class Subscription(models.Model):
    """What a subscriber follows: every new guide (no series, no topic), the guides to
    one conference series, or the guides on one topic."""

    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="subscriptions"
    )
    series = models.ForeignKey(Series, on_delete=models.CASCADE, null=True, blank=True)
    topic = models.ForeignKey(Tag, on_delete=models.CASCADE, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(series__isnull=True) | Q(topic__isnull=True),
                name="subscription_one_thing",
            ),
            models.UniqueConstraint(
                fields=["subscriber"],
                condition=Q(series__isnull=True, topic__isnull=True),
                name="subscription_everything_once",
            ),
            models.UniqueConstraint(
                fields=["subscriber", "series"],
                condition=Q(series__isnull=False),
                name="subscription_series_once",
            ),
            models.UniqueConstraint(
                fields=["subscriber", "topic"],
                condition=Q(topic__isnull=False),
                name="subscription_topic_once",
            ),
        ]

    def __str__(self):
        if self.series_id:
            return f"Guides to {self.series}"
        if self.topic_id:
            return f"Guides on {self.topic}"
        return "Every new guide"


class DeliveryKind(models.TextChoices):
    GUIDE = "guide", "New guide"
    DAY_BEFORE = "day", "Webinar tomorrow"
    HOUR_BEFORE = "hour", "Webinar in an hour"


class Delivery(models.Model):
    """One email to one subscriber about one guide or webinar. Its row exists before
    the email is sent and is claimed by the job that sends it, so a retried or
    repeated job never sends it twice."""

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    kind = models.CharField(max_length=5, choices=DeliveryKind.choices)
    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, null=True, blank=True)
    webinar = models.ForeignKey(Webinar, on_delete=models.CASCADE, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    queued_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name_plural = "deliveries"
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=DeliveryKind.GUIDE, guide__isnull=False, webinar__isnull=True)
                | (~Q(kind=DeliveryKind.GUIDE) & Q(guide__isnull=True, webinar__isnull=False)),
                name="delivery_about_one_thing",
            ),
            models.UniqueConstraint(
                fields=["subscriber", "guide"],
                condition=Q(guide__isnull=False),
                name="delivery_guide_once",
            ),
            models.UniqueConstraint(
                fields=["subscriber", "webinar", "kind"],
                condition=Q(webinar__isnull=False),
                name="delivery_reminder_once",
            ),
        ]
        indexes = [models.Index(fields=["sent_at", "queued_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} to subscriber {self.subscriber_id}"
