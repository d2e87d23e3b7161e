"""Readers' personal data, by address: everything the site keeps of it, exported as
JSON or deleted (a subscriber's row, subscriptions and deliveries; comments). From
`manage.py personal_data` and the admin."""

from django.db import transaction

from .models import Comment, Subscriber


def export(address):
    address = address.lower()
    subscriber = Subscriber.objects.filter(email=address).first()
    comments = Comment.objects.filter(email=address, by_staff__isnull=True).select_related("guide")
    return {
        "email": address,
        "subscriber": subscriber
        and {
            "created_at": subscriber.created_at.isoformat(),
            "confirmed_at": subscriber.confirmed_at and subscriber.confirmed_at.isoformat(),
            "time_zone": subscriber.time_zone,
            "subscriptions": [
                str(s) for s in subscriber.subscriptions.select_related("series", "topic")
            ],
            "emails_sent": [
                {"kind": d.kind, "sent_at": d.sent_at.isoformat()}
                for d in subscriber.deliveries.filter(sent_at__isnull=False)
            ],
        },
        "comments": [
            {
                "guide": comment.guide.title,
                "name": comment.name,
                "body": comment.body,
                "status": comment.status,
                "created_at": comment.created_at.isoformat(),
            }
            for comment in comments
        ],
    }


def delete(address):
    """Delete everything kept of `address`; returns (subscribers, comments) deleted."""
    address = address.lower()
    with transaction.atomic():
        subscribers = (
            Subscriber.objects.filter(email=address).delete()[1].get("readers.Subscriber", 0)
        )
        comments = list(Comment.objects.filter(email=address, by_staff__isnull=True))
        for comment in comments:  # one by one: counts and cached pages follow
            comment.delete()
    return subscribers, len(comments)
