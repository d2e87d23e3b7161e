"""Readers' comments: a small Markdown subset, sanitized.

Paragraphs, emphasis, code, quotes, lists and links. HTML typed into a comment is shown
as text, not interpreted (Python-Markdown's raw-HTML handling is switched off), and
nh3 keeps only the tags below. Links may go to http(s) only and carry
`rel="nofollow ugc"`: readers' links earn nothing from search engines.
"""

import re

import markdown
import nh3
from markdown.extensions import Extension

ALLOWED_TAGS = {"p", "br", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li", "a"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
LINK = re.compile(r"https?://|www\.", re.IGNORECASE)


class _NoRawHtml(Extension):
    def extendMarkdown(self, md):
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")


def render_comment(text):
    html = markdown.markdown(
        text, extensions=[_NoRawHtml(), "sane_lists", "nl2br"], output_format="html"
    )
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https"},
        link_rel="nofollow ugc",
    )


def count_links(text):
    """Addresses in a comment, whether written as Markdown links or bare."""
    return len(LINK.findall(text))
