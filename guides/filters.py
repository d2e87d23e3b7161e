import django_filters

from papers.filters import YearFilter, tag_choice
from papers.models import Series
from papers.widgets import QuickSelect

from .models import Guide


class GuideFilter(django_filters.FilterSet):
    series = django_filters.ModelChoiceFilter(
        field_name="conference__series",
        queryset=Series.objects.all(),
        to_field_name="slug",
        empty_label="Any series",
        widget=QuickSelect,
    )
    year = YearFilter(field_name="conference__year")
    tag = tag_choice()

    class Meta:
        model = Guide
        fields = []
