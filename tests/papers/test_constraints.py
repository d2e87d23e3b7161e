"""The catalogue's rules: the database refuses bad data; model validation says why."""

import datetime as dt

import pytest

from papers.models import Authorship, Conference, Paper
from tests.factories import (
    AuthorFactory,
    ConferenceFactory,
    PaperFactory,
    SeriesFactory,
)
from tests.model_rules import messages, refused_by_database

pytestmark = pytest.mark.django_db


def test_one_conference_per_series_and_year():
    first = ConferenceFactory(year=2021)
    refused_by_database(
        lambda: Conference.objects.create(series=first.series, year=2021, slug="other")
    )


def test_conference_slug_is_unique():
    first = ConferenceFactory(year=2021)
    other_series = SeriesFactory(short_name="ICLR", name="ICLR", slug="iclr")
    refused_by_database(
        lambda: Conference.objects.create(series=other_series, year=2021, slug=first.slug)
    )


@pytest.mark.parametrize("year", [1899, 2101])
def test_conference_year_in_range(year):
    refused_by_database(lambda: ConferenceFactory(year=year))


def test_conference_cannot_end_before_it_starts():
    refused_by_database(
        lambda: ConferenceFactory(starts_on=dt.date(2021, 12, 6), ends_on=dt.date(2021, 12, 5))
    )


@pytest.mark.parametrize(
    "field, value",
    [("accepted_papers", 100_001), ("attendees", 1_000_001), ("workshops", 1_001)],
)
def test_conference_counts_are_plausible(field, value):
    refused_by_database(lambda: ConferenceFactory(**{field: value}))


def test_paper_year_in_range():
    refused_by_database(lambda: PaperFactory(conference=None, year=1800))


def test_paper_slug_is_unique():
    paper = PaperFactory()
    refused_by_database(lambda: Paper.objects.create(title="x", slug=paper.slug, year=2020))


def test_author_listed_once_per_paper_and_positions_unique():
    paper, author, other = PaperFactory(), AuthorFactory(), AuthorFactory()
    Authorship.objects.create(paper=paper, author=author, position=1)
    refused_by_database(lambda: Authorship.objects.create(paper=paper, author=author, position=2))
    refused_by_database(lambda: Authorship.objects.create(paper=paper, author=other, position=1))
    refused_by_database(lambda: Authorship.objects.create(paper=paper, author=other, position=0))


def test_validation_explains_conference_dates():
    conference = ConferenceFactory.build(
        series=SeriesFactory(), starts_on=dt.date(2021, 12, 6), ends_on=dt.date(2021, 12, 1)
    )
    assert "A conference cannot end before it starts." in messages(conference)["__all__"]


def test_validation_explains_implausible_stats():
    conference = ConferenceFactory.build(series=SeriesFactory(), attendees=5_000_000)
    assert "That many attendees is not plausible." in messages(conference)["__all__"]


def test_validation_wants_paper_year_to_match_its_conference():
    paper = PaperFactory.build(conference=ConferenceFactory(year=2021), year=2020, slug="p")
    assert messages(paper)["year"] == ["A paper at NeurIPS 2021 must have the year 2021."]
