"""The media library in the admin: upload, describe, find, see where used.

Uses are found without knowing who uses images: every model that points to Image
(figures of guides, images inside Markdown, pictures of papers and conferences)
points with PROTECT, so Django itself refuses to delete an image in use, and the
library lists those rows. A use may name, as `admin_target`, the object an editor
should open for it (an image inside a pick's text: the guide).
"""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import JsonResponse
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, path, reverse
from django.utils.html import format_html, format_html_join

from papers.admin import ConferenceAdmin, PaperAdmin
from papers.models import Conference, Paper

from . import library
from .models import ConferenceImage, Image, PaperImage
from .renditions import smallest_fallback
from .uploads import ACCEPTED, FORMATS, clean_upload

THUMBNAIL_SIZES = "120px"
CHOOSER_RESULTS = 20


class ImageForm(forms.ModelForm):
    class Meta:
        model = Image
        fields = ["file", "title", "alt_text", "decorative", "caption", "credit_text"]
        fields += ["credit_url", "credit_paper"]
        widgets = {"caption": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        accept = ",".join(mime_type for _, mime_type, _ in FORMATS.values())
        self.fields["file"].widget.attrs["accept"] = accept
        self.fields["file"].help_text = (
            f"{ACCEPTED}, at most {filesizeformat(settings.IMAGE_MAX_BYTES)}. Its metadata "
            "(camera, GPS position) is removed."
        )
        self.cleaned_image = None

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and upload is not self.initial.get("file"):
            self.cleaned_image = clean_upload(upload)
        return upload

    def clean(self):
        data = super().clean()
        if data.get("decorative") and data.get("alt_text"):
            self.add_error(
                "alt_text", "A decorative image has no alt text: empty it, or untick “decorative”."
            )
        elif (
            not data.get("decorative")
            and not data.get("alt_text")
            and "alt_text" not in self.errors
        ):
            self.add_error(
                "alt_text",
                "Describe what the image shows for readers who cannot see it, or tick "
                "“decorative” if it adds nothing to the text.",
            )
        return data


class UseFilter(admin.SimpleListFilter):
    title = "use"
    parameter_name = "used"

    def lookups(self, request, model_admin):
        return [("yes", "In use"), ("no", "Not used")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(use_count__gt=0)
        if self.value() == "no":
            return queryset.filter(use_count=0)
        return queryset


def use_relations():
    """The reverse relations of Image: every kind of row that uses an image."""
    return [rel for rel in Image._meta.related_objects if rel.one_to_many]


def use_count():
    total = Value(0, output_field=IntegerField())
    for rel in use_relations():
        count = (
            rel.related_model.objects.filter(**{rel.field.name: OuterRef("pk")})
            .values(rel.field.name)
            .annotate(n=Count("*"))
            .values("n")
        )
        total = total + Coalesce(Subquery(count, output_field=IntegerField()), 0)
    return total


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    form = ImageForm
    list_display = ["thumbnail", "title", "key", "dimensions", "size", "alt_status"]
    list_display += ["uploaded_by", "uploaded_at", "use_count"]
    list_display_links = ["thumbnail", "title"]
    list_filter = [UseFilter, "decorative", "uploaded_at", "uploaded_by"]
    search_fields = ["title", "key", "alt_text", "caption", "credit_text", "credit_paper__title"]
    list_select_related = ["uploaded_by"]
    autocomplete_fields = ["credit_paper"]
    date_hierarchy = "uploaded_at"
    readonly_fields = ["preview", "markdown", "dimensions", "size", "uploaded", "uses"]
    fieldsets = [
        (None, {"fields": ["file", "preview", "title"]}),
        ("For readers", {"fields": ["alt_text", "decorative", "caption"]}),
        ("Credit", {"fields": ["credit_text", "credit_url", "credit_paper"]}),
        ("Use", {"fields": ["markdown", "uses"]}),
        ("File", {"fields": ["dimensions", "size", "uploaded"]}),
    ]

    class Media:
        js = ["images/admin/copy_markdown.js"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(use_count=use_count())

    def save_model(self, request, obj, form, change):
        if form.cleaned_image is not None:
            library.store_file(obj, form.cleaned_image, uploaded_by=request.user)
        else:
            obj.save()

    # --- what the pages show ---------------------------------------------------

    @admin.display(description="image")
    def thumbnail(self, image):
        return render_to_string(
            "images/_picture.html", {"image": image, "alt": "", "sizes": THUMBNAIL_SIZES}
        )

    @admin.display(description="preview")
    def preview(self, image):
        if not image.pk:
            return "—"
        return render_to_string(
            "images/_picture.html", {"image": image, "alt": image.alt_text, "sizes": "320px"}
        )

    @admin.display(description="size in pixels")
    def dimensions(self, image):
        return f"{image.width} × {image.height}" if image.width else "—"

    @admin.display(description="file size", ordering="file_size")
    def size(self, image):
        return filesizeformat(image.file_size) if image.file_size else "—"

    @admin.display(description="alt text")
    def alt_status(self, image):
        return "decorative" if image.decorative else "✓"

    @admin.display(description="uses", ordering="use_count")
    def use_count(self, image):
        return image.use_count

    @admin.display(description="uploaded")
    def uploaded(self, image):
        by = f" by {image.uploaded_by}" if image.uploaded_by else ""
        return f"{image.uploaded_at:%Y-%m-%d %H:%M}{by}" if image.pk else "—"

    @admin.display(description="Markdown")
    def markdown(self, image):
        if not image.pk:
            return "Saved images get a Markdown snippet to paste into any text of a guide."
        return format_html(
            '<code class="image-markdown">{}</code> '
            '<button type="button" class="button copy-markdown" data-copy="{}">Copy</button>'
            "<p class=\"help\">Paste it on a line of its own in a guide's intro, a section's "
            'intro, a pick\'s why or key insights. <code>![alt](image:{} "caption")</code> '
            "sets this use's own alt text and caption.</p>",
            image.markdown,
            image.markdown,
            image.key,
        )

    @admin.display(description="used in")
    def uses(self, image):
        if not image.pk:
            return "—"
        items = [(self.admin_link(use), str(use)) for use in uses_of(image)]
        if not items:
            return "Not used yet: it can be deleted."
        return format_html(
            '<ul>{}</ul><p class="help">An image in use cannot be deleted.</p>',
            format_html_join("", '<li><a href="{}">{}</a></li>', items),
        )

    def admin_link(self, use):
        target = getattr(use, "admin_target", use)
        meta = target._meta
        try:
            return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[target.pk])
        except NoReverseMatch:
            return "#"

    # --- the chooser that inserts an image into Markdown -----------------------

    def get_urls(self):
        chooser = self.admin_site.admin_view(self.chooser_view)
        return [path("choose/", chooser, name="images_image_choose"), *super().get_urls()]

    def chooser_view(self, request):
        """JSON: the newest images matching ?q= (title, key, alt text, caption)."""
        if not self.has_view_permission(request):
            return JsonResponse({"error": "You may not see the media library."}, status=403)
        images = self.get_search_results(request, Image.objects.all(), request.GET.get("q", ""))[0]
        results = []
        for image in images[:CHOOSER_RESULTS]:
            thumbnail = smallest_fallback(image.renditions)
            results.append(
                {
                    "key": image.key,
                    "title": image.title,
                    "alt": image.alt_text,
                    "markdown": image.markdown,
                    "thumbnail": image.rendition_url(thumbnail) if thumbnail else "",
                }
            )
        return JsonResponse({"results": results})


def uses_of(image):
    """Every row that uses `image`, whatever its model."""
    found = []
    for rel in use_relations():
        found += rel.related_model.objects.filter(**{rel.field.name: image})
    return found


# --- pictures of papers and conferences, edited on their own pages ----------------


class PaperImageInline(admin.StackedInline):
    model = PaperImage
    autocomplete_fields = ["image"]
    extra = 0
    max_num = 1
    verbose_name = verbose_name_plural = "picture (from the media library)"


class ConferenceImageInline(PaperImageInline):
    model = ConferenceImage


# The catalogue knows nothing of images: its pages get their picture from here.
admin.site.unregister(Paper)
admin.site.unregister(Conference)


@admin.register(Paper)
class PaperWithPictureAdmin(PaperAdmin):
    inlines = [*PaperAdmin.inlines, PaperImageInline]


@admin.register(Conference)
class ConferenceWithPictureAdmin(ConferenceAdmin):
    inlines = [*ConferenceAdmin.inlines, ConferenceImageInline]
