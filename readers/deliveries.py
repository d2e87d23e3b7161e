"""What subscribers are sent, each email at most once: a new guide when it becomes
public (at once or at its scheduled time), and reminders a day and an hour before a
webinar of a conference they follow.

Finding what is due writes one Delivery row per email (ignoring rows that exist, so
running it again adds nothing) and queues each new row once (`queued_at`). The job
that sends a row claims it first, in one UPDATE; a second job for the same row finds
it claimed or sent and does nothing. A failed send frees the claim and the job is
retried later, with a growing delay.
"""

import datetime as dt
import logging
import smtplib
from html import unescape

import markdown
from django.db.models import F, Q
from django.utils import timezone
from django.utils.html import strip_tags

from guides.ical import webinar_calendar
from guides.models import Guide, Pick, Webinar

from .mail import absolute, email, subscriber_links
from .models import Delivery, DeliveryKind, Subscriber

log = logging.getLogger(__name__)

# Guides published longer ago than this are not announced (the site had no
# subscribers of theirs yet, or a subscriber confirmed after them).
ANNOUNCE_WITHIN = dt.timedelta(days=7)
# A worker that died while sending frees its claim after this.
CLAIM_EXPIRES = dt.timedelta(minutes=15)
REMINDERS = [  # kind, from how long before the start to how long before it
    (DeliveryKind.HOUR_BEFORE, dt.timedelta(0), dt.timedelta(hours=1)),
    (DeliveryKind.DAY_BEFORE, dt.timedelta(hours=1), dt.timedelta(hours=24)),
]
MAX_ATTEMPTS = 6


class SendingFailed(Exception):
    """The mail server did not take an email; says which delivery, never the address."""

    def __init__(self, delivery_id, attempt, error):
        super().__init__(f"delivery {delivery_id}, attempt {attempt}: {type(error).__name__}")
        self.attempt = attempt


def confirmed():
    return Subscriber.objects.filter(confirmed_at__isnull=False)


def following_everything():
    return Q(subscriptions__series__isnull=True, subscriptions__topic__isnull=True)


def subscribers_of_guide(guide):
    """Confirmed before the guide was published, and following it: everything, its
    conference's series, or one of its topics."""
    topics = guide.tags.values("pk")
    return (
        confirmed()
        .filter(confirmed_at__lte=guide.published_at)
        .filter(
            following_everything()
            | Q(subscriptions__series=guide.conference.series_id)
            | Q(subscriptions__topic__in=topics)
        )
        .distinct()
    )


def subscribers_of_webinar(webinar):
    return (
        confirmed()
        .filter(following_everything() | Q(subscriptions__series=webinar.conference.series_id))
        .distinct()
    )


def record_due(now=None):
    """Delivery rows for every email now due; returns the ids to queue (each once)."""
    now = now or timezone.now()
    guides = Guide.objects.public(now).filter(published_at__gte=now - ANNOUNCE_WITHIN)
    for guide in guides.select_related("conference"):
        _record(DeliveryKind.GUIDE, subscribers_of_guide(guide), guide=guide)
    for kind, after, before in REMINDERS:
        webinars = Webinar.objects.public(now).filter(
            starts_at__gt=now + after, starts_at__lte=now + before
        )
        for webinar in webinars.select_related("conference"):
            _record(kind, subscribers_of_webinar(webinar), webinar=webinar)
    unqueued = Delivery.objects.filter(queued_at__isnull=True, sent_at__isnull=True)
    return [
        pk
        for pk in unqueued.values_list("pk", flat=True)
        # Marked one by one: of two concurrent calls, one queues each row.
        if Delivery.objects.filter(pk=pk, queued_at__isnull=True).update(queued_at=now)
    ]


def _record(kind, subscribers, **about):
    ((name, thing),) = about.items()
    ids = subscribers.exclude(**{"deliveries__kind": kind, f"deliveries__{name}": thing})
    Delivery.objects.bulk_create(
        [Delivery(subscriber_id=pk, kind=kind, **about) for pk in ids.values_list("pk", flat=True)],
        ignore_conflicts=True,
    )


def send(delivery_id, now=None):
    """Send one delivery unless it is sent or being sent; True when this call sent it.
    Raises SendingFailed when the mail server did not take it (the claim is freed)."""
    now = now or timezone.now()
    claimable = Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_EXPIRES)
    claimed = (
        Delivery.objects.filter(claimable, pk=delivery_id, sent_at__isnull=True)
        .filter(attempts__lt=MAX_ATTEMPTS)
        .update(claimed_at=now, attempts=F("attempts") + 1)
    )
    if not claimed:
        return False
    delivery = Delivery.objects.select_related(
        "subscriber", "guide__conference", "webinar__conference"
    ).get(pk=delivery_id)
    if not still_wanted(delivery, now):
        delivery.delete()  # made again if it becomes due again (a guide re-published)
        return False
    try:
        message(delivery).send()
    except (smtplib.SMTPException, OSError) as error:
        Delivery.objects.filter(pk=delivery_id).update(claimed_at=None)
        raise SendingFailed(delivery_id, delivery.attempts, error) from None
    Delivery.objects.filter(pk=delivery_id).update(sent_at=timezone.now())
    return True


def still_wanted(delivery, now):
    if delivery.subscriber.confirmed_at is None:
        return False
    if delivery.guide_id:
        return Guide.objects.public(now).filter(pk=delivery.guide_id).exists() and (
            subscribers_of_guide(delivery.guide).filter(pk=delivery.subscriber_id).exists()
        )
    webinar = delivery.webinar
    return (
        webinar.starts_at is not None
        and webinar.starts_at > now
        and Webinar.objects.public(now).filter(pk=webinar.pk).exists()
        and subscribers_of_webinar(webinar).filter(pk=delivery.subscriber_id).exists()
    )


def message(delivery):
    if delivery.guide_id:
        return guide_email(delivery.subscriber, delivery.guide)
    return reminder_email(delivery.subscriber, delivery.webinar, delivery.kind)


def guide_email(subscriber, guide):
    links, headers = subscriber_links(subscriber)
    picks = Pick.objects.filter(guide=guide).select_related("paper").order_by("rank")
    context = {
        "guide": guide,
        "guide_url": absolute(guide.get_absolute_url()),
        "picks": [
            {
                "rank": pick.rank,
                "title": pick.paper.title,
                "why": first_paragraph(pick.why),
                "url": f"{absolute(guide.get_absolute_url())}#pick-{pick.rank}",
            }
            for pick in picks
        ],
        **links,
    }
    return email(
        subscriber.email, f"New guide: {guide.title}", "new_guide", context, headers=headers
    )


def reminder_email(subscriber, webinar, kind):
    links, headers = subscriber_links(subscriber)
    when = "Tomorrow" if kind == DeliveryKind.DAY_BEFORE else "In an hour"
    context = {
        "webinar": webinar,
        "when": when,
        "time_zone": subscriber.time_zone,
        "webinar_url": absolute(webinar.get_absolute_url()),
        **links,
    }
    calendar = webinar_calendar([webinar], absolute, name=webinar.title)
    return email(
        subscriber.email,
        f"{when}: {webinar.title}",
        "webinar_reminder",
        context,
        headers=headers,
        attachments=[(f"{webinar.slug}.ics", calendar.decode(), "text/calendar")],
    )


def first_paragraph(markdown_text, limit=300):
    """The first paragraph of an editor's Markdown as plain text, cut at a word."""
    paragraph = markdown_text.strip().split("\n\n")[0]
    text = " ".join(unescape(strip_tags(markdown.markdown(paragraph))).split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"
