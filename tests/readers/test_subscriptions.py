"""Subscriptions: double opt-in, one email per new guide (on time for scheduled ones,
never twice), webinar reminders with a calendar, one-click unsubscribe, managing
subscriptions from an emailed link, and readers' personal data."""

import datetime as dt
import json
import re
import zoneinfo
from io import StringIO

import icalendar
import pytest
import time_machine
from bs4 import BeautifulSoup
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from readers import deliveries, subscribing, tasks
from readers.models import Comment, CommentStatus, Delivery, Subscriber, Subscription
from tests.factories import (
    ConferenceFactory,
    GuideFactory,
    PickFactory,
    SeriesFactory,
    WebinarFactory,
)

pytestmark = pytest.mark.django_db


def subscribe(client, address="ada@example.org", follow="all", time_zone="UTC", query=""):
    response = client.post(
        f"/subscribe/{query}", {"email": address, "follow": follow, "time_zone": time_zone}
    )
    assert response.status_code == 200, response.content
    return response


def link_in(message, path):
    return re.search(rf"http://testserver({path}\S+/)", message.body).group(1)


def subscribed(client, address="ada@example.org", follow="all", time_zone="UTC", query=""):
    """A confirmed subscriber, through the pages and the emailed link."""
    subscribe(client, address, follow, time_zone, query)
    confirmation = mail.outbox.pop()
    assert client.get(link_in(confirmation, "/subscriptions/confirm/")).status_code == 200
    return Subscriber.objects.get(email=address)


def guide_emails():
    return [m for m in mail.outbox if m.subject.startswith("New guide")]


def test_nothing_is_stored_or_sent_but_a_confirmation_before_the_link_is_opened(client):
    series = SeriesFactory(slug="iclr", short_name="ICLR")
    form = BeautifulSoup(client.get("/subscribe/?series=iclr").content, "html.parser")
    follow = [i["value"] for i in form.select("input[name=follow]")]
    assert follow == [f"series-{series.pk}", "all"]
    response = subscribe(
        client, "Ada@Example.org", follow=f"series-{series.pk}", query="?series=iclr"
    )
    assert "Check your inbox" in response.content.decode()
    (confirmation,) = mail.outbox
    assert confirmation.to == ["ada@example.org"]
    assert "Guides to ICLR" in confirmation.body
    subscriber = Subscriber.objects.get()
    assert subscriber.confirmed_at is None and not Subscription.objects.exists()
    GuideFactory(conference=ConferenceFactory(series=series), published_at=timezone.now())
    tasks.send_due()
    assert len(mail.outbox) == 1  # still only the confirmation

    page = client.get(link_in(confirmation, "/subscriptions/confirm/"))
    assert "Guides to ICLR" in page.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.confirmed_at is not None
    assert [str(s) for s in subscriber.subscriptions.all()] == ["Guides to ICLR"]


def test_asking_again_soon_sends_no_second_email(client):
    subscribe(client)
    subscribe(client)
    assert len(mail.outbox) == 1
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=11)):
        subscribe(client)
    assert len(mail.outbox) == 2


def test_bad_subscription_input_is_a_clear_400(client):
    response = client.post(
        "/subscribe/", {"email": "nope", "follow": "all", "time_zone": "Mars/Base"}
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Enter a valid email address." in text and "Select a valid choice." in text
    assert client.get("/subscriptions/confirm/forged/").status_code == 400
    assert not Subscriber.objects.exists() and not mail.outbox


def test_a_new_guide_is_sent_once_to_those_who_follow_it(client):
    neurips, iclr = SeriesFactory(slug="neurips"), SeriesFactory(slug="iclr", short_name="ICLR")
    everything = subscribed(client, "all@example.org")
    follows_series = subscribed(
        client, "series@example.org", f"series-{neurips.pk}", query="?series=neurips"
    )
    subscribed(client, "other@example.org", f"series-{iclr.pk}", query="?series=iclr")
    subscribe(client, "unconfirmed@example.org")
    mail.outbox.clear()

    guide = GuideFactory(
        conference=ConferenceFactory(series=neurips),
        title="NeurIPS 1999: 2 papers",
        standfirst="The best of the year.",
        published_at=timezone.now(),
    )
    PickFactory(
        guide=guide, rank=1, paper__title="Attention again", why="It *matters*. A lot.\n\nMore."
    )
    tasks.send_due()
    tasks.send_due()  # a second run, as the next minute's, sends nothing more
    sent = guide_emails()
    assert sorted(m.to[0] for m in sent) == [everything.email, follows_series.email]
    message = next(m for m in sent if m.to == [everything.email])
    assert message.subject == "New guide: NeurIPS 1999: 2 papers"
    assert "The best of the year." in message.body
    assert (
        f"1. Attention again (http://testserver/guides/{guide.slug}/#pick-1)\n   It matters. A lot."
        in message.body
    )
    assert f"http://testserver/guides/{guide.slug}/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("a", href=f"http://testserver/guides/{guide.slug}/").text == guide.title
    unsubscribe = f"http://testserver/subscriptions/{everything.key}/unsubscribe/"
    assert message.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert soup.find("a", href=unsubscribe).text == "Unsubscribe"
    assert Delivery.objects.filter(sent_at__isnull=False).count() == 2


def test_topic_subscribers_get_guides_on_their_topic(client):
    guide = GuideFactory.build(published_at=timezone.now())
    guide.conference.series.save()
    guide.conference.save()
    guide.save()
    guide.tags.add("Robotics")
    topic = guide.tags.get()
    subscribed(client, "robots@example.org", f"topic-{topic.pk}", query=f"?topic={topic.slug}")
    mail.outbox.clear()
    Delivery.objects.all().delete()
    # Confirmed after the guide's publication: that guide is not news to them.
    tasks.send_due()
    assert guide_emails() == []
    later = GuideFactory(published_at=timezone.now() + dt.timedelta(seconds=1))
    later.tags.add("Robotics")
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=2)):
        tasks.send_due()
    assert [m.to for m in guide_emails()] == [["robots@example.org"]]


def test_a_scheduled_guide_is_sent_when_it_becomes_public(client):
    subscribed(client)
    mail.outbox.clear()
    at = timezone.now() + dt.timedelta(hours=3)
    GuideFactory(title="Later", published_at=at)
    tasks.send_due()
    assert guide_emails() == []
    with time_machine.travel(at + dt.timedelta(seconds=30)):
        tasks.send_due()
    assert [m.subject for m in guide_emails()] == ["New guide: Later"]


def test_guides_published_before_a_subscription_are_never_sent(seed, client):
    subscribed(client)
    tasks.send_due()
    assert guide_emails() == [] and not Delivery.objects.exists()


def test_one_click_unsubscribe_needs_no_login_and_no_token(client):
    subscriber = subscribed(client)
    url = f"/subscriptions/{subscriber.key}/unsubscribe/"
    page = BeautifulSoup(client.get(url).content, "html.parser")
    assert page.select_one("form button").text == "Unsubscribe"
    csrf_checking = client.__class__(enforce_csrf_checks=True)
    response = csrf_checking.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200 and "You are unsubscribed" in response.content.decode()
    assert not Subscriber.objects.exists()
    assert client.get(url).status_code == 404
    GuideFactory(published_at=timezone.now())
    tasks.send_due()
    assert guide_emails() == []


def test_managing_subscriptions_from_the_emailed_link(client):
    series = SeriesFactory(slug="icml", short_name="ICML")
    subscriber = subscribed(client)
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=11)):  # may ask again
        subscribed(client, follow=f"series-{series.pk}", query="?series=icml")
    url = f"/subscriptions/{subscriber.key}/"
    page = BeautifulSoup(client.get(url).content, "html.parser")
    items = [li.get_text(" ", strip=True) for li in page.select(".subscriptions li")]
    assert items == ["Every new guide Stop", "Guides to ICML Stop"]
    everything = subscriber.subscriptions.get(series=None)
    client.post(url, {"stop": everything.pk})
    assert [str(s) for s in subscriber.subscriptions.all()] == ["Guides to ICML"]
    client.post(url, {"time_zone": "Asia/Tokyo"})
    subscriber.refresh_from_db()
    assert subscriber.time_zone == "Asia/Tokyo"
    assert client.post(url, {"time_zone": "Nowhere/At_All"}).status_code == 400
    assert client.get("/subscriptions/not-a-key/").status_code == 404


def test_webinar_reminders_a_day_and_an_hour_before_in_the_readers_zone(client):
    series = SeriesFactory(slug="iclr", short_name="ICLR")
    subscribed(client, "tokyo@example.org", f"series-{series.pk}", "Asia/Tokyo", "?series=iclr")
    cvpr = SeriesFactory(slug="cvpr", short_name="CVPR")
    subscribed(client, "elsewhere@example.org", f"series-{cvpr.pk}", query="?series=cvpr")
    mail.outbox.clear()
    amsterdam = zoneinfo.ZoneInfo("Europe/Amsterdam")
    start = dt.datetime(2031, 4, 25, 15, tzinfo=amsterdam)
    WebinarFactory(
        conference=ConferenceFactory(series=series, year=2031),
        title="ICLR 2031 webinar",
        slug="iclr-2031-webinar",
        starts_at=start,
        starts_on=start.date(),
        time_zone="Europe/Amsterdam",
        duration=dt.timedelta(hours=1),
    )
    with time_machine.travel(start - dt.timedelta(days=2)):
        tasks.send_due()
    assert mail.outbox == []
    with time_machine.travel(start - dt.timedelta(hours=20)):
        tasks.send_due()
        tasks.send_due()
    (day,) = mail.outbox
    assert day.to == ["tokyo@example.org"] and day.subject == "Tomorrow: ICLR 2031 webinar"
    assert "Starts Friday 25 April 2031, 22:00 (Asia/Tokyo)." in day.body
    assert day.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    ((name, content, mimetype),) = day.attachments
    assert (name, mimetype) == ("iclr-2031-webinar.ics", "text/calendar")
    (event,) = icalendar.Calendar.from_ical(content).walk("VEVENT")
    assert event.decoded("dtstart").astimezone(dt.UTC) == dt.datetime(
        2031, 4, 25, 13, tzinfo=dt.UTC
    )
    with time_machine.travel(start - dt.timedelta(minutes=50)):
        tasks.send_due()
    assert [m.subject for m in mail.outbox] == [
        "Tomorrow: ICLR 2031 webinar",
        "In an hour: ICLR 2031 webinar",
    ]
    with time_machine.travel(start + dt.timedelta(minutes=5)):
        tasks.send_due()
    assert len(mail.outbox) == 2


def test_a_delivery_is_claimed_once(client):
    subscribed(client)
    GuideFactory(published_at=timezone.now())
    (delivery_id,) = deliveries.record_due()
    assert deliveries.record_due() == []  # queued once
    assert deliveries.send(delivery_id) is True
    assert deliveries.send(delivery_id) is False  # a repeated job sends nothing
    assert len(guide_emails()) == 1


def test_unconfirmed_addresses_are_forgotten_after_a_week(client):
    subscribe(client, "stale@example.org")
    subscribed(client, "kept@example.org")
    assert subscribing.forget_unconfirmed(timezone.now() + dt.timedelta(days=8)) == 1
    assert list(Subscriber.objects.values_list("email", flat=True)) == ["kept@example.org"]


def test_personal_data_export_and_delete(client):
    subscriber = subscribed(client, "ada@example.org")
    guide = GuideFactory(published_at=timezone.now())
    tasks.send_due()
    Comment.objects.create(
        guide=guide, name="Ada", email="ada@example.org", body="Hi", status=CommentStatus.APPROVED
    )
    out = StringIO()
    call_command("personal_data", "export", "ADA@example.org", stdout=out)
    data = json.loads(out.getvalue())
    assert data["subscriber"]["subscriptions"] == ["Every new guide"]
    assert [e["kind"] for e in data["subscriber"]["emails_sent"]] == ["guide"]
    assert [c["body"] for c in data["comments"]] == ["Hi"]

    out = StringIO()
    call_command("personal_data", "delete", "ada@example.org", stdout=out)
    assert out.getvalue().strip() == "Deleted 1 subscriber(s) and 1 comment(s)."
    assert not Subscriber.objects.filter(pk=subscriber.pk).exists()
    assert not Comment.objects.exists() and not Delivery.objects.exists()
    guide.refresh_from_db()
    assert guide.comment_count == 0
    with pytest.raises(Exception, match="Not an email address"):
        call_command("personal_data", "export", "nobody")


def test_addresses_stay_out_of_the_api(client, seed):
    subscribed(client, "secret@example.org")
    guide = GuideFactory(published_at=timezone.now())
    Comment.objects.create(
        guide=guide, name="S", email="secret@example.org", body="x", status=CommentStatus.APPROVED
    )
    for url in ("/api/guides/", f"/api/guides/{guide.slug}/", "/api/"):
        response = client.get(url)
        assert response.status_code == 200
        assert b"secret@example.org" not in response.content


def test_the_admin_exports_and_deletes_an_address(staff_client):
    subscriber = Subscriber.objects.create(email="ada@example.org", confirmed_at=timezone.now())
    Subscription.objects.create(subscriber=subscriber)
    guide = GuideFactory()
    Comment.objects.create(guide=guide, name="Ada", email="ada@example.org", body="Hi")
    Comment.objects.create(guide=guide, name="Bo", email="bo@example.org", body="Yo")
    export = staff_client.post(
        "/admin/readers/subscriber/",
        {"action": "export_personal_data", "_selected_action": [subscriber.pk]},
    )
    assert export["Content-Type"] == "application/json"
    (data,) = json.loads(export.content)
    assert data["email"] == "ada@example.org" and data["comments"][0]["body"] == "Hi"

    ada = Comment.objects.get(email="ada@example.org")
    response = staff_client.post(
        "/admin/readers/comment/?status__exact=all",
        {"action": "delete_personal_data", "_selected_action": [ada.pk]},
        follow=True,
    )
    assert "Deleted 1 subscriber(s) and 1 comment(s) of 1 address(es)." in response.content.decode()
    assert list(Comment.objects.values_list("email", flat=True)) == ["bo@example.org"]
    assert not Subscriber.objects.exists()
