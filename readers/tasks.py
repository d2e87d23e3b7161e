"""Background jobs (huey; see config.settings HUEY): sending emails with retries,
throttled, and the periodic work — announcing guides that became public, webinar
reminders, scheduled publication, telling editors about held comments, forgetting
addresses that never confirmed.

`manage.py run_huey` runs them; with DJANGO_JOBS_IMMEDIATE each runs at once where
it is queued. Job arguments are ids, never addresses: the queue is no place for
personal data, and huey logs its jobs.
"""

import logging

from django.conf import settings
from django.db import connections
from huey import RetryTask, crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task, lock_task

from guides.drafts import publish_due_drafts

from . import comment_privacy, deliveries, moderation, subscribing

log = logging.getLogger(__name__)

# Across every worker: mail servers throttle senders that go faster.
email_rate = HUEY.rate_limit("emails", settings.EMAILS_PER_SECOND, 1)


@HUEY.on_shutdown()
def close_database_connections():
    """A worker thread that stops closes its database connections (it keeps them
    between jobs, as requests do, CONN_MAX_AGE)."""
    connections.close_all()


def retry_delay(attempt):
    """Seconds before attempt `attempt` + 1: 30 s, 1 min, 2 min… up to an hour."""
    return min(30 * 2 ** (attempt - 1), 3600)


@db_task()
def send_delivery(delivery_id):
    with email_rate:
        try:
            deliveries.send(delivery_id)
        except deliveries.SendingFailed as failure:
            if failure.attempt >= deliveries.MAX_ATTEMPTS:
                log.error("Gave up: %s", failure)
                return
            log.warning("Will retry: %s", failure)
            raise RetryTask(str(failure), delay=retry_delay(failure.attempt)) from None


@db_periodic_task(crontab(minute="*"))
@lock_task("send-due")
def send_due():
    """Announce guides that became public, send webinar reminders."""
    for delivery_id in deliveries.record_due():
        send_delivery(delivery_id)


@db_task(retries=5, retry_delay=30, retry_backoff=2)
def send_confirmation(subscriber_id, follow, time_zone):
    with email_rate:
        subscribing.send_confirmation(subscriber_id, follow, time_zone)


@db_task(retries=5, retry_delay=30, retry_backoff=2)
def send_comment_deletion_link(comment_id):
    with email_rate:
        comment_privacy.send_deletion_link(comment_id)


@db_periodic_task(crontab(minute="*"))
def publish_scheduled():
    """Drafts of changes whose time has come (a guide scheduled as a whole needs no
    job: it is public from its time on; `send_due` announces it)."""
    publish_due_drafts()


@db_periodic_task(crontab(minute="*/10"))
@lock_task("tell-moderators")
def tell_moderators():
    moderation.tell_moderators()


@db_periodic_task(crontab(minute="17", hour="3"))
def forget_unconfirmed():
    subscribing.forget_unconfirmed()
