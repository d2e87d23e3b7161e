"""Admin for guides: one editing page per guide with its sections, picks and references.

The full editorial workflow (roles, review, scheduling, revisions) builds on this.
"""

from django.contrib import admin
from django.db.models import Count

from .models import Guide, Pick, Reference, Section, Webinar


class SectionInline(admin.StackedInline):
    model = Section
    extra = 0
    prepopulated_fields = {"slug": ["title"]}
    fields = ["order", "title", "slug", "intro"]


class PickInline(admin.StackedInline):
    model = Pick
    extra = 0
    autocomplete_fields = ["paper", "related_papers"]
    fields = ["rank", "section", "paper", "why", "key_insights", "related_papers"]

    def get_formset(self, request, obj=None, **kwargs):
        self._guide = obj  # the guide being edited, to offer only its own sections
        return super().get_formset(request, obj, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "section":
            kwargs["queryset"] = Section.objects.filter(guide=getattr(self, "_guide", None))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ReferenceInline(admin.TabularInline):
    model = Reference
    extra = 0
    autocomplete_fields = ["paper"]


@admin.register(Guide)
class GuideAdmin(admin.ModelAdmin):
    list_display = ["title", "conference", "status", "published_at", "pick_count"]
    list_filter = ["status", "conference", "bylines"]
    search_fields = ["title", "standfirst", "slug"]
    list_select_related = ["conference__series"]
    autocomplete_fields = ["conference", "bylines"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "published_at"
    inlines = [SectionInline, PickInline, ReferenceInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "conference", "bylines", "tags"]}),
        ("Publication", {"fields": ["status", "published_at", "updated_at", "source_url"]}),
        ("Text", {"fields": ["standfirst", "intro", "outro"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(pick_count=Count("picks"))

    @admin.display(ordering="pick_count", description="picks")
    def pick_count(self, guide):
        return guide.pick_count


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["title", "guide", "order"]
    list_filter = ["guide"]
    search_fields = ["title", "guide__title"]
    list_select_related = ["guide"]
    autocomplete_fields = ["guide"]


@admin.register(Pick)
class PickAdmin(admin.ModelAdmin):
    list_display = ["__str__", "guide", "section"]
    list_filter = ["guide"]
    search_fields = ["paper__title", "guide__title", "why", "key_insights"]
    list_select_related = ["guide", "section", "paper"]
    autocomplete_fields = ["guide", "paper", "related_papers"]


@admin.register(Webinar)
class WebinarAdmin(admin.ModelAdmin):
    list_display = ["title", "conference", "starts_on", "starts_at", "time_zone"]
    list_filter = ["conference"]
    search_fields = ["title", "description"]
    list_select_related = ["conference__series"]
    autocomplete_fields = ["guide", "conference"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(Reference)
class ReferenceAdmin(admin.ModelAdmin):
    list_display = ["__str__", "guide"]
    list_filter = ["guide"]
    search_fields = ["text", "guide__title"]
    list_select_related = ["guide"]
    autocomplete_fields = ["guide", "paper"]
