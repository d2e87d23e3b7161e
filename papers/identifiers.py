"""Papers' identifiers as editors paste them: arXiv ids and URLs, DOIs, OpenReview URLs.

`identify(text)` says which identifier a piece of text is, normalised, or None: the
admin's paper search looks a pasted identifier up exactly, and a paper's own link
fills its identifiers (`Paper.save`).
"""

import re
from urllib.parse import parse_qs, urlparse

# New-style arXiv ids (2106.01234, with an optional version) and old-style (cs/0112017).
ARXIV_ID = re.compile(
    r"^(?:arxiv:)?(?P<id>\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?$", re.I
)
DOI = re.compile(r"^(?:doi:)?(?P<id>10\.\d{4,9}/\S+)$", re.I)
OPENREVIEW_ID = re.compile(r"^[A-Za-z0-9_-]{6,}$")


def identify(text):
    """("arxiv" | "doi" | "openreview", normalised id), or None."""
    text = (text or "").strip()
    if not text:
        return None
    if match := ARXIV_ID.match(text):
        return ("arxiv", match["id"].lower())
    if match := DOI.match(text):
        return ("doi", match["id"].lower())
    if text.lower().startswith(("http://", "https://", "arxiv.org", "doi.org", "openreview.net")):
        return from_url(text if "://" in text else f"https://{text}")
    return None


def from_url(url):
    parsed = urlparse(url)
    host = parsed.netloc.lower().removeprefix("www.")
    path = parsed.path.strip("/")
    if host in ("arxiv.org", "export.arxiv.org"):
        kind, _, rest = path.partition("/")
        if kind in ("abs", "pdf", "html"):
            return identify(rest.removesuffix(".pdf"))
    if host in ("doi.org", "dx.doi.org"):
        return identify(path)
    if host == "openreview.net" and path in ("forum", "pdf"):
        ids = parse_qs(parsed.query).get("id", [""])
        if OPENREVIEW_ID.match(ids[0]):
            return ("openreview", ids[0])
    return None
