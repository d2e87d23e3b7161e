"""What readers may see: published guides whose publication time has come."""

import datetime as dt

import pytest
from django.utils import timezone

from guides.models import Guide, Status
from tests.factories import GuideFactory

pytestmark = pytest.mark.django_db


def test_only_published_and_due_guides_are_public():
    now = timezone.now()
    visible = GuideFactory(status=Status.PUBLISHED, published_at=now - dt.timedelta(minutes=1))
    GuideFactory(status=Status.PUBLISHED, published_at=now + dt.timedelta(minutes=1))
    GuideFactory(status=Status.DRAFT, published_at=now - dt.timedelta(days=1))
    GuideFactory(status=Status.IN_REVIEW, published_at=now - dt.timedelta(days=1))
    assert list(Guide.objects.public(now=now)) == [visible]


def test_a_scheduled_guide_becomes_public_when_its_time_comes():
    at = timezone.now() + dt.timedelta(hours=2)
    scheduled = GuideFactory(status=Status.PUBLISHED, published_at=at)
    assert scheduled not in Guide.objects.public(now=at - dt.timedelta(seconds=1))
    assert scheduled in Guide.objects.public(now=at)


def test_unknown_guide_and_draft_pages_answer_404(client):
    draft = GuideFactory(status=Status.DRAFT, published_at=None)
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get("/guides/no-such-guide/").status_code == 404


def test_a_published_guide_page_renders(client):
    guide = GuideFactory(title="A guide <b>with</b> markup")
    response = client.get(guide.get_absolute_url())
    assert response.status_code == 200
    assert "A guide &lt;b&gt;with&lt;/b&gt; markup" in response.content.decode()
