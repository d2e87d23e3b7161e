"""Emails through a real SMTP server (aiosmtpd) on loopback, read back with the email
parser; a server that refuses once: the job retries later, nothing is lost and nothing
is sent twice."""

import datetime as dt
import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from readers import tasks
from readers.models import Delivery, Subscriber, Subscription
from tests.factories import GuideFactory

pytestmark = pytest.mark.django_db


class Mailbox:
    """An SMTP handler that keeps what it accepts; refuses the first `refuse` emails."""

    def __init__(self, refuse=0):
        self.refuse = refuse
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd calls it by this name
        if self.refuse:
            self.refuse -= 1
            return "451 4.3.0 Try again later"
        self.messages.append(
            (
                envelope.rcpt_tos,
                email.message_from_bytes(envelope.content, policy=email.policy.default),
            )
        )
        return "250 OK"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp(settings):
    def start(refuse=0):
        mailbox = Mailbox(refuse)
        controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
        controller.start()
        started.append(controller)
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = (
            "127.0.0.1",
            controller.port,
        )
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        return mailbox

    started = []
    yield start
    for controller in started:
        controller.stop()


def run_retries():
    """Run every job the queue holds for later (the retries), as the worker would."""
    far_future = dt.datetime(2100, 1, 1)  # naive UTC, as huey counts time
    ran = 0
    while due := HUEY.read_schedule(far_future):
        for job in due:
            HUEY.execute(job, timestamp=far_future)
            ran += 1
    return ran


@pytest.fixture
def subscriber(db):
    subscriber = Subscriber.objects.create(email="ada@example.org", confirmed_at=timezone.now())
    Subscription.objects.create(subscriber=subscriber)
    return subscriber


def test_a_new_guide_email_as_a_mail_server_receives_it(smtp, subscriber):
    mailbox = smtp()
    guide = GuideFactory(title="Fresh guide", published_at=timezone.now())
    tasks.send_due()
    ((recipients, message),) = mailbox.messages
    assert recipients == ["ada@example.org"]
    assert message["Subject"] == "New guide: Fresh guide"
    assert message["List-Unsubscribe"].strip() == (
        f"<http://testserver/subscriptions/{subscriber.key}/unsubscribe/>"
    )
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert f"http://testserver/guides/{guide.slug}/" in text and guide.slug in html


def test_a_server_that_refuses_once_gets_the_email_once_on_retry(smtp, subscriber, caplog):
    mailbox = smtp(refuse=1)
    GuideFactory(published_at=timezone.now())
    tasks.send_due()
    assert mailbox.messages == []
    delivery = Delivery.objects.get()
    assert (delivery.sent_at, delivery.claimed_at, delivery.attempts) == (None, None, 1)
    (retry,) = HUEY.scheduled()  # later, with a delay
    assert retry.name == "send_delivery"
    waits = (retry.eta - dt.datetime.now(dt.UTC).replace(tzinfo=None)).total_seconds()
    assert 20 < waits <= 30  # 30 s after the failure
    tasks.send_due()  # the next minute's run does not send it again meanwhile
    assert mailbox.messages == []

    assert run_retries() == 1
    assert len(mailbox.messages) == 1
    delivery.refresh_from_db()
    assert delivery.sent_at is not None and delivery.attempts == 2
    assert "Will retry: delivery" in caplog.text
    assert "ada@example.org" not in caplog.text  # addresses stay out of the logs
    tasks.send_due()
    assert run_retries() == 0 and len(mailbox.messages) == 1


def test_a_server_that_is_down_loses_nothing(smtp, subscriber, settings):
    smtp()
    settings.EMAIL_PORT = 1  # nothing listens there
    GuideFactory(published_at=timezone.now())
    tasks.send_due()
    assert Delivery.objects.get().sent_at is None
    mailbox = smtp()  # back up, on another port
    assert run_retries() == 1
    assert len(mailbox.messages) == 1 and Delivery.objects.get().sent_at is not None
