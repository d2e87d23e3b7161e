"""List pages: pagination and filters that answer bad parameters with a 400, not a 500.

A reader who edits the URL by hand (page 0, page 10**9, ?year=abc) gets a 400 page
saying the request was not understood, with the filters still on it.
"""

from django.core.exceptions import BadRequest
from django.core.paginator import InvalidPage
from django.db.models import Count, Subquery
from django.db.models.functions import Coalesce
from django.views.generic import ListView
from django_filters.views import FilterView

from papers.widgets import QuickSelect, options_of
from search.filters import OptionRowsField

from .page_cache import remembered


class PaginatedListView(ListView):
    paginate_by = 24

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size, allow_empty_first_page=True)
        known = self.known_count()
        if known is not None:
            paginator.count = known  # instead of a COUNT over the queryset's joins
        try:
            page = paginator.page(self.request.GET.get("page") or 1)
        except InvalidPage as error:
            raise BadRequest(f"No such page: {error}") from error
        return paginator, page, page.object_list, page.has_other_pages()

    def known_count(self):
        """The number of objects, when a cheaper query than the list's COUNT tells."""
        return None


class FilteredListView(FilterView, PaginatedListView):
    """A django-filter list; an invalid filter value renders the form's errors with a 400.
    Its selects' options are read once per site revision (`remember_options`)."""

    def get_filterset(self, filterset_class):
        filterset = super().get_filterset(filterset_class)
        remember_options(filterset.form)
        return filterset

    def unfiltered(self):
        """Whether no filter narrows the list (a sort may be chosen): a stored count of
        every item can then stand for the list's COUNT."""
        form = self.filterset.form
        return not self.filterset.is_bound or (
            form.is_valid() and not any(v for k, v in form.cleaned_data.items() if k != "sort")
        )

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if self.filterset.is_bound and not self.filterset.is_valid():
            response.status_code = 400
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query_without_page"] = query.urlencode()
        return context


def remember_options(form):
    """Render `form`'s selects of rows (every conference, every topic) with the options
    this process read and escaped at the current site revision: the widgets render
    them; a field still checks a value given in a query."""
    for name, field in form.fields.items():
        if isinstance(field, OptionRowsField) and isinstance(field.widget, QuickSelect):
            # By name: django-filter makes a new form class for every filter set.
            key = ("options", type(form).__name__, name)
            field.widget.options = remembered(key, lambda field=field: options_of(field.choices))


def count_of(rows, key):
    """The number of `rows` (filtered on `key` by an OuterRef), 0 when none: a subquery
    per listed item, using the index on `key`, instead of a join and GROUP BY over
    every row (which, with two such counts, multiplies the rows)."""
    counted = rows.order_by().values(key).annotate(n=Count("*")).values("n")
    return Coalesce(Subquery(counted), 0)
