"""The job queue as it runs outside the tests: jobs wait in the embedded SQLite queue
until a real huey consumer (what `manage.py run_huey` runs) takes them; the email
rate limit holds back what goes past it, sends it a moment later."""

import datetime as dt
import time

import time_machine
from django.core import mail
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from readers import tasks
from readers.models import Delivery, Subscriber, Subscription
from tests.factories import GuideFactory


def subscribers(count):
    now = timezone.now()
    for n in range(count):
        subscriber = Subscriber.objects.create(email=f"r{n}@example.org", confirmed_at=now)
        Subscription.objects.create(subscriber=subscriber)


def test_a_worker_takes_the_jobs_from_the_embedded_queue(transactional_db, queued):
    assert type(queued.storage).__name__ == "SqliteStorage"
    subscribers(2)
    guide = GuideFactory(published_at=timezone.now())  # published: announce it, as a job
    (job,) = queued.pending()
    assert job.name == "send_due" and mail.outbox == []

    consumer = queued.create_consumer(workers=2, worker_type="thread", periodic=False)
    consumer.start()
    try:
        deadline = time.monotonic() + 30
        while Delivery.objects.filter(sent_at__isnull=False).count() < 2:
            assert time.monotonic() < deadline, "the worker sent nothing in 30 s"
            time.sleep(0.1)
    finally:
        consumer.stop(graceful=True)
    assert sorted(m.to[0] for m in mail.outbox) == ["r0@example.org", "r1@example.org"]
    assert {m.subject for m in mail.outbox} == {f"New guide: {guide.title}"}


def test_emails_past_the_rate_are_sent_a_moment_later(db, settings):
    subscribers(tasks.email_rate._limit + 2)
    GuideFactory(published_at=timezone.now())
    with time_machine.travel(timezone.now(), tick=False):  # all in one second
        tasks.send_due()
    assert len(mail.outbox) == tasks.email_rate._limit
    held = HUEY.scheduled()
    assert [job.name for job in held] == ["send_delivery"] * 2
    later = dt.datetime(2100, 1, 1)
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=2)):  # the next second
        for job in HUEY.read_schedule(later):
            HUEY.execute(job, timestamp=later)
    assert len(mail.outbox) == tasks.email_rate._limit + 2
    assert Delivery.objects.filter(sent_at__isnull=True).count() == 0
