"""Admin for the catalogue: searchable lists and autocomplete for editors."""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelectMultiple, RelatedFieldWidgetWrapper
from django.db.models import Count, Q
from django.urls import path
from taggit.managers import TaggableManager
from taggit.models import Tag as TaggitDefaultTag

from .admin_import import ImportPapersView
from .identifiers import identify
from .models import CONFERENCE_STATS, Author, Authorship, Conference, Paper, Series, Tag

# Papers and guides use the catalogue's own Tag (below); taggit's default stays empty.
admin.site.unregister(TaggitDefaultTag)


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin):
    list_display = ["short_name", "name", "website"]
    search_fields = ["short_name", "name"]
    prepopulated_fields = {"slug": ["short_name"]}


@admin.register(Conference)
class ConferenceAdmin(admin.ModelAdmin):
    list_display = ["__str__", "year", "starts_on", "location", "is_virtual", "accepted_papers"]
    list_filter = ["series", "year", "is_virtual"]
    search_fields = ["slug", "series__short_name", "series__name", "location"]
    list_select_related = ["series"]
    autocomplete_fields = ["series"]
    fieldsets = [
        (None, {"fields": ["series", "year", "slug", "website"]}),
        ("When and where", {"fields": ["starts_on", "ends_on", "location", "is_virtual"]}),
        (
            "Figures guides quote",
            {
                "description": "Leave a figure empty when no source states it. "
                "Use “at least” for “15k+” or “more than a thousand”.",
                "fields": [(field, f"{field}_approximation") for field, _, _ in CONFERENCE_STATS],
            },
        ),
    ]


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "affiliation", "paper_count"]
    search_fields = ["name", "affiliation"]
    ordering = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(paper_count=Count("authorships"))

    @admin.display(ordering="paper_count", description="papers")
    def paper_count(self, author):
        return author.paper_count


class AuthorshipInline(admin.TabularInline):
    model = Authorship
    autocomplete_fields = ["author"]
    extra = 1
    ordering = ["position"]


class TopicsAutocompleteMixin:
    """Topics (taggit tags) chosen with the admin's autocomplete, instead of typed as
    comma-separated text, with "+" to create a topic on the spot."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if not isinstance(db_field, TaggableManager):
            return super().formfield_for_dbfield(db_field, request, **kwargs)
        widget = AutocompleteSelectMultiple(db_field, self.admin_site)
        tag_admin = self.admin_site._registry[Tag]
        return forms.ModelMultipleChoiceField(
            queryset=Tag.objects.all(),
            required=False,
            label="Topics",
            widget=RelatedFieldWidgetWrapper(
                widget,
                db_field.remote_field,
                self.admin_site,
                can_add_related=tag_admin.has_add_permission(request),
            ),
        )


@admin.register(Paper)
class PaperAdmin(TopicsAutocompleteMixin, admin.ModelAdmin):
    list_display = ["title", "conference", "year", "authors_et_al"]
    list_filter = ["conference", "year", "tags"]
    search_fields = ["title", "slug", "authorships__author__name", "tldr"]
    list_select_related = ["conference__series"]
    autocomplete_fields = ["conference"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [AuthorshipInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "conference", "year", "authors_et_al", "tags"]}),
        ("Content", {"fields": ["tldr", "abstract"]}),
        ("Links", {"fields": ["paper_url", "code_url", "poster_url", "project_url", "video_url"]}),
        (
            "Identifiers",
            {
                "fields": ["arxiv_id", "doi", "openreview_id"],
                "description": "Filled from the paper's link when it names one.",
            },
        ),
        ("Citations", {"fields": ["citation_count", "citations_counted_on"]}),
    ]

    def get_search_results(self, request, queryset, search_term):
        """Title words and authors' names, as usual; a pasted arXiv id or URL, DOI or
        OpenReview URL finds its paper exactly (the pick's paper autocomplete too)."""
        found = identify(search_term)
        if found is None:
            return super().get_search_results(request, queryset, search_term)
        kind, identifier = found
        field = Paper.IDENTIFIER_FIELDS[kind]
        matches = Q(**{field: identifier}) | Q(paper_url__icontains=identifier)
        return queryset.filter(matches), False

    def get_urls(self):
        view = ImportPapersView.as_view(model_admin=self)
        return [
            path("import/", self.admin_site.admin_view(view), name="papers_paper_import"),
            *super().get_urls(),
        ]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "paper_count"]
    search_fields = ["name"]
    ordering = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    @admin.display(ordering="paper_count", description="papers")
    def paper_count(self, tag):
        return tag.paper_count
