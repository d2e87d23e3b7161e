"""Editors' Markdown to HTML that is safe to show readers.

Markdown goes through Python-Markdown, then the nh3 sanitizer (Ammonia), which keeps
only the tags and attributes below and only http(s) and mailto links: no <script>,
no event handler, no `javascript:` URL survives, whatever an editor typed or an
import brought in. Footnote markers `[^n]` are linked to the guide's references
afterwards, by `FootnoteLinker`, because which numbers exist is the guide's business.
"""

import re
from functools import lru_cache

import markdown
import nh3
from django.utils.html import format_html
from django.utils.safestring import mark_safe

ALLOWED_TAGS = {
    *("p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "code"),
    *("strong", "em", "b", "i", "del", "sup", "sub", "abbr"),
    *("ul", "ol", "li", "dl", "dt", "dd", "a"),
    *("table", "thead", "tbody", "tr", "th", "td"),
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "code": {"class"},
    "ol": {"start"},
    "th": {"align"},
    "td": {"align"},
}
MARKER = re.compile(r"\[\^(\d+)\]")


@lru_cache(maxsize=2048)
def _render(text):
    html = markdown.markdown(text, extensions=["extra", "sane_lists"], output_format="html")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


def sanitized_markdown(text):
    """Sanitized HTML for `text`, footnote markers left as `[^n]` for a FootnoteLinker."""
    return mark_safe(_render(text or ""))


def render_markdown(text):
    """Sanitized HTML for `text`; footnote markers stay as plain superscripts."""
    html = _render(text or "")
    return mark_safe(MARKER.sub(r"<sup>[\1]</sup>", html))


class FootnoteLinker:
    """Renders the Markdown fields of one page, in page order, linking `[^n]` markers.

    A marker links to reference n at `references_url#ref-n` when the guide has it; the
    first marker of each number on the page gets the id the reference links back to.
    """

    def __init__(self, numbers, references_url=""):
        self.numbers = set(numbers)
        self.references_url = references_url
        self.cited = set()

    def __call__(self, text):
        return self.link(_render(text or ""))

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
