"""The search page: results from every kind of public content, best first (full text
and closeness in meaning, fused: discovery.hybrid)."""

from django import forms

from discovery import hybrid
from papers.models import Conference
from papers.widgets import QuickSelect, QuickTextInput
from search import queries
from search.filters import CONFERENCE_NAME, OptionRowsField

from ..listing import PaginatedListView, remember_options


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Search for", required=False, widget=QuickTextInput
    )  # long queries are cut, not refused
    kind = forms.ChoiceField(
        label="Show",
        required=False,
        choices=[("", "Everything"), *queries.KINDS.items()],
        widget=QuickSelect,
    )
    conference = OptionRowsField(
        queryset=Conference.objects.all(),
        to_field_name="slug",
        option_label=CONFERENCE_NAME,
        required=False,
        empty_label="Any conference",
        widget=QuickSelect,
    )


class SearchView(PaginatedListView):
    template_name = "guides/search.html"
    paginate_by = 20

    def get(self, request, *args, **kwargs):
        self.form = SearchForm(request.GET)
        remember_options(self.form)
        response = super().get(request, *args, **kwargs)
        if not self.form.is_valid():
            response.status_code = 400
        return response

    def get_queryset(self):
        if not self.form.is_valid():
            return []
        data = self.form.cleaned_data
        kinds = [data["kind"]] if data["kind"] else None
        return hybrid.search(data["q"], kinds=kinds, conference=data["conference"])

    def get_context_data(self, **kwargs):
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            form=self.form,
            query=queries.clean_query(self.request.GET.get("q", "")),
            query_without_page=query.urlencode(),
            **kwargs,
        )
