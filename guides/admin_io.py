"""Markdown import (an upload) and export (a download) of guides in the admin."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views import View

from .guide_import import document_from_guide, import_text
from .guide_markdown import FormatError, write
from .models import Guide

MAX_UPLOAD_BYTES = 2_000_000


class ImportForm(forms.Form):
    file = forms.FileField(help_text="A Markdown file in the guide format (.md, UTF-8).")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The file is larger than 2 MB.")
        try:
            return upload.read().decode("utf-8")
        except UnicodeDecodeError as error:
            raise forms.ValidationError("The file is not UTF-8 text.") from error


class ModelAdminView(View):
    model_admin = None


class ImportGuideView(ModelAdminView):
    def dispatch(self, request, *args, **kwargs):
        if not self.model_admin.has_add_permission(request):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self.render(request, ImportForm())

    def post(self, request):
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                report = import_text(form.cleaned_data["file"], request.user)
            except FormatError as error:
                form.add_error("file", f"Nothing was imported: {error}.")
            else:
                messages.success(request, " ".join(report.lines()))
                return redirect(reverse("admin:guides_guide_change", args=[report.guide.pk]))
        return self.render(request, form, status=400)

    def render(self, request, form, status=200):
        context = {
            **self.model_admin.admin_site.each_context(request),
            "opts": Guide._meta,
            "title": "Import a guide from Markdown",
            "form": form,
        }
        return TemplateResponse(request, "admin/guides/guide/import.html", context, status=status)


class ExportGuideView(ModelAdminView):
    def get(self, request, object_id):
        guide = Guide.objects.select_related("conference").filter(pk=object_id).first()
        if guide is None:
            raise Http404
        if not self.model_admin.has_view_or_change_permission(request, guide):
            raise PermissionDenied
        response = HttpResponse(
            write(document_from_guide(guide)), content_type="text/markdown; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{guide.slug}.md"'
        return response
