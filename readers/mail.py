"""Emails from the site: a plain-text and an HTML part from one pair of templates
(templates/readers/email/<name>.txt and .html), links made absolute with SITE_URL.

Emails to subscribers carry RFC 2369 `List-Unsubscribe` and RFC 8058 one-click
`List-Unsubscribe-Post` headers: a mail client's "Unsubscribe" button POSTs to the
link and the address is unsubscribed, with no login and no second step.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse


def absolute(path):
    return settings.SITE_URL + path


def email(to, subject, template, context, *, headers=None, attachments=()):
    """The email `template` for `to`; `attachments` are (filename, content, mimetype)."""
    context = {"site_url": settings.SITE_URL, "subject": subject, **context}
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"readers/email/{template}.txt", context),
        to=[to],
        headers=headers or {},
    )
    message.attach_alternative(
        render_to_string(f"readers/email/{template}.html", context), "text/html"
    )
    for attachment in attachments:
        message.attach(*attachment)
    return message


def subscriber_links(subscriber):
    """The links every email to a subscriber carries, and its unsubscribe headers."""
    unsubscribe = absolute(reverse("readers:unsubscribe", args=[subscriber.key]))
    links = {
        "unsubscribe_url": unsubscribe,
        "manage_url": absolute(reverse("readers:manage", args=[subscriber.key])),
    }
    headers = {
        "List-Unsubscribe": f"<{unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    return links, headers
