"""The comment form and its defences against spam, none of which needs a third party:

- a honeypot field people never see: a form that fills it is dropped, silently;
- a signed form token with the time the form was opened: a comment sent sooner than
  COMMENT_MIN_SECONDS after, or without a token, is not taken (readers without
  JavaScript get the form back with a fresh token and their text kept);
- rate limits per address and per IP (its keyed hash: the address is not stored);
- at most COMMENT_MAX_LINKS links;
- a guide whose comments are closed takes none.
"""

import datetime as dt
import hashlib
import hmac

from axes.helpers import get_client_ip_address
from django import forms
from django.conf import settings
from django.core import signing
from django.utils import timezone

from .comment_markdown import count_links
from .models import Comment

TOKEN_SALT = "readers.comment-form"
TOKEN_MAX_AGE = dt.timedelta(days=1)
RATE_WINDOW = dt.timedelta(minutes=10)


def form_token(now=None):
    return signing.dumps((now or timezone.now()).timestamp(), salt=TOKEN_SALT)


def sender_hash(request):
    address = get_client_ip_address(request) or ""
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()


class NotTaken(Exception):
    """A comment the site will not take now; `status` is the HTTP status to answer with."""

    def __init__(self, message, status):
        super().__init__(message)
        self.status = status


class CommentForm(forms.Form):
    name = forms.CharField(max_length=80, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.EmailField(
        help_text="Never shown. Your first comment waits for an editor; later ones appear at once.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    body = forms.CharField(
        label="Comment",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Markdown: *emphasis*, **strong**, `code`, > quotes, lists, [links](https://…).",
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    token = forms.CharField(required=False, widget=forms.HiddenInput)
    # The honeypot: hidden from people (CSS and aria-hidden), filled by naive bots.
    website = forms.CharField(
        required=False,
        label="Leave this empty",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, guide, **kwargs):
        super().__init__(*args, **kwargs)
        self.guide = guide

    def is_bot(self):
        return bool(self.data.get("website"))

    def clean_body(self):
        body = self.cleaned_data["body"]
        if count_links(body) > settings.COMMENT_MAX_LINKS:
            raise forms.ValidationError(
                f"At most {settings.COMMENT_MAX_LINKS} links in a comment, please."
            )
        return body

    def clean_parent(self):
        parent_id = self.cleaned_data["parent"]
        if parent_id is None:
            return None
        parent = (
            Comment.objects.shown()
            .filter(pk=parent_id, guide=self.guide, parent__isnull=True)
            .first()
        )
        if parent is None:
            raise forms.ValidationError("The comment you reply to is not on this guide.")
        return parent

    def opened_at(self):
        """When the form was opened, from its token; None without a valid one."""
        try:
            seconds = signing.loads(
                self.data.get("token", ""),
                salt=TOKEN_SALT,
                max_age=TOKEN_MAX_AGE.total_seconds(),
            )
            return dt.datetime.fromtimestamp(float(seconds), tz=dt.UTC)
        except (signing.BadSignature, TypeError, ValueError):
            return None

    def check_sending(self, sender, now):
        """Raise NotTaken unless this comment may be taken now from `sender` (hash)."""
        if not self.guide.comments_open:
            raise NotTaken("Comments on this guide are closed.", 403)
        opened = self.opened_at()
        if opened is None:
            raise NotTaken("Please check your comment and send it again.", 400)
        if now - opened < dt.timedelta(seconds=settings.COMMENT_MIN_SECONDS):
            raise NotTaken("That was quick: please check your comment and send it again.", 400)
        recent = Comment.objects.filter(created_at__gt=now - RATE_WINDOW)
        address = self.cleaned_data["email"].lower()
        if (
            recent.filter(email=address).count() >= settings.COMMENT_LIMIT_PER_ADDRESS
            or recent.filter(sender_hash=sender).count() >= settings.COMMENT_LIMIT_PER_IP
        ):
            raise NotTaken(
                "You have sent many comments in a short time: please wait a few minutes.", 429
            )
