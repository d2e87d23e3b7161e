"""Filters of public lists (django-filter), shared by the reader site and the API.

Values are slugs, as in URLs (an author may also be given by name). Only what the
filters select is here; which rows are public at all is the querysets' rule
(`Guide.objects.public()`).
"""

import django_filters
from django import forms
from django.db.models import CharField, Exists, F, OuterRef, Q, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse_lazy
from drf_spectacular.utils import extend_schema_field

from guides.models import Guide
from papers.models import (
    MAX_YEAR,
    MIN_YEAR,
    Author,
    Authorship,
    Conference,
    Paper,
    Series,
    Tag,
)
from papers.widgets import QuickNumberInput, QuickSelect, QuickTextInput


@extend_schema_field({"type": "integer", "minimum": MIN_YEAR, "maximum": MAX_YEAR})
class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, **kwargs):
        super().__init__(min_value=MIN_YEAR, max_value=MAX_YEAR, widget=QuickNumberInput, **kwargs)


class OptionRows(django_filters.fields.ModelChoiceIterator):
    """A select's options as (slug, label) rows of one query, not model instances:
    as instances, the hundred conferences and topics of a page's filters cost it
    about 3 ms."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        rows = self.queryset.annotate(option_label=self.field.option_label)
        yield from rows.values_list(self.field.to_field_name, "option_label")


class OptionRowsField(django_filters.fields.ModelChoiceField):
    iterator = OptionRows

    def __init__(self, *args, option_label, **kwargs):
        self.option_label = option_label  # the objects' str() as an SQL expression
        super().__init__(*args, **kwargs)


class OptionRowsFilter(django_filters.ModelChoiceFilter):
    field_class = OptionRowsField


# str(conference), "NeurIPS 2023", in SQL.
CONFERENCE_NAME = Concat("series__short_name", Value(" "), Cast("year", CharField()))


def conference_choice(field_name="conference"):
    return OptionRowsFilter(
        field_name=field_name,
        queryset=Conference.objects.all(),
        to_field_name="slug",
        option_label=CONFERENCE_NAME,
        empty_label="Any conference",
        widget=QuickSelect,
    )


def tag_choice():
    return OptionRowsFilter(
        field_name="tags",
        queryset=Tag.objects.all(),
        to_field_name="slug",
        option_label=F("name"),
        empty_label="Any topic",
        label="Topic",
        widget=QuickSelect,
    )


# Each order matches an index of Paper (read forwards or backwards), tie-breaks included.
SORTS = {
    "-year": ["-year", "title", "pk"],
    "year": ["year", "title", "pk"],
    "title": ["title", "-year", "pk"],
    "-title": ["-title", "year", "-pk"],
}


class PaperFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="search",
        label="Title or author",
        max_length=200,
        strip=True,
        widget=QuickTextInput,
    )
    conference = conference_choice()
    year = YearFilter()
    tag = tag_choice()
    author = django_filters.CharFilter(
        method="by_author",
        label="Author",
        max_length=200,
        strip=True,
        # A list of names the page's script fills as the reader types (static/js/site.js).
        widget=QuickTextInput(
            attrs={
                "list": "author-names",
                "autocomplete": "off",
                "data-suggestions": reverse_lazy("papers:author-suggestions"),
            }
        ),
    )
    sort = django_filters.ChoiceFilter(
        label="Sort by",
        empty_label="Newest first",
        choices=[
            ("-year", "Newest first"),
            ("year", "Oldest first"),
            ("title", "Title A–Z"),
            ("-title", "Title Z–A"),
        ],
        method="order",
        widget=QuickSelect,
    )

    class Meta:
        model = Paper
        fields = []

    def order(self, queryset, name, value):
        return queryset.order_by(*SORTS[value])

    def by_author(self, queryset, name, value):
        """Papers by the authors of that name (ignoring case), or by the author of that
        slug, which links and API clients use."""
        authors = Author.objects.filter(Q(slug=value) | Q(name__iexact=value)).values("pk")
        by_them = Authorship.objects.filter(paper=OuterRef("pk"), author__in=authors)
        return queryset.filter(Exists(by_them))

    def search(self, queryset, name, value):
        by_author = Authorship.objects.filter(paper=OuterRef("pk"), author__name__icontains=value)
        return queryset.filter(Q(title__icontains=value) | Exists(by_author))


class TagFilter(django_filters.FilterSet):
    """A topic's papers, narrowed to one conference."""

    conference = conference_choice()

    class Meta:
        model = Paper
        fields = []


class GuideFilter(django_filters.FilterSet):
    series = OptionRowsFilter(
        field_name="conference__series",
        queryset=Series.objects.all(),
        to_field_name="slug",
        option_label=F("short_name"),
        empty_label="Any series",
        widget=QuickSelect,
    )
    year = YearFilter(field_name="conference__year")
    tag = tag_choice()

    class Meta:
        model = Guide
        fields = []
