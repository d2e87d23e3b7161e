"""Subscribing with double opt-in: asking sends a confirmation link and stores only the
address; what the reader asked to follow travels in the signed link, and becomes a
Subscription when the link is opened. Nothing else is ever sent to an address that has
not confirmed, and addresses that never confirm are forgotten after a week.
"""

import datetime as dt

from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from papers.models import Series, Tag

from .mail import absolute, email
from .models import Subscriber, Subscription

CONFIRM_SALT = "readers.confirm-subscription"
CONFIRM_MAX_AGE = dt.timedelta(days=7)
# One confirmation email per address in this time, however often it is asked for.
ASK_AGAIN_AFTER = dt.timedelta(minutes=10)


def ask(address, follow, time_zone, now=None):
    """Record that `address` asked to follow `follow` ({"series": id}, {"topic": id}
    or {} for every guide); returns the subscriber if a confirmation should be sent."""
    now = now or timezone.now()
    with transaction.atomic():
        subscriber, created = Subscriber.objects.select_for_update().get_or_create(
            email=address.lower(), defaults={"time_zone": time_zone, "asked_at": now}
        )
        if not created:
            if subscriber.asked_at and now - subscriber.asked_at < ASK_AGAIN_AFTER:
                return None
            Subscriber.objects.filter(pk=subscriber.pk).update(asked_at=now)
    return subscriber


def confirmation_token(subscriber, follow, time_zone):
    return signing.dumps(
        {"key": subscriber.key, "follow": follow, "tz": time_zone}, salt=CONFIRM_SALT
    )


def send_confirmation(subscriber_id, follow, time_zone):
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None:
        return
    token = confirmation_token(subscriber, follow, time_zone)
    context = {
        "following": describe(follow),
        "confirm_url": absolute(reverse("readers:confirm", args=[token])),
        "days": CONFIRM_MAX_AGE.days,
    }
    email(subscriber.email, "Confirm your subscription", "confirm", context).send()


def confirm(token, now=None):
    """The subscriber and subscription a confirmation link makes; None if it is not
    valid (forged, expired, or its address unsubscribed since)."""
    now = now or timezone.now()
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE.total_seconds())
    except signing.BadSignature:
        return None
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().filter(key=data["key"]).first()
        if subscriber is None:
            return None
        if subscriber.confirmed_at is None:
            subscriber.confirmed_at = now
            subscriber.time_zone = data["tz"]
            subscriber.save(update_fields=["confirmed_at", "time_zone"])
        follow = existing(data["follow"])
        if follow is None:
            return None
        subscription, _ = Subscription.objects.get_or_create(subscriber=subscriber, **follow)
    return subscription


def existing(follow):
    """`follow` with its series or topic, or None if that no longer exists."""
    if "series" in follow:
        series = Series.objects.filter(pk=follow["series"]).first()
        return {"series": series} if series else None
    if "topic" in follow:
        topic = Tag.objects.filter(pk=follow["topic"]).first()
        return {"topic": topic} if topic else None
    return {}


def describe(follow):
    found = existing(follow)
    if found is None:
        return "nothing that still exists"
    return str(Subscription(**found))


def forget_unconfirmed(now=None):
    now = now or timezone.now()
    stale = Subscriber.objects.filter(
        confirmed_at__isnull=True, created_at__lt=now - CONFIRM_MAX_AGE
    )
    return stale.delete()[0]
