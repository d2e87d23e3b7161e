"""The buttons of a published guide's page: start, publish or discard its draft of
changes (guides.drafts), unpublish it; and the page comparing a draft with the live
guide. Each checks its own right on the server."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views import View

from . import drafts, workflow
from .models import Guide, Status
from .prepublish import check_guide
from .roles import is_editor


def guide_page(guide):
    return redirect(reverse("admin:guides_guide_change", args=[guide.pk]))


class GuideAdminView(View):
    model_admin = None

    def guide(self, object_id):
        """The guide named in the address: a published guide, never a draft itself."""
        return get_object_or_404(Guide.objects.select_related("draft"), pk=object_id)


class DraftActionView(GuideAdminView):
    ACTIONS = {"start", "publish", "discard", "unpublish"}

    def post(self, request, object_id, action):
        if action not in self.ACTIONS:
            raise Http404
        guide = self.guide(object_id)
        return getattr(self, action)(request, guide)

    def get(self, request, *args, **kwargs):
        return HttpResponseNotAllowed(["POST"])

    def start(self, request, guide):
        if not guide.is_live or not workflow.can_manage(request.user, guide):
            raise PermissionDenied
        draft = drafts.start_draft(guide, request.user)
        messages.info(
            request,
            "You are editing a draft of changes: readers keep seeing the published guide "
            "until the draft is published.",
        )
        return guide_page(draft)

    def publish(self, request, guide):
        draft = self._draft_of(guide)
        if not is_editor(request.user):
            raise PermissionDenied
        report = check_guide(draft)
        if report and not request.POST.get("publish_despite_problems"):
            messages.warning(
                request,
                f"Not published: the draft has {report.count} problem(s), listed under "
                "“Before publishing”. Fix them, or tick “Publish even with the problems "
                "listed” beside the button and press it again.",
            )
            return guide_page(draft)
        drafts.publish_draft(draft, request.user)
        messages.success(request, f"Published the changes to “{guide}”.")
        return guide_page(guide)

    def discard(self, request, guide):
        draft = self._draft_of(guide)
        if not workflow.can_manage(request.user, draft):
            raise PermissionDenied
        drafts.discard_draft(draft)
        messages.success(request, f"Discarded the unpublished changes to “{guide}”.")
        return guide_page(guide)

    def unpublish(self, request, guide):
        if not is_editor(request.user) or guide.status != Status.PUBLISHED:
            raise PermissionDenied
        workflow.unpublish([guide.pk])
        messages.success(request, f"Unpublished “{guide}”: it is a draft again.")
        return guide_page(guide)

    def _draft_of(self, guide):
        draft = getattr(guide, "draft", None) if guide.pk else None
        if draft is None:
            raise Http404("This guide has no draft of changes.")
        return draft


class DraftChangesView(GuideAdminView):
    """The draft's changes against the live guide, line by line, in the Markdown format
    editors import and export."""

    def get(self, request, object_id):
        guide = self.guide(object_id)
        draft = getattr(guide, "draft", None)
        if draft is None:
            raise Http404("This guide has no draft of changes.")
        if not self.model_admin.has_view_or_change_permission(request, guide):
            raise PermissionDenied
        context = {
            **self.model_admin.admin_site.each_context(request),
            "opts": Guide._meta,
            "original": guide,
            "draft": draft,
            "title": f"Unpublished changes to “{guide}”",
            "lines": drafts.changes(draft),
        }
        return TemplateResponse(request, "admin/guides/guide/changes.html", context)
