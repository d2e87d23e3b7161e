"""The read API of the catalogue: conferences, papers, authors and topics (DRF)."""

from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets

from papers.models import CONFERENCE_STATS, Author, Conference, Paper, Tag, format_stat
from search.filters import PaperFilter

from .images import PictureField

# What a paper's or conference's picture needs, fetched with it.
PICTURE = ("picture__image__credit_paper",)


@extend_schema_field(OpenApiTypes.URI)
class AbsoluteUrlField(serializers.Field):
    """The public page of the object, as an absolute URL."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, obj):
        return self.context["request"].build_absolute_uri(obj.get_absolute_url())


class StatSerializer(serializers.Serializer):
    name = serializers.CharField()
    value = serializers.IntegerField()
    approximation = serializers.CharField(help_text="'', 'about' or 'at_least'.")
    display = serializers.CharField(help_text="As guides quote it: 2,334 / about 10,000 / 15,000+.")


class ConferenceSerializer(serializers.ModelSerializer):
    series = serializers.CharField(source="series.short_name")
    name = serializers.CharField(source="__str__")
    stats = serializers.SerializerMethodField()
    picture = PictureField()
    url = AbsoluteUrlField()

    class Meta:
        model = Conference
        fields = [
            *("slug", "name", "series", "year", "starts_on", "ends_on", "location"),
            *("is_virtual", "website", "stats", "picture", "url"),
        ]

    @extend_schema_field(StatSerializer(many=True))
    def get_stats(self, conference):
        return [
            {
                "name": field,
                "value": getattr(conference, field),
                "approximation": getattr(conference, f"{field}_approximation"),
                "display": format_stat(
                    getattr(conference, field), getattr(conference, f"{field}_approximation")
                ),
            }
            for field, _, _ in CONFERENCE_STATS
            if getattr(conference, field) is not None
        ]


class AuthorSerializer(serializers.ModelSerializer):
    url = AbsoluteUrlField()

    class Meta:
        model = Author
        fields = ["slug", "name", "homepage", "affiliation", "url"]


class AuthorRefSerializer(serializers.Serializer):
    slug = serializers.CharField(source="author.slug")
    name = serializers.CharField(source="author.name")


class PaperSerializer(serializers.ModelSerializer):
    conference = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    authors = AuthorRefSerializer(source="authorships", many=True, read_only=True)
    topics = serializers.SlugRelatedField(
        source="tags", slug_field="name", many=True, read_only=True
    )
    picture = PictureField()
    url = AbsoluteUrlField()

    class Meta:
        model = Paper
        fields = [
            *("slug", "title", "conference", "year", "authors", "authors_et_al", "tldr"),
            *("abstract", "paper_url", "code_url", "poster_url", "project_url", "video_url"),
            *("arxiv_id", "doi", "openreview_id", "citation_count", "citations_counted_on"),
            *("topics", "picture", "url"),
        ]


class TagSerializer(serializers.ModelSerializer):
    paper_count = serializers.IntegerField(read_only=True)
    url = AbsoluteUrlField()

    class Meta:
        model = Tag
        fields = ["slug", "name", "paper_count", "url"]


class ConferenceViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Conference.objects.select_related("series", *PICTURE).order_by("-year", "slug")
    serializer_class = ConferenceSerializer
    lookup_field = "slug"


class PaperViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Paper.objects.with_authors().select_related(*PICTURE)
    serializer_class = PaperSerializer
    filterset_class = PaperFilter
    lookup_field = "slug"


class AuthorFilter(filters.FilterSet):
    q = filters.CharFilter(field_name="name", lookup_expr="icontains", max_length=200)

    class Meta:
        model = Author
        fields = []


class AuthorViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Author.objects.order_by("name", "pk")
    serializer_class = AuthorSerializer
    filterset_class = AuthorFilter
    lookup_field = "slug"


class TagViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Tag.objects.order_by("name")  # paper_count is stored
    serializer_class = TagSerializer
    lookup_field = "slug"
