"""Admin for guides: one editing page per guide, with its sections, picks and references.

Who may do what is decided here, on the server, from `guides.workflow.can_edit` and
the Editor / Contributor roles: a contributor's crafted POST meets the same rules
as the form. Every save is kept as a revision (django-reversion), with a history,
a readable diff between two revisions (django-reversion-compare) and restore.
"""

import json

import reversion
from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, F
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from reversion.models import Version
from reversion_compare.admin import CompareVersionAdmin

from papers.admin import TopicsAutocompleteMixin
from papers.models import Conference

from . import drafts, workflow
from .admin_autosave import PART_TEXTS, GuideAutosaveView, PartAutosaveView, texts_hash
from .admin_drafts import DraftActionView, DraftChangesView
from .admin_forms import (
    FigureInlineForm,
    FigureInlineFormSet,
    GuideAdminForm,
    PickInlineForm,
    PickInlineFormSet,
    PreloadedAutocompleteSelect,
    ReferenceInlineForm,
    ReferenceInlineFormSet,
    fingerprint,
)
from .admin_io import ExportGuideView, ImportGuideView
from .admin_preview import MarkdownPreviewView
from .models import Figure, Guide, Pick, Reference, Section, Status, Webinar
from .prepublish import check_guide, check_guides
from .roles import is_editor


def autosave_context(url_name, obj, fields, **state):
    """What templates/admin/guides/guide/_autosave.html needs to autosave `fields`."""
    return {
        "url": reverse(url_name, args=[obj.pk]),
        "fields": " ".join(fields),
        "state": json.dumps(state),
    }


class GuidePartPermissions:
    """Sections, picks and references may be changed by whoever may change their guide."""

    def _guide_of(self, obj):
        return obj if isinstance(obj, Guide) else getattr(obj, "guide", None)

    def _may_edit(self, request, obj):
        guide = self._guide_of(obj)
        return guide is None or workflow.can_edit(request.user, guide)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may_edit(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._may_edit(request, obj)


class GuidePartInline(GuidePartPermissions):
    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._may_edit(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = PreloadedAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class MarkdownImagesMixin:
    """Markdown text areas get an "Insert image" chooser (static/guides/admin/
    insert_image.js), which searches the media library and inserts `![](image:KEY)`,
    and the rendered result beside them (markdown_preview.js, guides.admin_preview)."""

    markdown_fields = {"intro", "outro", "why", "key_insights"}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and db_field.name in self.markdown_fields:
            field.widget.attrs["data-image-chooser"] = reverse("admin:images_image_choose")
            preview = reverse("admin:guides_guide_preview_markdown")
            field.widget.attrs["data-markdown-preview"] = preview
        return field


class FigureInline(GuidePartInline, admin.TabularInline):
    """A guide's figures: its cover, those after its intro, those under its picks."""

    model = Figure
    form = FigureInlineForm
    formset = FigureInlineFormSet
    extra = 0
    fields = ["number", "place", "pick", "image", "caption", "credit_text", "credit_url"]
    fields += ["credit_paper"]
    autocomplete_fields = ["image", "credit_paper"]

    def get_formset(self, request, obj=None, **kwargs):
        self._guide = obj  # the guide being edited, to offer only its own picks
        return super().get_formset(request, obj, **kwargs)

    def get_queryset(self, request):
        # What the read-only page of a published guide shows of each row, in one query.
        return super().get_queryset(request).select_related("pick__paper", "image", "credit_paper")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "pick":
            guide = getattr(self, "_guide", None)
            kwargs["queryset"] = Pick.objects.filter(guide=guide).select_related("paper")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class SectionInline(GuidePartInline, MarkdownImagesMixin, admin.StackedInline):
    model = Section
    extra = 0
    prepopulated_fields = {"slug": ["title"]}
    fields = ["order", "title", "slug", "intro"]


class PickInline(GuidePartInline, MarkdownImagesMixin, admin.StackedInline):
    model = Pick
    form = PickInlineForm
    formset = PickInlineFormSet
    extra = 0
    autocomplete_fields = ["paper", "related_papers"]
    fields = ["rank", "section", "paper", "why", "key_insights", "related_papers"]
    classes = ["sortable-picks"]

    def get_formset(self, request, obj=None, **kwargs):
        self._guide = obj  # the guide being edited, to offer only its own sections
        return super().get_formset(request, obj, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "section":
            kwargs["queryset"] = Section.objects.filter(guide=getattr(self, "_guide", None))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ReferenceInline(GuidePartInline, admin.TabularInline):
    model = Reference
    form = ReferenceInlineForm
    formset = ReferenceInlineFormSet
    extra = 0
    autocomplete_fields = ["paper"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("paper")


class ConferenceFilter(admin.RelatedFieldListFilter):
    """The conferences to filter by, named with their series in one query (the default
    asks for each conference's series in turn)."""

    def field_choices(self, field, request, model_admin):
        conferences = Conference.objects.select_related("series").order_by("-year", "slug")
        return [(conference.pk, str(conference)) for conference in conferences]


DRAFT_PUBLICATION = (
    "Publish the changes now: choose “Published” and leave the time empty. Schedule "
    "them: choose “Published” and a future time; they go live by themselves at that time."
)


@admin.register(Guide)
class GuideAdmin(TopicsAutocompleteMixin, MarkdownImagesMixin, CompareVersionAdmin):
    form = GuideAdminForm
    list_display = ["title", "conference", "status_label", "published_at", "pick_count"]
    list_display += ["check_summary"]
    list_filter = ["status", ("conference", ConferenceFilter), "bylines"]
    search_fields = ["title", "standfirst", "slug"]
    list_select_related = ["conference__series"]
    autocomplete_fields = ["conference", "bylines"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "published_at"
    ordering = ["-published_at", "title"]
    inlines = [SectionInline, PickInline, FigureInline, ReferenceInline]
    # Once saved, a guide's page lists its sections and picks compactly (PickOrder);
    # each opens on a page of its own. A long guide's page stays light.
    change_inlines = [FigureInline, ReferenceInline]
    actions = ["publish_now", "unpublish", "submit_for_review"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "slug",
                    "conference",
                    "bylines",
                    "tags",
                    "seen_version",
                    "seen_fingerprint",
                ]
            },
        ),
        (
            "Publication",
            {
                "fields": [
                    "checks",
                    "status",
                    "published_at",
                    "publish_despite_problems",
                    "updated_at",
                    "source_url",
                    "comments_open",
                ],
                "description": "Publish now: choose “Published” and leave the time empty. "
                "Schedule: choose “Published” and a future time; the guide appears by itself "
                "at that time. Back to “Draft” unpublishes it.",
            },
        ),
        ("Text", {"fields": ["standfirst", "intro", "outro"]}),
    ]
    readonly_fields = ["updated_at", "checks"]

    class Media:
        js = [
            *("guides/admin/pick_order.js", "guides/admin/pick_list.js"),
            *("guides/admin/insert_image.js", "guides/admin/markdown_preview.js"),
            "guides/admin/autosave.js",
        ]
        css = {
            "all": [
                *("guides/admin/pick_order.css", "guides/admin/insert_image.css"),
                "guides/admin/markdown_preview.css",
                "guides/admin/drafts.css",
            ]
        }

    def get_queryset(self, request):
        """Guides, each with its draft of changes if it has one; drafts themselves are
        reached through their guide (`get_object`), never listed."""
        return self.guides_and_drafts(request).filter(draft_of__isnull=True)

    def guides_and_drafts(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                pick_count=Count("picks"),
                draft_pk=F("draft__pk"),
                draft_status=F("draft__status"),
                draft_published_at=F("draft__published_at"),
            )
        )

    def get_object(self, request, object_id, from_field=None):
        try:
            return self.guides_and_drafts(request).select_related("draft_of").get(pk=int(object_id))
        except (Guide.DoesNotExist, ValueError):
            return None

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        drafts.publish_due_drafts()  # a scheduled draft shows as published on time here too
        return super().changeform_view(request, object_id, form_url, extra_context)

    def changelist_view(self, request, extra_context=None):
        drafts.publish_due_drafts()
        return super().changelist_view(request, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["draft_panel"] = self.draft_panel(request, obj)
            if self.has_change_permission(request, obj):
                context["autosave"] = autosave_context(
                    "admin:guides_guide_autosave",
                    obj,
                    ["title", "standfirst", "intro", "outro"],
                    seen_version=obj.version,
                    seen_fingerprint=json.dumps(fingerprint(obj)),
                )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def draft_panel(self, request, guide):
        """What the page says and offers about unpublished changes: on a published
        guide, its draft (or a button to start one); on a draft, the guide it changes."""
        live = guide.draft_of if guide.draft_of_id else guide
        draft = guide if guide.draft_of_id else getattr(guide, "draft", None)
        if draft is None and not guide.is_live:
            return None
        return {
            "live": live,
            "draft": draft,
            "on_draft": guide is draft,
            "may_start": live.is_live and workflow.can_manage(request.user, live),
            "may_publish": is_editor(request.user),
            "may_discard": draft is not None and workflow.can_manage(request.user, draft),
            "problems": check_guide(draft).count if draft is not None else 0,
        }

    def get_fieldsets(self, request, obj=None):
        (main, main_options), (publication, publication_options), *rest = self.fieldsets
        if obj is not None and obj.draft_of_id:
            # A draft of changes keeps its guide's address: its own slug is internal.
            fields = [field for field in main_options["fields"] if field != "slug"]
            main_options = {**main_options, "fields": fields}
            publication_options = {**publication_options, "description": DRAFT_PUBLICATION}
        elif obj is not None and obj.is_live:  # read-only: nothing to choose here
            publication_options = {**publication_options, "description": ""}
        return [(main, main_options), (publication, publication_options), *rest]

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj is not None and obj.draft_of_id else self.prepopulated_fields

    def get_inlines(self, request, obj):
        return self.change_inlines if obj is not None else self.inlines

    @admin.display(ordering="pick_count", description="picks")
    def pick_count(self, guide):
        return guide.pick_count

    def get_changelist_instance(self, request):
        """The list, each guide with its checks: one batch for the page (guides.prepublish)."""
        changelist = super().get_changelist_instance(request)
        changelist.result_list = list(changelist.result_list)
        reports = check_guides(changelist.result_list)
        for guide in changelist.result_list:
            guide.prepublish = reports[guide.pk]
        return changelist

    @admin.display(description="before publishing")
    def check_summary(self, guide):
        report = guide.prepublish
        length = f"{report.words:,} words, {report.reading_minutes} min"
        if not report:
            return format_html("✓ · {}", length)
        return format_html(
            '<span class="prepublish-problems">{} problem{}</span> · {}',
            report.count,
            "" if report.count == 1 else "s",
            length,
        )

    @admin.display(description="before publishing")
    def checks(self, guide):
        if not guide.pk:
            return "Checked once the guide is saved."
        report = check_guide(guide)
        length = f"{report.words:,} words, about {report.reading_minutes} min of reading."
        if not report:
            return format_html("No problems found. {}", length)
        items = format_html_join(
            "",
            "<li>{}: {}</li>",
            ((problem.message, "; ".join(problem.places)) for problem in report.problems),
        )
        return format_html('<ul class="prepublish-problems">{}</ul><p>{}</p>', items, length)

    @admin.display(ordering="status", description="status")
    def status_label(self, guide):
        if guide.is_scheduled():
            label = format_html("Scheduled for {}", timezone.localtime(guide.published_at))
        else:
            label = guide.get_status_display()
        if guide.draft_pk is None:
            return label
        if guide.draft_status == Status.PUBLISHED and guide.draft_published_at:
            when = timezone.localtime(guide.draft_published_at)
            return format_html("{}, with changes scheduled for {}", label, when)
        return format_html("{}, with unpublished changes", label)

    # --- permissions ---------------------------------------------------------

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or workflow.can_edit(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or workflow.can_manage(request.user, obj))

    def has_publish_permission(self, request):
        return is_editor(request.user)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.may_publish = is_editor(request.user)
        return form

    def view_on_site(self, guide):
        return guide.get_absolute_url() if guide.is_public() else guide.get_preview_url()

    # --- saving --------------------------------------------------------------

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        else:
            obj.version = (form.cleaned_data.get("seen_version") or obj.version) + 1
        previous = Guide.objects.filter(pk=obj.pk).values_list("status", flat=True).first()
        form.previous_status = previous
        workflow.apply_status_change(obj, previous)
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        if formset.model in workflow.NUMBER_FIELDS:
            # Changed and deleted rows step aside, so new numbers never collide on save.
            moving = [
                f.instance.pk
                for f in formset.initial_forms
                if f.has_changed() or f in formset.deleted_forms
            ]
            workflow.move_numbers_aside(formset.model.objects.filter(pk__in=moving))
        super().save_formset(request, form, formset, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if form.pick_order:
            workflow.reorder_picks(form.pick_order.changes())
        self.hold_back_unless_confirmed(request, form)
        guide = form.instance
        due = guide.status == Status.PUBLISHED and guide.published_at <= timezone.now()
        if guide.draft_of_id and due:  # a later time: published then (drafts.publish_due_drafts)
            form.published_into = drafts.publish_draft(guide, request.user)

    def response_change(self, request, obj):
        live = getattr(self._form_of(request), "published_into", None)
        if live is None:
            return super().response_change(request, obj)
        self.message_user(request, f"Published the changes to “{live}”.", messages.SUCCESS)
        return redirect(reverse("admin:guides_guide_change", args=[live.pk]))

    def _form_of(self, request):
        return getattr(request, "_guide_form", None)

    def save_form(self, request, form, change):
        request._guide_form = form  # for response_change, which is not given it
        return super().save_form(request, form, change)

    def hold_back_unless_confirmed(self, request, form):
        """Publishing (now or scheduled) a guide with problems needs them confirmed;
        checked on what was just saved, inlines included."""
        guide, previous = form.instance, form.previous_status
        if guide.status != Status.PUBLISHED or previous == Status.PUBLISHED:
            return
        report = check_guide(guide)
        if not report or form.cleaned_data.get("publish_despite_problems"):
            return
        workflow.hold_back(guide, previous or Status.DRAFT)
        self.message_user(
            request,
            f"Saved, but not published: {report.count} problem(s) listed under “Before "
            "publishing”. Fix them, or tick “Publish even with the problems listed” and "
            "save again.",
            messages.WARNING,
        )

    # --- revisions -----------------------------------------------------------

    def revision_view(self, request, object_id, version_id, extra_context=None):
        """Restore a revision: move the current picks and references out of the way first,
        so the restored numbers never collide; kept only if the restore is saved. A
        published guide is restored into a draft of changes instead."""
        guide = self.get_object(request, object_id)
        if guide is not None and guide.is_live:
            return self.restore_into_draft(request, guide, version_id)
        if guide is None or not self.has_change_permission(request, guide):
            raise PermissionDenied
        with transaction.atomic():
            workflow.move_all_numbers_aside(guide)
            response = super().revision_view(request, object_id, version_id, extra_context)
            if not (request.method == "POST" and response.status_code == 302):
                transaction.set_rollback(True)
        return response

    def restore_into_draft(self, request, guide, version_id):
        """Confirm (GET), then make a draft of changes holding the published guide as it
        was in that revision (POST); readers see it once the draft is published."""
        if not workflow.can_manage(request.user, guide):
            raise PermissionDenied
        version = get_object_or_404(
            Version.objects.get_for_object(guide).select_related("revision__user"),
            pk=version_id,
        )
        draft = Guide.objects.filter(draft_of=guide).first()
        if request.method == "POST" and draft is None:
            try:
                draft = drafts.draft_from_revision(guide, version.revision, request.user)
            except drafts.DraftExists:
                pass  # started by someone else meanwhile: say so below
            except drafts.RevisionGone:
                self.message_user(
                    request,
                    "This revision names papers or images that have been deleted since: "
                    "it cannot be restored.",
                    messages.ERROR,
                )
                return redirect(reverse("admin:guides_guide_history", args=[guide.pk]))
            else:
                when = timezone.localtime(version.revision.date_created)
                self.message_user(
                    request,
                    f"This draft holds the guide as it was on {when:%d %b %Y %H:%M}. Readers "
                    "see the published guide until you publish the draft.",
                    messages.SUCCESS,
                )
                return redirect(reverse("admin:guides_guide_change", args=[draft.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": Guide._meta,
            "original": guide,
            "version": version,
            "draft": Guide.objects.filter(draft_of=guide).first(),
            "title": f"Restore “{guide}” as it was",
        }
        return TemplateResponse(request, "admin/guides/guide/restore_into_draft.html", context)

    # --- actions -------------------------------------------------------------

    @admin.action(description="Publish the selected guides now", permissions=["publish"])
    def publish_now(self, request, queryset):
        """Guides with problems are left out: each needs its problems confirmed on its page."""
        now = timezone.now()
        reports = check_guides(list(queryset))
        held = [guide for guide in queryset if reports[guide.pk] and not guide.is_public(now)]
        published = 0
        for guide in queryset:
            if not guide.is_public(now) and not reports[guide.pk]:
                guide.status, guide.published_at, guide.updated_at = Status.PUBLISHED, now, None
                guide.save(update_fields=["status", "published_at", "updated_at"])
                published += 1
        self.message_user(request, f"Published {published} guide(s).", messages.SUCCESS)
        if held:
            self.message_user(
                request,
                "Not published, because of problems to confirm on their pages: "
                + ", ".join(f"“{guide}”" for guide in held),
                messages.WARNING,
            )

    @admin.action(
        description="Unpublish the selected guides (back to draft)", permissions=["publish"]
    )
    def unpublish(self, request, queryset):
        count = workflow.unpublish(list(queryset.values_list("pk", flat=True)))
        self.message_user(request, f"Unpublished {count} guide(s).", messages.SUCCESS)

    @admin.action(description="Submit the selected drafts for review", permissions=["change"])
    def submit_for_review(self, request, queryset):
        editable = [
            g.pk for g in queryset.filter(status=Status.DRAFT) if workflow.can_edit(request.user, g)
        ]
        count = Guide.objects.filter(pk__in=editable).update(status=Status.IN_REVIEW)
        self.message_user(request, f"Submitted {count} guide(s) for review.", messages.SUCCESS)

    # --- import / export -----------------------------------------------------

    def get_urls(self):
        return [
            path(
                "preview/markdown/",
                self.admin_site.admin_view(MarkdownPreviewView.as_view(model_admin=self)),
                name="guides_guide_preview_markdown",
            ),
            path(
                "<int:object_id>/do/<slug:action>/",
                self.admin_site.admin_view(DraftActionView.as_view(model_admin=self)),
                name="guides_guide_do",
            ),
            path(
                "<int:object_id>/autosave/",
                self.admin_site.admin_view(GuideAutosaveView.as_view(model_admin=self)),
                name="guides_guide_autosave",
            ),
            path(
                "<int:object_id>/changes/",
                self.admin_site.admin_view(DraftChangesView.as_view(model_admin=self)),
                name="guides_guide_changes",
            ),
            path(
                "import/",
                self.admin_site.admin_view(ImportGuideView.as_view(model_admin=self)),
                name="guides_guide_import",
            ),
            path(
                "<path:object_id>/export/",
                self.admin_site.admin_view(ExportGuideView.as_view(model_admin=self)),
                name="guides_guide_export",
            ),
            *super().get_urls(),
        ]


class GuidePartAdmin(GuidePartPermissions, admin.ModelAdmin):
    """A section, pick or reference on its own page: its guide's rules apply, a save is a
    revision of the guide (its history lists it), and saving returns to the guide."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "guide" and not is_editor(request.user):
            kwargs["queryset"] = Guide.objects.filter(status=Status.DRAFT, created_by=request.user)
        if db_field.name == "section":  # only the sections of the part's own guide
            kwargs["queryset"] = Section.objects.filter(guide=self._guide_of_page(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _guide_of_page(self, request):
        """The guide of the part on this page, or the one the add page was opened for."""
        object_id = request.resolver_match.kwargs.get("object_id")
        if object_id:
            return Guide.objects.filter(**{f"{self.model._meta.model_name}s": object_id}).first()
        guide_id = request.GET.get("guide", "")
        return Guide.objects.filter(pk=guide_id).first() if guide_id.isdigit() else None

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        with reversion.create_revision():
            reversion.set_user(request.user)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        reversion.set_comment(f"{'Changed' if change else 'Added'} {obj} on its own page.")
        reversion.add_to_revision(obj.guide)

    def response_add(self, request, obj, post_url_continue=None):
        return self._back_to_guide(request, obj) or super().response_add(request, obj)

    def response_change(self, request, obj):
        return self._back_to_guide(request, obj) or super().response_change(request, obj)

    def _back_to_guide(self, request, obj):
        if (
            "_continue" in request.POST
            or "_addanother" in request.POST
            or IS_POPUP_VAR in request.POST
        ):
            return None
        self.message_user(request, f"Saved “{obj}”.", messages.SUCCESS)
        return redirect(reverse("admin:guides_guide_change", args=[obj.guide_id]) + "#picks")


class PartTextsAdmin(MarkdownImagesMixin, GuidePartAdmin):
    """A pick's or section's page: its Markdown texts with the image chooser, their
    preview beside them, and autosave (guides.admin_autosave)."""

    class Media:
        js = [
            *("guides/admin/insert_image.js", "guides/admin/markdown_preview.js"),
            "guides/admin/autosave.js",
        ]
        css = {
            "all": [
                *("guides/admin/insert_image.css", "guides/admin/markdown_preview.css"),
                "guides/admin/drafts.css",
            ]
        }

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and self.has_change_permission(request, obj):
            context["autosave"] = autosave_context(
                f"admin:guides_{self.model._meta.model_name}_autosave",
                obj,
                PART_TEXTS[self.model],
                seen_texts=texts_hash(obj),
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_urls(self):
        return [
            path(
                "<int:object_id>/autosave/",
                self.admin_site.admin_view(PartAutosaveView.as_view(model_admin=self)),
                name=f"guides_{self.model._meta.model_name}_autosave",
            ),
            *super().get_urls(),
        ]


@admin.register(Section)
class SectionAdmin(PartTextsAdmin):
    list_display = ["title", "guide", "order"]
    list_filter = ["guide"]
    search_fields = ["title", "guide__title"]
    list_select_related = ["guide"]
    autocomplete_fields = ["guide"]
    prepopulated_fields = {"slug": ["title"]}


class PickFigureInline(GuidePartInline, admin.TabularInline):
    model = Figure
    fk_name = "pick"
    form = FigureInlineForm
    formset = FigureInlineFormSet
    extra = 0
    fields = ["number", "image", "caption", "credit_text", "credit_url", "credit_paper"]
    autocomplete_fields = ["image", "credit_paper"]


@admin.register(Pick)
class PickAdmin(PartTextsAdmin):
    list_display = ["__str__", "guide", "section"]
    list_filter = ["guide"]
    search_fields = ["paper__title", "guide__title", "why", "key_insights"]
    list_select_related = ["guide", "section", "paper"]
    autocomplete_fields = ["guide", "paper", "related_papers"]
    inlines = [PickFigureInline]


class AwaitingImageFilter(admin.SimpleListFilter):
    title = "image"
    parameter_name = "awaiting"

    def lookups(self, request, model_admin):
        return [("yes", "Awaiting an image"), ("no", "With an image")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.awaiting_image()
        if self.value() == "no":
            return queryset.shown()
        return queryset


@admin.register(Figure)
class FigureAdmin(GuidePartAdmin):
    """Every figure of every guide; "Awaiting an image" lists those an editor still has
    to attach a file to (the seed's captions, for one)."""

    list_display = ["__str__", "guide", "place", "caption_start", "has_image"]
    list_filter = [AwaitingImageFilter, "place", "guide"]
    search_fields = ["caption", "credit_text", "guide__title", "image__title"]
    list_select_related = ["guide", "pick", "image"]
    autocomplete_fields = ["guide", "image", "credit_paper"]

    @admin.display(description="caption")
    def caption_start(self, figure):
        return (figure.shown_caption or figure.credit_text)[:80]

    @admin.display(description="image", boolean=True)
    def has_image(self, figure):
        return figure.image_id is not None


@admin.register(Reference)
class ReferenceAdmin(GuidePartAdmin):
    list_display = ["__str__", "guide"]
    list_filter = ["guide"]
    search_fields = ["text", "guide__title"]
    list_select_related = ["guide"]
    autocomplete_fields = ["guide", "paper"]


@admin.register(Webinar)
class WebinarAdmin(admin.ModelAdmin):
    list_display = ["title", "conference", "starts_on", "starts_at", "time_zone"]
    list_filter = ["conference"]
    search_fields = ["title", "description"]
    list_select_related = ["conference__series"]
    autocomplete_fields = ["guide", "conference"]
    prepopulated_fields = {"slug": ["title"]}
