"""Autosave: while an editor types, the texts of a guide (or of a pick, on its own page)
are saved every few seconds by static/guides/admin/autosave.js.

Only what may be edited in place is saved this way: a draft, or a draft of changes to
a published guide, never the published guide itself (`workflow.can_edit`). A save based
on an older version is refused with who saved since and what, like a manual save; two
editors working on different picks do not meet, each pick being checked on its own
texts. Autosaves are not revisions: the manual save that follows records one.
"""

import hashlib
import json

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views import View
from reversion.models import Version

from . import workflow
from .admin_forms import fingerprint, refuse_stale_save
from .models import Guide, Pick, Section


class GuideTextsForm(forms.ModelForm):
    seen_version = forms.IntegerField(required=False)
    seen_fingerprint = forms.CharField(required=False)

    class Meta:
        model = Guide
        fields = ["title", "standfirst", "intro", "outro"]

    def clean(self):
        cleaned = super().clean()
        refuse_stale_save(self, cleaned.get("seen_version"), cleaned.get("seen_fingerprint"))
        return cleaned


# The texts autosaved on the page of a part of a guide.
PART_TEXTS = {Pick: ["why", "key_insights"], Section: ["title", "intro"]}


class PartTextsForm(forms.ModelForm):
    # A hash of the texts as the editor opened them: another editor's save changes it.
    seen_texts = forms.CharField(required=False)

    def clean(self):
        cleaned = super().clean()
        model = type(self.instance)
        current = model.objects.select_for_update().filter(pk=self.instance.pk).first()
        seen = cleaned.get("seen_texts")
        if current is not None and seen and seen != texts_hash(current):
            raise ValidationError(
                f"Someone else changed this {model._meta.verbose_name}'s texts after you "
                f"opened it{saved_by(current)}. Your changes were not saved: keep a copy of "
                "them, reload the page, and apply them again."
            )
        return cleaned


def texts_hash(part):
    texts = "\0".join(getattr(part, name) for name in PART_TEXTS[type(part)])
    return hashlib.sha256(texts.encode()).hexdigest()[:16]


def saved_by(part):
    """Who saved the part's guide last, and when: " (name, date)", or "" if unknown."""
    latest = Version.objects.get_for_object(part.guide).select_related("revision__user").first()
    if latest is None:
        return ""
    user, saved = latest.revision.user, latest.revision.date_created
    return f" ({user or 'someone'}, {timezone.localtime(saved):%d %b %Y %H:%M})"


class AutosaveView(View):
    model_admin = None

    def post(self, request, object_id):
        obj = get_object_or_404(self.queryset(), pk=object_id)
        guide = obj if isinstance(obj, Guide) else obj.guide
        if not self.model_admin.has_change_permission(request, obj) or not workflow.can_edit(
            request.user, guide
        ):
            raise PermissionDenied
        with transaction.atomic():
            form = self.form_class(request.POST, instance=obj)
            if not form.is_valid():
                messages = [str(e) for errors in form.errors.values() for e in errors]
                status = 409 if "Someone else" in " ".join(messages) else 400
                return JsonResponse({"errors": messages}, status=status)
            obj = form.save(commit=False)
            return JsonResponse(self.save(obj))

    def saved_at(self):
        return timezone.localtime().strftime("%H:%M:%S")


class GuideAutosaveView(AutosaveView):
    form_class = GuideTextsForm

    def queryset(self):
        return Guide.objects.all()

    def save(self, guide):
        guide.version += 1
        guide.save(update_fields=["title", "standfirst", "intro", "outro", "version"])
        return {
            "seen_version": guide.version,
            "seen_fingerprint": json.dumps(fingerprint(guide)),
            "saved_at": self.saved_at(),
        }


class PartAutosaveView(AutosaveView):
    """A pick's or a section's texts, on its own page."""

    @property
    def form_class(self):
        model = self.model_admin.model
        return forms.modelform_factory(model, form=PartTextsForm, fields=PART_TEXTS[model])

    def queryset(self):
        return self.model_admin.model.objects.select_related("guide")

    def save(self, part):
        part.save(update_fields=PART_TEXTS[type(part)])
        return {"seen_texts": texts_hash(part), "saved_at": self.saved_at()}
