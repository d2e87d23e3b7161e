"""Readers' comments: posting with the spam defences, moderation, the guide page, counts,
the cached page, editors' replies and emails, deleting one's comments."""

import datetime as dt
import re

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from readers.comment_forms import form_token
from readers.models import Comment, CommentStatus
from readers.moderation import moderate
from tests.factories import GuideFactory, UserFactory
from website.page_cache import forget_recent_stamps

pytestmark = pytest.mark.django_db


def opened_a_minute_ago():
    return form_token(timezone.now() - dt.timedelta(minutes=1))


def send(client, guide, **fields):
    data = {
        "name": "Ada",
        "email": "ada@example.org",
        "body": "A *fine* guide.",
        "token": opened_a_minute_ago(),
        **fields,
    }
    return client.post(f"/guides/{guide.slug}/comments/", data, REMOTE_ADDR="10.0.0.1")


def page(client, guide):
    response = client.get(guide.get_absolute_url())
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def approved(guide, **fields):
    fields = {"name": "Ada", "email": "ada@example.org", "body": "Hello", **fields}
    return Comment.objects.create(guide=guide, status=CommentStatus.APPROVED, **fields)


def test_a_first_comment_is_held_then_shown_once_approved(client):
    guide = GuideFactory()
    response = send(client, guide)
    assert response.status_code == 302
    assert response["Location"] == f"/guides/{guide.slug}/comment/?sent=held"
    assert "waiting for an editor" in client.get(response["Location"]).content.decode()
    comment = Comment.objects.get()
    assert comment.status == CommentStatus.HELD and comment.email == "ada@example.org"
    assert page(client, guide).select(".comment") == []

    moderate(Comment.objects.all(), CommentStatus.APPROVED)
    (shown,) = page(client, guide).select(".comment")  # the cached page was forgotten
    assert shown["id"] == f"comment-{comment.pk}"
    assert shown.select_one(".prose").decode_contents().strip() == "<p>A <em>fine</em> guide.</p>"
    assert "ada@example.org" not in str(page(client, guide))  # the address is never shown
    guide.refresh_from_db()
    assert guide.comment_count == 1


def test_later_comments_from_an_approved_address_go_live_at_once(client):
    guide = GuideFactory()
    approved(guide, email="ADA@example.org")
    response = send(client, guide, body="Second thoughts")
    comment = Comment.objects.get(body="Second thoughts")
    assert comment.status == CommentStatus.APPROVED
    assert response["Location"] == f"/guides/{guide.slug}/#comment-{comment.pk}"
    assert "Second thoughts" in page(client, guide).select_one(".comments").text
    # Another address is still held.
    send(client, guide, email="eve@example.org", body="Hi")
    assert Comment.objects.get(body="Hi").status == CommentStatus.HELD


def test_markup_is_escaped_and_links_get_nofollow_ugc(client):
    guide = GuideFactory()
    approved(guide)  # the address is trusted: the comment shows at once
    payload = (
        '<script>alert("x")</script> <img src=x onerror=alert(1)> '
        "[site](https://ex.org) [bad](javascript:alert(1))"
    )
    send(client, guide, body=payload)
    body = page(client, guide).select(".comment .prose")[-1]
    assert body.find("script") is None and body.find("img") is None
    assert '<script>alert("x")</script>' in body.text  # shown as text
    links = body.find_all("a")
    assert [(a.get("href"), a["rel"]) for a in links] == [
        ("https://ex.org", ["nofollow", "ugc"]),
        (None, ["nofollow", "ugc"]),
    ]


def test_a_form_sent_too_soon_or_without_a_token_comes_back_with_its_text(client):
    guide = GuideFactory()
    for token in ("", "forged", form_token()):  # none, not signed, opened just now
        response = send(client, guide, token=token, body="Kept text")
        assert response.status_code == 400
        soup = BeautifulSoup(response.content, "html.parser")
        assert soup.select_one("[role=alert]").text.strip().endswith("send it again.")
        assert soup.select_one("textarea[name=body]").text.strip() == "Kept text"
        assert soup.select_one("input[name=token]")["value"]  # a fresh one
    assert not Comment.objects.exists()


def test_the_honeypot_drops_a_comment_silently(client):
    guide = GuideFactory()
    response = send(client, guide, website="http://spam.example")
    assert response.status_code == 302 and response["Location"].endswith("?sent=held")
    assert not Comment.objects.exists()


def test_rate_limits_per_address_and_per_ip(client, settings):
    settings.COMMENT_LIMIT_PER_ADDRESS, settings.COMMENT_LIMIT_PER_IP = 2, 3
    guide = GuideFactory()
    assert [send(client, guide).status_code for _ in range(3)] == [302, 302, 429]
    assert "wait a few minutes" in send(client, guide).content.decode()
    assert send(client, guide, email="bob@example.org").status_code == 302  # third from the IP
    assert send(client, guide, email="cy@example.org").status_code == 429
    assert Comment.objects.count() == 3


def test_too_many_links_and_bad_fields_are_refused_clearly(client):
    guide = GuideFactory()
    response = send(client, guide, body="http://a.org http://b.org www.c.org")
    assert response.status_code == 400
    assert "At most 2 links" in response.content.decode()
    response = send(client, guide, email="not-an-address", name="")
    assert response.status_code == 400
    assert "Enter a valid email address." in response.content.decode()
    assert not Comment.objects.exists()


def test_closed_comments_take_none(client):
    guide = GuideFactory(comments_open=False)
    soup = page(client, guide)
    assert soup.select_one("#comment-form") is None
    assert "Comments on this guide are closed." in soup.text
    assert send(client, guide).status_code == 403
    assert not Comment.objects.exists()
    closed = BeautifulSoup(client.get(f"/guides/{guide.slug}/comment/").content, "html.parser")
    assert closed.h1.text == "Comments are closed" and closed.form is None


def test_drafts_take_no_comments(client):
    guide = GuideFactory(status="draft", published_at=None)
    assert send(client, guide).status_code == 404
    assert client.get(f"/guides/{guide.slug}/comment/").status_code == 404


def test_replies_go_one_level_deep(client):
    guide, other = GuideFactory(), GuideFactory()
    top = approved(guide)
    reply_page = client.get(f"/guides/{guide.slug}/comment/?reply_to={top.pk}")
    assert "Reply to Ada" in reply_page.content.decode()
    assert send(client, guide, parent=top.pk).status_code == 302
    reply = Comment.objects.get(parent=top)
    moderate(Comment.objects.filter(pk=reply.pk), CommentStatus.APPROVED)
    soup = page(client, guide)
    assert soup.select_one(f"#comment-{top.pk} .reply")["id"] == f"comment-{reply.pk}"
    for parent in (reply.pk, approved(other).pk, 999999):  # a reply, another guide's, none
        assert send(client, guide, parent=parent).status_code == 400


def test_comment_counts_on_guide_lists(client):
    guide = GuideFactory()
    approved(guide)
    approved(guide, email="bob@example.org")
    Comment.objects.create(guide=guide, name="X", email="x@example.org", body="held")
    soup = BeautifulSoup(client.get("/guides/").content, "html.parser")
    link = soup.find("a", href=f"/guides/{guide.slug}/#comments-title")
    assert link.text == "2 comments"
    Comment.objects.filter(email="bob@example.org").get().delete()
    soup = BeautifulSoup(client.get("/guides/").content, "html.parser")
    assert soup.find("a", href=f"/guides/{guide.slug}/#comments-title").text == "1 comment"


def test_the_guide_page_runs_the_same_queries_for_one_or_many_comments(client, settings):
    settings.PAGE_CACHE = False
    guide = GuideFactory()
    top = approved(guide)
    client.get(guide.get_absolute_url())  # stores the article

    def queries():
        forget_recent_stamps()  # else the first count finds its stamps already read
        with CaptureQueriesContext(connection) as context:
            assert client.get(guide.get_absolute_url()).status_code == 200
        return len(context)

    one = queries()
    for n in range(4):
        approved(guide, parent=top, email=f"r{n}@example.org")
        approved(guide, email=f"t{n}@example.org")
    assert queries() == one


def test_moderators_are_told_of_held_comments_at_most_every_ten_minutes(
    client, django_capture_on_commit_callbacks
):
    UserFactory(is_staff=True, is_superuser=True, email="boss@example.org")
    UserFactory(is_staff=True, email="")  # no address: not told
    guide = GuideFactory(title="Guide of the year")
    with django_capture_on_commit_callbacks(execute=True):  # told after the commit
        send(client, guide)
    (notice,) = mail.outbox
    assert notice.to == ["boss@example.org"]
    assert notice.subject == "1 comment waiting for moderation"
    assert 'Ada on "Guide of the year"' in notice.body
    assert "/admin/readers/comment/?status__exact=held" in notice.body
    with django_capture_on_commit_callbacks(execute=True):
        send(client, guide, email="bob@example.org")
    assert len(mail.outbox) == 1  # told a moment ago; the periodic job tells later
    Comment.objects.update(moderators_told_at=timezone.now() - dt.timedelta(minutes=11))
    from readers.moderation import tell_moderators

    assert tell_moderators() == 0  # nothing new since
    with django_capture_on_commit_callbacks(execute=True):
        Comment.objects.create(guide=guide, name="C", email="c@example.org", body="x")
    assert len(mail.outbox) == 2 and mail.outbox[1].subject == "3 comments waiting for moderation"


def test_the_admin_queue_bulk_actions_and_editor_replies(staff_client):
    guide = GuideFactory()
    held = [
        Comment.objects.create(guide=guide, name=f"R{n}", email=f"r{n}@example.org", body=f"c{n}")
        for n in range(3)
    ]
    approved(guide, body="old and approved")
    queue = staff_client.get("/admin/readers/comment/")
    assert queue.status_code == 200
    assert [c.pk for c in queue.context["cl"].result_list] == [c.pk for c in held]
    response = staff_client.post(
        "/admin/readers/comment/",
        {"action": "approve", "_selected_action": [held[0].pk, held[1].pk]},
        follow=True,
    )
    assert "2 comment(s) now approved." in response.content.decode()
    staff_client.post(
        "/admin/readers/comment/", {"action": "mark_spam", "_selected_action": [held[2].pk]}
    )
    assert Comment.objects.get(pk=held[2].pk).status == CommentStatus.SPAM
    guide.refresh_from_db()
    assert guide.comment_count == 3

    add = staff_client.get(f"/admin/readers/comment/add/?parent={held[0].pk}&guide={guide.pk}")
    assert add.status_code == 200
    response = staff_client.post(
        "/admin/readers/comment/add/",
        {"guide": guide.pk, "parent": held[0].pk, "body": "Thanks, fixed."},
    )
    assert response.status_code == 302
    reply = Comment.objects.get(body="Thanks, fixed.")
    assert reply.status == CommentStatus.APPROVED and reply.by_staff.username == "editor"
    soup = page(staff_client.__class__(), guide)
    staff_reply = soup.select_one(f"#comment-{reply.pk}")
    assert "by-staff" in staff_reply["class"]
    assert staff_reply.select_one(".badge").text == "Editor"


def test_a_reader_deletes_every_comment_made_with_their_address(client):
    guide = GuideFactory()
    approved(guide, email="ada@example.org")
    approved(guide, email="ada@example.org", body="again")
    approved(guide, email="bob@example.org")
    response = client.post("/comments/forget/", {"email": "Ada@Example.org"})
    assert "we sent it a link" in response.content.decode()
    (message,) = mail.outbox
    assert message.to == ["ada@example.org"]
    link = re.search(r"http://testserver(/comments/forget/\S+/)", message.body).group(1)
    assert "2 comments made with your address" in client.get(link).content.decode()
    assert "2 comments deleted." in client.post(link).content.decode()
    assert list(Comment.objects.values_list("email", flat=True)) == ["bob@example.org"]
    guide.refresh_from_db()
    assert guide.comment_count == 1
    # An unknown address gets the same answer and no email; a forged link a clear 400.
    response = client.post("/comments/forget/", {"email": "nobody@example.org"})
    assert "we sent it a link" in response.content.decode() and len(mail.outbox) == 1
    assert client.get("/comments/forget/forged/").status_code == 400


def test_the_form_token_comes_fresh_and_uncached(client):
    response = client.get("/comments/token/")
    assert response.status_code == 200 and response.json()["token"]
    assert "no-store" in response["Cache-Control"]


def test_approving_changes_that_guides_etag_and_no_other(client):
    guide, other = GuideFactory(), GuideFactory()
    held = Comment.objects.create(guide=guide, name="A", email="a@example.org", body="x")
    etags = {g.pk: client.get(g.get_absolute_url())["ETag"] for g in (guide, other)}
    moderate(Comment.objects.filter(pk=held.pk), CommentStatus.APPROVED)
    assert client.get(guide.get_absolute_url())["ETag"] != etags[guide.pk]
    assert client.get(other.get_absolute_url())["ETag"] == etags[other.pk]
    response = client.get(guide.get_absolute_url())
    assert f"guide-{guide.pk}" in response["Surrogate-Key"].split()
    etag = response["ETag"]
    held.delete()
    assert client.get(guide.get_absolute_url())["ETag"] != etag
    assert "No comments yet." in client.get(guide.get_absolute_url()).content.decode()
