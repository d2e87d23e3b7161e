"""The rendered result of the Markdown an editor is typing, beside the text.

The page's script (static/guides/admin/markdown_preview.js) posts one text a moment after
typing stops and shows the HTML it gets back; without JavaScript, the “Preview the
texts” button posts the whole form here and opens every text rendered on a page of its
own. Either way the HTML comes from the public page's pipeline: sanitized, library
images placed, footnote markers linked to the guide's references.
"""

from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.views import View

from .models import Guide
from .rendering import FootnoteLinker, images_for

MARKDOWN_FIELDS = ("intro", "why", "key_insights", "outro")
MAX_LENGTH = 200_000  # characters of one text: more than any guide's longest


def render(texts, guide):
    """HTML for each of `texts` (in order, so footnotes are anchored as on the page)."""
    numbers = guide.references.values_list("number", flat=True) if guide else []
    linker = FootnoteLinker(numbers, images=images_for(*texts))
    return [linker(text) for text in texts]


class MarkdownPreviewView(View):
    model_admin = None

    def post(self, request):
        if not self.model_admin.has_view_or_change_permission(request):
            raise PermissionDenied
        guide_id = request.POST.get("preview_guide", "")
        guide = Guide.objects.filter(pk=guide_id).first() if guide_id.isdigit() else None
        if "text" in request.POST:  # one text, from the script
            text = request.POST["text"][:MAX_LENGTH]
            return JsonResponse({"html": render([text], guide)[0]})
        texts = [  # in the order of the form: the page's reading order
            (name, text[:MAX_LENGTH])
            for name, text in request.POST.items()
            if name.rsplit("-", 1)[-1] in MARKDOWN_FIELDS and text.strip()
        ]
        rendered = render([text for _, text in texts], guide)
        previews = [(label(name), html) for (name, _), html in zip(texts, rendered, strict=True)]
        return TemplateResponse(
            request,
            "admin/guides/markdown_preview.html",
            {
                **self.model_admin.admin_site.each_context(request),
                "title": f"Preview of the texts of {guide}" if guide else "Preview of the texts",
                "previews": previews,
            },
        )


def label(name):
    prefix, _, field = name.rpartition("-")
    words = field.replace("_", " ").capitalize()
    return f"{words} ({prefix.replace('-', ' ')})" if prefix else words
