"""The editorial rules: the database refuses bad data; model validation says why."""

import datetime as dt

import pytest

from guides.models import Guide, Pick, Reference, Status, Webinar
from tests.factories import (
    ConferenceFactory,
    GuideFactory,
    PaperFactory,
    PickFactory,
    ReferenceFactory,
    SectionFactory,
    WebinarFactory,
)
from tests.model_rules import messages, refused_by_database

pytestmark = pytest.mark.django_db


def test_one_rank_per_guide():
    pick = PickFactory(rank=1)
    refused_by_database(lambda: PickFactory(guide=pick.guide, rank=1))


def test_paper_at_most_once_per_guide():
    pick = PickFactory(rank=1)
    refused_by_database(
        lambda: Pick.objects.create(guide=pick.guide, paper=pick.paper, rank=2, why="")
    )


def test_same_paper_and_rank_allowed_in_two_guides():
    pick = PickFactory(rank=1)
    other = PickFactory(rank=1, paper=pick.paper)
    assert other.pk != pick.pk


def test_rank_starts_at_one():
    refused_by_database(lambda: PickFactory(rank=0))


def test_guide_slug_is_unique():
    guide = GuideFactory()
    refused_by_database(
        lambda: Guide.objects.create(conference=guide.conference, title="x", slug=guide.slug)
    )


def test_published_guide_needs_a_date():
    refused_by_database(lambda: GuideFactory(status=Status.PUBLISHED, published_at=None))


def test_guide_not_updated_before_published():
    guide = GuideFactory.build()
    guide.updated_at = guide.published_at - dt.timedelta(days=1)
    refused_by_database(
        lambda: GuideFactory(updated_at=guide.updated_at, published_at=guide.published_at)
    )


def test_section_slug_unique_within_guide():
    section = SectionFactory(slug="intro")
    refused_by_database(lambda: SectionFactory(guide=section.guide, slug="intro"))
    assert SectionFactory(slug="intro").guide != section.guide  # another guide may reuse it


def test_reference_number_unique_within_guide():
    reference = ReferenceFactory(number=1)
    refused_by_database(
        lambda: Reference.objects.create(guide=reference.guide, number=1, text="other")
    )
    refused_by_database(lambda: ReferenceFactory(number=0))


def test_webinar_time_needs_its_zone():
    refused_by_database(
        lambda: WebinarFactory(starts_at=dt.datetime(2022, 4, 25, 13, tzinfo=dt.UTC), time_zone="")
    )


def test_validation_explains_a_duplicate_pick():
    pick = PickFactory(rank=1)
    duplicate = Pick(guide=pick.guide, paper=pick.paper, rank=2)
    assert messages(duplicate)["__all__"] == ["This paper is already picked in this guide."]


def test_validation_explains_a_taken_rank():
    pick = PickFactory(rank=3)
    taken = Pick(guide=pick.guide, paper=PaperFactory(), rank=3)
    assert messages(taken)["__all__"] == ["Another pick of this guide already has that number."]


def test_validation_refuses_a_section_of_another_guide():
    pick = PickFactory.build(guide=GuideFactory(), paper=PaperFactory(), section=SectionFactory())
    assert messages(pick)["section"] == ["This section belongs to another guide."]


def test_validation_explains_a_published_guide_without_date():
    guide = GuideFactory.build(conference=ConferenceFactory(), slug="g", published_at=None)
    assert messages(guide)["__all__"] == ["A published guide needs a publication date."]


def test_validation_rejects_an_unknown_time_zone():
    webinar = WebinarFactory.build(conference=ConferenceFactory(), slug="w", time_zone="Mars/Base")
    assert "is not an IANA time zone" in messages(webinar)["time_zone"][0]


def test_webinar_date_follows_its_announced_zone():
    # 23:30 UTC on 24 April is already 25 April in Amsterdam.
    webinar = WebinarFactory(
        starts_at=dt.datetime(2022, 4, 24, 23, 30, tzinfo=dt.UTC),
        time_zone="Europe/Amsterdam",
        starts_on=dt.date(2000, 1, 1),
    )
    webinar.refresh_from_db()
    assert webinar.starts_on == dt.date(2022, 4, 25)
    assert webinar.local_start.hour == 1


def test_slugs_made_from_titles_are_unique():
    conference = ConferenceFactory()
    first = Guide.objects.create(conference=conference, title="NeurIPS 2021 Guide")
    second = Guide.objects.create(conference=conference, title="NeurIPS 2021 Guide")
    assert (first.slug, second.slug) == ("neurips-2021-guide", "neurips-2021-guide-2")
    assert (
        Webinar.objects.create(
            conference=conference, title="Live!", starts_on=dt.date(2021, 1, 1)
        ).slug
        == "live"
    )
