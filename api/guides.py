"""The read API of guides and webinars: published guides only (DRF)."""

import django_filters
from django.db.models import Prefetch
from django.utils import timezone
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets

from guides.models import (
    EmbeddedImage,
    Figure,
    FigurePlace,
    Guide,
    Pick,
    Reference,
    Section,
    Webinar,
)
from papers.models import Authorship
from search.filters import GuideFilter, conference_choice

from .catalogue import PICTURE, AbsoluteUrlField, PaperSerializer
from .images import FigureSerializer, ImageSerializer

PAPER_PICTURE = [f"paper__{path}" for path in PICTURE]


def shown_figures():
    """A guide's or pick's figures that have an image, as `shown_figures`."""
    figures = Figure.objects.shown().select_related("pick", "image__credit_paper", "credit_paper")
    return Prefetch("figures", queryset=figures, to_attr="shown_figures")


class PickSerializer(serializers.ModelSerializer):
    section = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    paper = PaperSerializer(read_only=True)
    related_papers = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    figures = FigureSerializer(source="shown_figures", many=True, read_only=True)

    class Meta:
        model = Pick
        fields = ["rank", "section", "paper", "why", "key_insights", "related_papers", "figures"]


class SectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Section
        fields = ["slug", "title", "order", "intro"]


class ReferenceSerializer(serializers.ModelSerializer):
    paper = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)

    class Meta:
        model = Reference
        fields = ["number", "text", "paper"]


class GuideSerializer(serializers.ModelSerializer):
    conference = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    bylines = serializers.SlugRelatedField(slug_field="byline_name", many=True, read_only=True)
    topics = serializers.SlugRelatedField(
        source="tags", slug_field="name", many=True, read_only=True
    )
    cover = serializers.SerializerMethodField()
    url = AbsoluteUrlField()

    class Meta:
        model = Guide
        fields = [
            *("slug", "title", "conference", "standfirst", "bylines", "published_at"),
            *("updated_at", "source_url", "topics", "cover", "url"),
        ]

    @extend_schema_field(FigureSerializer(allow_null=True))
    def get_cover(self, guide):
        cover = next((f for f in guide.shown_figures if f.place == FigurePlace.COVER), None)
        return FigureSerializer(cover, context=self.context).data if cover else None


class GuideDetailSerializer(GuideSerializer):
    """A guide with its text (Markdown), sections, picks and references."""

    sections = SectionSerializer(many=True, read_only=True)
    picks = PickSerializer(many=True, read_only=True)
    references = ReferenceSerializer(many=True, read_only=True)
    intro_figures = serializers.SerializerMethodField()
    images = serializers.SerializerMethodField(
        help_text="The library images the Markdown texts show as ![](image:KEY)."
    )

    class Meta(GuideSerializer.Meta):
        fields = [
            *GuideSerializer.Meta.fields,
            *("intro", "intro_figures", "outro", "sections", "picks", "references", "images"),
        ]

    @extend_schema_field(FigureSerializer(many=True))
    def get_intro_figures(self, guide):
        figures = [f for f in guide.shown_figures if f.place == FigurePlace.INTRO]
        return FigureSerializer(figures, many=True, context=self.context).data

    @extend_schema_field(ImageSerializer(many=True))
    def get_images(self, guide):
        images = {embed.image.key: embed.image for embed in guide.embedded_images.all()}
        return ImageSerializer(list(images.values()), many=True, context=self.context).data


class WebinarSerializer(serializers.ModelSerializer):
    conference = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    guide = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    url = AbsoluteUrlField()

    class Meta:
        model = Webinar
        fields = [
            *("slug", "title", "conference", "guide", "starts_on", "starts_at", "time_zone"),
            *("duration", "registration_url", "recording_url", "description", "url"),
        ]


class GuideViewSet(viewsets.ReadOnlyModelViewSet):
    filterset_class = GuideFilter
    lookup_field = "slug"

    def get_queryset(self):
        guides = (
            Guide.objects.public()
            .select_related("conference")
            .prefetch_related("bylines", "tags", shown_figures())
            .order_by("-published_at", "title")
        )
        if self.action == "retrieve":
            picks = Pick.objects.select_related(
                "section", "paper__conference", *PAPER_PICTURE
            ).prefetch_related(
                Prefetch(
                    "paper__authorships", queryset=Authorship.objects.select_related("author")
                ),
                "paper__tags",
                "related_papers",
                shown_figures(),
            )
            guides = guides.prefetch_related(
                "sections",
                Prefetch("picks", queryset=picks),
                Prefetch("references", queryset=Reference.objects.select_related("paper")),
                Prefetch(
                    "embedded_images",
                    queryset=EmbeddedImage.objects.select_related("image__credit_paper"),
                ),
            )
        return guides

    def get_serializer_class(self):
        return GuideDetailSerializer if self.action == "retrieve" else GuideSerializer


class WebinarFilter(filters.FilterSet):
    conference = conference_choice()
    upcoming = django_filters.ChoiceFilter(
        choices=[("true", "upcoming only"), ("false", "past only")],
        method="filter_upcoming",
        label="Upcoming (true) or past (false)",
    )

    class Meta:
        model = Webinar
        fields = []

    def filter_upcoming(self, queryset, name, value):
        today = timezone.localdate()
        return (
            queryset.filter(starts_on__gte=today) if value else queryset.filter(starts_on__lt=today)
        )


class WebinarViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = WebinarSerializer
    filterset_class = WebinarFilter
    lookup_field = "slug"

    def get_queryset(self):
        return (
            Webinar.objects.public()
            .select_related("conference", "guide")
            .order_by("starts_on", "pk")
        )
