"""The read API of guides and webinars: published guides only (DRF)."""

import django_filters
from django.db.models import Prefetch
from django.utils import timezone
from django_filters import rest_framework as filters
from rest_framework import serializers, viewsets

from guides.models import Guide, Pick, Reference, Section, Webinar
from papers.models import Authorship
from search.filters import GuideFilter, conference_choice

from .catalogue import AbsoluteUrlField, PaperSerializer


class PickSerializer(serializers.ModelSerializer):
    section = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    paper = PaperSerializer(read_only=True)
    related_papers = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)

    class Meta:
        model = Pick
        fields = ["rank", "section", "paper", "why", "key_insights", "related_papers"]


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
    url = AbsoluteUrlField()

    class Meta:
        model = Guide
        fields = [
            *("slug", "title", "conference", "standfirst", "bylines", "published_at"),
            *("updated_at", "source_url", "topics", "url"),
        ]


class GuideDetailSerializer(GuideSerializer):
    """A guide with its text (Markdown), sections, picks and references."""

    sections = SectionSerializer(many=True, read_only=True)
    picks = PickSerializer(many=True, read_only=True)
    references = ReferenceSerializer(many=True, read_only=True)

    class Meta(GuideSerializer.Meta):
        fields = [*GuideSerializer.Meta.fields, "intro", "outro", "sections", "picks", "references"]


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
            .prefetch_related("bylines", "tags")
            .order_by("-published_at", "title")
        )
        if self.action == "retrieve":
            picks = Pick.objects.select_related("section", "paper__conference").prefetch_related(
                Prefetch(
                    "paper__authorships", queryset=Authorship.objects.select_related("author")
                ),
                "paper__tags",
                "related_papers",
            )
            guides = guides.prefetch_related(
                "sections",
                Prefetch("picks", queryset=picks),
                Prefetch("references", queryset=Reference.objects.select_related("paper")),
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
