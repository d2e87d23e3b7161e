"""A commenter deletes every comment made with their address: they ask with the
address, get a signed link by email (valid two days), and confirm on the page it opens.
The site answers the same whether or not the address has comments."""

import datetime as dt

from django.core import signing
from django.urls import reverse

from .mail import absolute, email
from .models import Comment

SALT = "readers.forget-comments"
MAX_AGE = dt.timedelta(days=2)


def send_deletion_link(comment_id):
    comment = Comment.objects.filter(pk=comment_id).first()
    if comment is None:
        return
    token = signing.dumps(comment.email, salt=SALT)
    context = {
        "delete_url": absolute(reverse("readers:forget-comments-confirm", args=[token])),
        "days": MAX_AGE.days,
    }
    email(comment.email, "Delete your comments", "forget_comments", context).send()


def address_from(token):
    try:
        return signing.loads(token, salt=SALT, max_age=MAX_AGE.total_seconds())
    except signing.BadSignature:
        return None
