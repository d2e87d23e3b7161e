"""factory_boy factories: valid objects by default, override what a test is about."""

import datetime as dt

import factory
from django.utils import timezone

from accounts.models import User
from guides.models import Guide, Pick, Reference, Section, Status, Webinar
from papers.models import Author, Authorship, Conference, Paper, Series


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Faker("name")


class SeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Series
        django_get_or_create = ["slug"]

    short_name = "NeurIPS"
    name = "Conference on Neural Information Processing Systems"
    slug = "neurips"


class ConferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Conference

    series = factory.SubFactory(SeriesFactory)
    year = factory.Sequence(lambda n: 1990 + n)
    slug = factory.LazyAttribute(lambda c: f"{c.series.slug}-{c.year}")


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Author

    name = factory.Faker("name")
    slug = factory.Sequence(lambda n: f"author-{n}")


class PaperFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Paper
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Paper number {n}")
    conference = factory.SubFactory(ConferenceFactory)
    year = factory.LazyAttribute(lambda p: p.conference.year if p.conference else 2017)

    @factory.post_generation
    def authors(self, create, names, **kwargs):
        for position, author in enumerate(names or [], start=1):
            Authorship.objects.create(paper=self, author=author, position=position)


class GuideFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Guide

    conference = factory.SubFactory(ConferenceFactory)
    title = factory.Sequence(lambda n: f"Guide number {n}")
    status = Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    guide = factory.SubFactory(GuideFactory)
    title = factory.Sequence(lambda n: f"Section {n}")
    slug = factory.Sequence(lambda n: f"section-{n}")


class PickFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pick

    guide = factory.SubFactory(GuideFactory)
    paper = factory.SubFactory(PaperFactory, conference=factory.SelfAttribute("..guide.conference"))
    rank = factory.Sequence(lambda n: n + 1)
    why = "Because it matters."


class WebinarFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Webinar

    conference = factory.SubFactory(ConferenceFactory)
    title = factory.Sequence(lambda n: f"Webinar {n}")
    starts_on = dt.date(2022, 4, 25)


class ReferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reference

    guide = factory.SubFactory(GuideFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = "A cited work, 2017."
