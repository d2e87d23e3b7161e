"""Readers in Chromium: commenting (held, approved, shown; a script shown as text),
subscribing (confirmed by the emailed link, the new guide's email, unsubscribing in
one click) and a webinar reminder. Jobs run at once in the live server's process, and
emails land in Django's test outbox, read back here."""

import datetime as dt
import re

import icalendar
import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from guides.models import Guide
from papers.models import Conference, Series
from readers import tasks
from readers.models import Comment, CommentStatus, Subscriber
from readers.moderation import moderate
from tests.factories import GuideFactory, WebinarFactory

PAYLOAD = '<script>window.pwned = true</script><img src=x onerror="window.pwned=true">'


@pytest.fixture
def site_emails(site, settings):
    """Links in emails point at the live server."""
    settings.SITE_URL = site
    mail.outbox.clear()
    return site


def link(message, path):
    return re.search(rf"(https?://\S+{path}\S*)", message.body).group(1)


def wait_until_sendable(page, form):
    """The form's token is fetched when writing begins (expect polls without eval,
    which the pages' CSP forbids), and a comment sent too soon is refused."""
    expect(form.locator("[name=token]")).not_to_have_value("")
    page.wait_for_timeout(1200)  # COMMENT_MIN_SECONDS is 1 in the tests


def test_a_comment_is_held_then_shown_with_its_markup_as_text(site, page):
    guide_url = site + "/guides/neurips-2020-10-essentials/"
    page.goto(guide_url)
    form = page.locator("#comment-form")
    form.get_by_label("Name").fill("Mallory")
    form.get_by_label("Email").fill("mallory@example.org")
    form.get_by_label("Comment").fill(f"**Great** guide {PAYLOAD}")
    wait_until_sendable(page, form)
    form.get_by_role("button", name="Send comment").click()
    page.get_by_text("Your comment is waiting for an editor.").wait_for()
    comment = Comment.objects.get()
    assert comment.status == CommentStatus.HELD

    page.goto(guide_url)
    assert page.locator(".comments article").count() == 0
    moderate(Comment.objects.all(), CommentStatus.APPROVED)
    page.goto(guide_url)
    shown = page.locator(f"#comment-{comment.pk}")
    assert shown.locator("strong").first.inner_text() == "Mallory"
    assert shown.locator(".prose strong").inner_text() == "Great"
    assert "<script>window.pwned = true</script>" in shown.locator(".prose").inner_text()
    assert page.evaluate("window.pwned") is None
    assert "mallory@example.org" not in page.content()
    page.goto(site + "/guides/")
    assert page.get_by_role("link", name="1 comment").count() == 1


def test_a_reader_replies_from_the_reply_link(site, page):
    guide = Guide.objects.get(slug="neurips-2020-10-essentials")
    Comment.objects.create(
        guide=guide,
        name="Ada",
        email="ada@example.org",
        body="First!",
        status=CommentStatus.APPROVED,
    )
    page.goto(site + guide.get_absolute_url())
    page.get_by_role("link", name="Reply to Ada").click()
    page.get_by_role("heading", name="Reply to Ada").wait_for()
    page.get_by_label("Name").fill("Ada")  # an approved address: live at once
    page.get_by_label("Email").fill("ada@example.org")
    page.get_by_label("Comment").fill("Replying to myself.")
    wait_until_sendable(page, page.locator("#comment-form"))
    page.get_by_role("button", name="Send comment").click()
    page.wait_for_url(re.compile(r"/guides/neurips-2020-10-essentials/#comment-\d+$"))
    assert page.locator(".comment.reply .prose").inner_text().strip() == "Replying to myself."


def test_subscribe_confirm_receive_the_new_guide_and_unsubscribe(site_emails, page):
    site = site_emails
    page.goto(site + "/conferences/neurips-2021/")
    page.get_by_role("link", name="by email", exact=True).click()
    page.get_by_label("Email").fill("reader@example.org")
    assert page.get_by_label("Guides to NeurIPS and its webinar reminders").is_checked()
    page.get_by_label("Time zone").select_option("Europe/Amsterdam")
    page.get_by_role("button", name="Subscribe").click()
    page.get_by_text("Check your inbox").wait_for()
    (confirmation,) = mail.outbox
    assert confirmation.to == ["reader@example.org"]

    page.goto(link(confirmation, "/subscriptions/confirm/"))
    page.get_by_role("heading", name="You are subscribed").wait_for()
    assert Subscriber.objects.get().confirmed_at is not None

    conference = Conference.objects.get(slug="neurips-2021")
    guide = GuideFactory(
        conference=conference, title="NeurIPS 2021: the late picks", published_at=timezone.now()
    )
    tasks.send_due()  # the worker's minute
    (announcement,) = mail.outbox[1:]
    assert announcement.subject == "New guide: NeurIPS 2021: the late picks"
    page.goto(link(announcement, f"/guides/{guide.slug}/"))
    page.get_by_role("heading", name=guide.title).first.wait_for()

    page.goto(link(announcement, "/unsubscribe/"))
    page.get_by_role("button", name="Unsubscribe").click()
    page.get_by_role("heading", name="You are unsubscribed").wait_for()
    assert not Subscriber.objects.exists()
    GuideFactory(conference=conference, published_at=timezone.now())
    tasks.send_due()
    assert len(mail.outbox) == 2


def test_a_webinar_reminder_in_the_readers_zone(site_emails, page):
    series = Series.objects.get(slug="iclr")
    subscriber = Subscriber.objects.create(
        email="tokyo@example.org", time_zone="Asia/Tokyo", confirmed_at=timezone.now()
    )
    subscriber.subscriptions.create(series=series)
    start = (timezone.now() + dt.timedelta(hours=20)).replace(second=0, microsecond=0)
    webinar = WebinarFactory(
        conference=Conference.objects.filter(series=series).first(),
        title="ICLR reading group",
        slug="iclr-reading-group",
        starts_at=start,
        starts_on=start.date(),
        time_zone="Europe/Amsterdam",
    )
    tasks.send_due()
    (reminder,) = mail.outbox
    assert reminder.subject == "Tomorrow: ICLR reading group"
    tokyo = timezone.localtime(start, timezone.zoneinfo.ZoneInfo("Asia/Tokyo"))
    assert f"{tokyo:%H:%M} (Asia/Tokyo)" in reminder.body
    ((_, calendar, _),) = reminder.attachments
    (event,) = icalendar.Calendar.from_ical(calendar).walk("VEVENT")
    assert event.decoded("dtstart").astimezone(dt.UTC) == start.astimezone(dt.UTC)
    page.goto(link(reminder, f"/webinars/{webinar.slug}/"))
    page.get_by_role("heading", name="ICLR reading group").wait_for()
    page.goto(link(reminder, "/subscriptions/"))
    assert page.locator(".subscriptions li").inner_text().startswith("Guides to ICLR")
