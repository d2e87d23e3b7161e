"""factory_boy factories: valid objects by default, override what a test is about."""

import datetime as dt
import io

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image as PILImage

from accounts.models import User
from guides.models import Figure, FigurePlace, Guide, Pick, Reference, Section, Status, Webinar
from images.library import store_file
from images.models import Image
from images.uploads import clean_upload
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
    # One conference per series and year: the 1900s, clear of the seed's conferences, and
    # round again after a hundred (the constraint allows 1900-2100; a full run makes more).
    year = factory.Sequence(lambda n: 1900 + n % 100)
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


class UnpublishedGuideFactory(GuideFactory):
    """A guide being written: edited in place (a published one is changed in a draft)."""

    status = Status.DRAFT
    published_at = None


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


def image_file(width=1600, height=900, format="JPEG", color="teal", name=None, **save_options):
    """An uploaded image file made by Pillow: `format` as Pillow names it."""
    out = io.BytesIO()
    mode = "RGBA" if format in ("PNG", "WEBP") and save_options.pop("alpha", False) else "RGB"
    PILImage.new(mode, (width, height), color).save(out, format=format, **save_options)
    extension = {"JPEG": "jpg"}.get(format, format.lower())
    return SimpleUploadedFile(name or f"upload.{extension}", out.getvalue())


class ImageFactory(factory.django.DjangoModelFactory):
    """A library image with its renditions, written to the test run's media folder."""

    class Meta:
        model = Image

    title = factory.Sequence(lambda n: f"Image {n}")
    alt_text = "A teal rectangle"

    @classmethod
    def _create(cls, model_class, *args, width=1600, height=900, **kwargs):
        return store_file(model_class(**kwargs), clean_upload(image_file(width, height)))


class FigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Figure

    guide = factory.SubFactory(GuideFactory)
    number = factory.Sequence(lambda n: n + 1)
    place = FigurePlace.INTRO
    image = factory.SubFactory(ImageFactory)
    caption = "A figure."
