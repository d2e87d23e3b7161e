"""The bulk paper import as an upload in the admin, for editors (see papers.paper_import)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views import View

from .models import Conference, Paper
from .paper_import import ImportFailed, format_of, import_papers

MAX_UPLOAD_BYTES = 50_000_000


class PaperImportForm(forms.Form):
    conference = forms.ModelChoiceField(queryset=Conference.objects.select_related("series"))
    file = forms.FileField(help_text="JSON Lines (.jsonl) or CSV (.csv), UTF-8, up to 50 MB.")
    strict = forms.BooleanField(
        required=False,
        label="Import nothing if any row is bad",
        help_text="Otherwise bad rows are listed and skipped, and the good ones imported.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The file is larger than 50 MB.")
        try:
            self.file_format = format_of(upload.name)
            return upload.read().decode("utf-8-sig")
        except ImportFailed as error:
            raise forms.ValidationError(str(error)) from error
        except UnicodeDecodeError as error:
            raise forms.ValidationError("The file is not UTF-8 text.") from error


class ImportPapersView(View):
    model_admin = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("papers.import_papers"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self.render(request, PaperImportForm())

    def post(self, request):
        form = PaperImportForm(request.POST, request.FILES)
        errors = []
        if form.is_valid():
            data = form.cleaned_data
            try:
                report = import_papers(
                    data["file"], data["conference"], form.file_format, strict=data["strict"]
                )
            except ImportFailed as error:
                form.add_error("file", str(error))
                errors = error.errors
            else:
                if not report.errors:
                    messages.success(request, f"{data['conference']}: {report.summary()}")
                    return redirect(reverse("admin:papers_paper_changelist"))
                messages.warning(request, f"{data['conference']}: {report.summary()}")
                errors = report.errors
        return self.render(request, form, errors, status=400)

    def render(self, request, form, errors=(), status=200):
        context = {
            **self.model_admin.admin_site.each_context(request),
            "opts": Paper._meta,
            "title": "Import a conference's papers",
            "form": form,
            "errors": errors,
        }
        return TemplateResponse(request, "admin/papers/paper/import.html", context, status=status)
