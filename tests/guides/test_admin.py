"""Every admin page an editor opens renders, on the seeded content."""

import pytest
from bs4 import BeautifulSoup
from django.contrib import admin
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from guides import drafts
from guides.models import Guide, Pick
from images.models import Image
from readers.models import Comment, Delivery, Subscriber
from tests.factories import ImageFactory

ADMIN_MODELS = sorted(admin.site._registry, key=lambda model: model._meta.label)


# Rows the seed does not hold, made for the change page.
def a_subscriber():
    return Subscriber.objects.create(email="ada@example.org")


NOT_SEEDED = {
    Group: lambda: Group.objects.create(name="Reviewers"),
    Image: ImageFactory,
    Comment: lambda: Comment.objects.create(
        guide=Guide.objects.first(), name="Ada", email="ada@example.org", body="A comment"
    ),
    Subscriber: a_subscriber,
    Delivery: lambda: Delivery.objects.create(
        subscriber=a_subscriber(), kind="guide", guide=Guide.objects.first()
    ),
}


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_every_app_model_is_in_the_admin():
    labels = {model._meta.label for model in ADMIN_MODELS}
    assert {
        "accounts.User",
        "papers.Series",
        "papers.Conference",
        "papers.Author",
        "papers.Paper",
        "papers.Tag",
        "guides.Guide",
        "guides.Section",
        "guides.Pick",
        "guides.Webinar",
        "guides.Reference",
        "guides.Figure",
        "images.Image",
    } <= labels


def log_in_twice(client):
    """A failed and a successful log-in through the form: django-axes records both."""
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user("someone", password="a long pass phrase")
    client.post(reverse("admin:login"), {"username": "someone", "password": "wrong"})
    client.post(reverse("admin:login"), {"username": "someone", "password": "a long pass phrase"})


@pytest.mark.parametrize("model", ADMIN_MODELS, ids=lambda m: m._meta.label)
def test_changelist_add_and_change_pages_render(seed, staff_client, client, model):
    changelist = staff_client.get(admin_url(model, "changelist"))
    assert changelist.status_code == 200
    model_admin = admin.site._registry[model]
    if model_admin.has_add_permission(changelist.wsgi_request):
        assert staff_client.get(admin_url(model, "add")).status_code == 200
    if model._meta.app_label == "axes":
        log_in_twice(Client())
    obj = model._default_manager.order_by("pk").first() or NOT_SEEDED[model]()
    change = staff_client.get(admin_url(model, "change", obj.pk))
    assert change.status_code == 200
    assert escape(str(obj)) in change.content.decode()


@pytest.mark.parametrize("model", ADMIN_MODELS, ids=lambda m: m._meta.label)
def test_changelist_search_renders(seed, staff_client, model):
    response = staff_client.get(admin_url(model, "changelist"), {"q": 'transformer "%_'})
    assert response.status_code == 200


def test_a_long_guides_page_lists_its_picks_compactly(seed, staff_client):
    """81 picks in 27 sections: a list of numbers and sections, well under 300 KB, in as
    many queries as a guide of ten picks; so is the read-only page of the published guide."""

    def change_page(guide):
        with CaptureQueriesContext(connection) as queries:
            response = staff_client.get(admin_url(Guide, "change", guide.pk))
        return response, len(queries)

    def editing_page(slug):  # the page editors write on: the draft of changes
        return change_page(drafts.start_draft(Guide.objects.get(slug=slug), None))

    editing_page("iclr-2021-10-papers")  # the session and the user, loaded once
    long_page, long_queries = editing_page("neurips-2023-highlights")
    _, short_queries = editing_page("neurips-2020-10-essentials")
    assert len(long_page.content) < 300_000
    assert long_queries == short_queries
    live_long, live_long_queries = change_page(Guide.objects.get(slug="neurips-2023-highlights"))
    _, live_short_queries = change_page(Guide.objects.get(slug="neurips-2020-10-essentials"))
    assert len(live_long.content) < 300_000 and live_long_queries == live_short_queries
    assert len(BeautifulSoup(live_long.content, "html.parser").select("li[data-pick]")) == 81
    soup = BeautifulSoup(long_page.content, "html.parser")
    rows = soup.select("fieldset#picks li[data-pick]")
    assert len(rows) == 81
    assert [row.select_one("input.pick-rank")["value"] for row in rows] == [
        str(n) for n in range(1, 82)
    ]
    first = rows[0]
    assert first.select_one("a.title")["href"] == admin_url(Pick, "change", first["data-pick"])
    assert "why ✓" in first.select_one(".text-status").get_text()
    assert len(soup.select("fieldset#picks .pick-group")) == 31  # outside any section, and 30
    assert not soup.select('textarea[name$="-why"]')  # a pick's texts are on its own page


def test_guide_changelist_counts_picks(seed, staff_client):
    response = staff_client.get(admin_url(Guide, "changelist"))
    rows = {guide.slug: guide.pick_count for guide in response.context["cl"].result_list}
    assert rows["neurips-2023-highlights"] == 81
    assert rows["iclr-2022-10-papers"] == 10


def test_admin_needs_staff(seed, client, django_user_model):
    response = client.get(admin_url(Guide, "changelist"))
    assert response.status_code == 302 and "/login/" in response["Location"]
    reader = django_user_model.objects.create_user("reader", password="pw")
    client.force_login(reader)
    assert client.get(admin_url(Guide, "changelist")).status_code == 302
