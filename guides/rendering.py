"""Editors' Markdown to HTML that is safe to show readers.

Markdown goes through Python-Markdown, then the nh3 sanitizer (Ammonia), which keeps
only the tags and attributes below and only http(s) and mailto links: no <script>,
no event handler, no `javascript:` URL survives, whatever an editor typed or an
import brought in. Footnote markers `[^n]` are linked to the guide's references
afterwards, by `FootnoteLinker`, because which numbers exist is the guide's business.

Images come only from the library: `![alt](image:KEY "caption")` survives sanitizing
as `<img src="image:KEY">` (any other image source is dropped), and `place_images`
turns it into a figure with the image's renditions, from the Image rows it is given.
Text rendered without them (summaries, webinars) shows no images.
"""

import re
from functools import lru_cache
from html import unescape

import markdown
import nh3
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from images.models import Image
from images.renditions import SIZES

from .markdown_images import image_keys

ALLOWED_TAGS = {
    *("p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "code"),
    *("strong", "em", "b", "i", "del", "sup", "sub", "abbr"),
    *("ul", "ol", "li", "dl", "dt", "dd", "a"),
    *("table", "thead", "tbody", "tr", "th", "td"),
    "img",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "code": {"class"},
    "ol": {"start"},
    "th": {"align"},
    "td": {"align"},
    "img": {"src", "alt", "title"},
}
MARKER = re.compile(r"\[\^(\d+)\]")


# A line that holds nothing but an image: made a paragraph of its own, so it becomes
# a figure rather than a picture inside the text around it.
IMAGE_LINE = re.compile(r"^[ \t]*!\[[^\]\n]*\]\(\s*<?image:[^)\n]*\)[ \t]*$", re.MULTILINE)


@lru_cache(maxsize=2048)
def _render(text):
    text = IMAGE_LINE.sub(lambda m: f"\n{m.group().strip()}\n", text)
    html = markdown.markdown(text, extensions=["extra", "sane_lists"], output_format="html")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "image"},
        attribute_filter=_library_images_only,
        link_rel="noopener noreferrer",
    )


def _library_images_only(element, attribute, value):
    """An image's source must be `image:KEY`; a link's must not be."""
    if element == "img" and attribute == "src":
        return value if value.startswith("image:") else None
    if attribute == "href" and value.startswith("image:"):
        return None
    return value


# An image as the sanitizer writes it: alone in its paragraph (a figure), or within
# text (a picture, which a paragraph may hold).
IMAGE_TAG = re.compile(r"(?P<alone><p>\s*)?<img(?P<attrs>[^>]*)>(?(alone)\s*</p>)")
ATTRIBUTE = re.compile(r'(?P<name>src|alt|title)="(?P<value>[^"]*)"')


def images_for(*texts):
    """{key: Image} for the images `texts` show: one query, none when they show none."""
    keys = image_keys(*texts)
    return (
        {image.key: image for image in Image.objects.for_display().filter(key__in=keys)}
        if keys
        else {}
    )


def place_images(html, images):
    """`html` with each library image as a figure; images not in `images` are left out."""

    def figure(match):
        attributes = {m["name"]: unescape(m["value"]) for m in ATTRIBUTE.finditer(match["attrs"])}
        image = images.get(attributes.get("src", "").removeprefix("image:"))
        if image is None:
            return ""
        return render_to_string(
            "images/_figure.html" if match["alone"] else "images/_picture.html",
            {
                "image": image,
                "alt": "" if image.decorative else attributes.get("alt") or image.alt_text,
                "caption": attributes.get("title") or image.caption,
                "credit": image.credit(),
                "sizes": SIZES,
            },
        )

    return IMAGE_TAG.sub(figure, html)


def sanitized_markdown(text, images=None):
    """Sanitized HTML for `text` with the `images` it shows ({key: Image}, see
    `images_for`); footnote markers left as `[^n]` for a FootnoteLinker."""
    return mark_safe(place_images(_render(text or ""), images or {}))


def render_markdown(text):
    """Sanitized HTML for `text`, without images; footnote markers as plain superscripts."""
    html = place_images(_render(text or ""), {})
    return mark_safe(MARKER.sub(r"<sup>[\1]</sup>", html))


class FootnoteLinker:
    """Renders the Markdown fields of one page, in page order, linking `[^n]` markers.

    A marker links to reference n at `references_url#ref-n` when the guide has it; the
    first marker of each number on the page gets the id the reference links back to.
    """

    def __init__(self, numbers, references_url="", images=None):
        self.numbers = set(numbers)
        self.references_url = references_url
        self.images = images or {}
        self.cited = set()

    def __call__(self, text):
        return self.link(sanitized_markdown(text, self.images))

    def link(self, html):
        """Link the markers of HTML that is already sanitized (see sanitized_markdown)."""
        return mark_safe(MARKER.sub(self._link, html))

    def _link(self, match):
        number = int(match.group(1))
        if number not in self.numbers:
            return f"<sup>[{number}]</sup>"
        anchor = ""
        if number not in self.cited:
            self.cited.add(number)
            anchor = f"cite-{number}"
        return format_html(
            '<sup class="cite"><a href="{}#ref-{}"{}>[{}]</a></sup>',
            self.references_url,
            number,
            format_html(' id="{}"', anchor) if anchor else "",
            number,
        )
