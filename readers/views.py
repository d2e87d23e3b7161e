"""Readers' pages: sending a comment, subscribing, managing subscriptions from an
emailed link, unsubscribing in one click, deleting one's comments.

None of them is cached (`never_cache`): they hold forms or personal data. The comment
form is also on the (cached) guide page, so sending it needs no CSRF token: it acts for
nobody — it never reads the session — and its signed form token does the rest.
"""

import zoneinfo

from django import forms
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from guides.models import Guide
from papers.models import Series, Tag

from . import comment_privacy, subscribing, tasks
from .comment_forms import CommentForm, NotTaken, form_token, sender_hash
from .models import Comment, Subscriber
from .moderation import first_status

TIME_ZONES = sorted(zoneinfo.available_timezones() - {"localtime", "Factory"})


def as_id(value):
    """`value` as a row id, or None ("12" is one; "", "x", "²" and "-1" are not)."""
    value = str(value or "")
    return int(value) if value.isascii() and value.isdigit() else None


def public_guide(slug):
    return get_object_or_404(
        Guide.objects.public().only("pk", "slug", "title", "comments_open"), slug=slug
    )


@never_cache
def comment_token(request):
    """A fresh form token, fetched by the guide page's script when the form is used."""
    return JsonResponse({"token": form_token()})


@never_cache
def comment_page(request, slug):
    """The comment form on a page of its own: for replies and readers without scripts,
    and where a comment that was not taken comes back, its text kept."""
    guide = public_guide(slug)
    initial = {"token": form_token(), "parent": request.GET.get("reply_to")}
    form = CommentForm(initial=initial, guide=guide)
    return render_comment_page(request, guide, form, sent=request.GET.get("sent"))


def render_comment_page(request, guide, form, *, status=200, problem="", sent=None):
    parent_id = as_id(form["parent"].value())
    parent = parent_id and Comment.objects.shown().filter(pk=parent_id, guide=guide).first()
    context = {"guide": guide, "form": form, "problem": problem, "parent": parent, "sent": sent}
    return render(request, "readers/comment_page.html", context, status=status)


@csrf_exempt
@require_POST
@never_cache
def send_comment(request, slug):
    guide = public_guide(slug)
    form = CommentForm(request.POST, guide=guide)
    if form.is_bot():  # answered as if held: a bot learns nothing
        return redirect(reverse("readers:comment-page", args=[slug]) + "?sent=held")
    if not form.is_valid():
        return render_comment_page(request, guide, fresh(form), status=400)
    now = timezone.now()
    sender = sender_hash(request)
    try:
        form.check_sending(sender, now)
    except NotTaken as refusal:
        return render_comment_page(
            request, guide, fresh(form), status=refusal.status, problem=str(refusal)
        )
    data = form.cleaned_data
    comment = Comment.objects.create(
        guide=guide,
        parent=data["parent"],
        name=data["name"],
        email=data["email"],
        body=data["body"],
        status=first_status(data["email"]),
        sender_hash=sender,
        created_at=now,
    )
    if comment.status == "held":
        return redirect(reverse("readers:comment-page", args=[slug]) + "?sent=held")
    return redirect(comment.get_absolute_url())


def fresh(form):
    """The same form with the reader's text and a new token, to send again."""
    data = form.data.copy()
    data["token"] = form_token()
    return CommentForm(data, guide=form.guide)


class AddressForm(forms.Form):
    email = forms.EmailField(widget=forms.EmailInput(attrs={"autocomplete": "email"}))


@never_cache
def forget_comments(request):
    form = AddressForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        address = form.cleaned_data["email"].lower()
        comment = Comment.objects.filter(email=address, by_staff__isnull=True).first()
        if comment is not None:
            tasks.send_comment_deletion_link(comment.pk)
        return render(request, "readers/forget_comments.html", {"asked": True})
    return render(
        request, "readers/forget_comments.html", {"form": form}, status=400 if form.errors else 200
    )


@never_cache
def forget_comments_confirm(request, token):
    address = comment_privacy.address_from(token)
    if address is None:
        return render(request, "readers/link_expired.html", status=400)
    comments = Comment.objects.filter(email=address, by_staff__isnull=True)
    if request.method == "POST":
        deleted = comments.count()
        for comment in comments:  # one by one: each guide's count and page follow
            comment.delete()
        return render(request, "readers/forget_comments.html", {"done": True, "deleted": deleted})
    return render(
        request, "readers/forget_comments.html", {"confirm": True, "count": comments.count()}
    )


class SubscribeForm(forms.Form):
    email = forms.EmailField(widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    follow = forms.ChoiceField(label="Send me", widget=forms.RadioSelect)
    time_zone = forms.ChoiceField(
        choices=[(name, name) for name in TIME_ZONES],
        initial="UTC",
        help_text="Webinar reminders give times in this zone.",
    )

    def __init__(self, *args, series=None, topic=None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("all", "Every new guide")]
        if series is not None:
            choices.insert(
                0, (f"series-{series.pk}", f"Guides to {series} and its webinar reminders")
            )
        if topic is not None:
            choices.insert(0, (f"topic-{topic.pk}", f"Guides on {topic.name}"))
        self.fields["follow"].choices = choices
        self.fields["follow"].initial = choices[0][0]

    def following(self):
        kind, _, pk = self.cleaned_data["follow"].partition("-")
        return {kind: int(pk)} if pk else {}


@never_cache
def subscribe(request):
    series = get_or_none(Series, request.GET.get("series"))
    topic = get_or_none(Tag, request.GET.get("topic"))
    form = SubscribeForm(request.POST or None, series=series, topic=topic)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        subscriber = subscribing.ask(data["email"], form.following(), data["time_zone"])
        if subscriber is not None:
            tasks.send_confirmation(subscriber.pk, form.following(), data["time_zone"])
        return render(request, "readers/subscribe.html", {"asked": True})
    status = 400 if form.errors else 200
    return render(request, "readers/subscribe.html", {"form": form}, status=status)


def get_or_none(model, slug):
    return model.objects.filter(slug=slug).first() if slug else None


@never_cache
def confirm(request, token):
    subscription = subscribing.confirm(token)
    if subscription is None:
        return render(request, "readers/link_expired.html", status=400)
    return render(
        request,
        "readers/confirmed.html",
        {"subscription": subscription, "subscriber": subscription.subscriber},
    )


class TimeZoneForm(forms.Form):
    time_zone = forms.ChoiceField(choices=[(name, name) for name in TIME_ZONES])


@never_cache
def manage(request, key):
    subscriber = get_object_or_404(Subscriber, key=key, confirmed_at__isnull=False)
    form = TimeZoneForm(request.POST or None, initial={"time_zone": subscriber.time_zone})
    if request.method == "POST":
        if "stop" in request.POST:
            stop = as_id(request.POST["stop"])
            if stop is None:
                return HttpResponseBadRequest("Which subscription to stop?")
            subscriber.subscriptions.filter(pk=stop).delete()
            return redirect("readers:manage", key=key)
        if form.is_valid():
            subscriber.time_zone = form.cleaned_data["time_zone"]
            subscriber.save(update_fields=["time_zone"])
            return redirect("readers:manage", key=key)
    subscriptions = subscriber.subscriptions.select_related("series", "topic")
    context = {"subscriber": subscriber, "subscriptions": subscriptions, "form": form}
    return render(request, "readers/manage.html", context, status=400 if form.errors else 200)


@csrf_exempt  # RFC 8058: mail clients POST here with no token; the key is the proof
@never_cache
def unsubscribe(request, key):
    subscriber = Subscriber.objects.filter(key=key).first()
    if request.method == "POST":
        if subscriber is not None:
            subscriber.delete()  # the address, its subscriptions and its deliveries
        return render(request, "readers/unsubscribed.html")
    if subscriber is None:
        raise Http404("No subscription has this link: it may have ended already.")
    return render(request, "readers/unsubscribe.html", {"subscriber": subscriber})
