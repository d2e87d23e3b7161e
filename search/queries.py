"""Site search across guides, picks, papers and topics, ranked by relevance.

On PostgreSQL: the stored, weighted search vectors (`search.index`), queried with
`websearch_to_tsquery` (which accepts any text: quotes, `&|!`, `%`, `_`, Unicode) and
ranked with `ts_rank`. On SQLite: FTS5 tables (`search.fts`), every word required, ranked
with BM25 (titles ten times the body). Either way only public content is searched, and
the snippet around the first match is cut from the row already loaded (`_snippet`; on
PostgreSQL `ts_headline` re-parsed every abstract and cost more than the search), then
escaped before anything is highlighted.
"""

import re
from dataclasses import dataclass
from functools import cached_property

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import BooleanField, Case, ExpressionWrapper, F, Q, Value, When
from django.template.defaultfilters import pluralize
from django.utils.html import escape
from django.utils.safestring import mark_safe
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from guides.models import Guide, Pick
from papers.models import Paper, Tag
from papers.slugs import slug_url

from . import fts
from .index import CONFIG

MAX_QUERY_LENGTH = 200
PER_KIND = 50
KINDS = {"guide": "Guides", "pick": "Picks", "paper": "Papers", "topic": "Topics"}
START, STOP = "\x02", "\x03"  # highlight marks, turned into <mark> after escaping
SNIPPET_WORDS = 30


@dataclass
class Result:
    kind: str
    title: str
    url: str
    context: str
    rank: float
    pk: int | None = None  # the guide's, pick's or paper's
    guide_id: int | None = None  # a pick's guide
    body: str = ""  # the text the snippet is cut from
    words: tuple = ()  # the query's words, marked in the snippet

    @cached_property
    def snippet(self):
        """Made only for the results a page shows: a search finds up to 50 of each kind,
        a page shows 20."""
        return highlight(_snippet(self.body, self.words)) if self.body else ""


def clean_query(text):
    """The query as searched: control characters dropped, length bounded."""
    text = re.sub(r"[\x00-\x1f\x7f]", " ", text or "")
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


def search(text, kinds=None, conference=None):
    """Results for `text`, best first; `kinds` limits them, `conference` is a Conference."""
    found = search_by_kind(text, kinds, conference)
    results = [result for full_text, _ in found.values() for result in full_text]
    return sorted(results, key=lambda result: result.rank, reverse=True)


def search_by_kind(text, kinds=None, conference=None, close=None):
    """{kind: (its results for `text`, best first; the public ones of `close[kind]`, in
    that order)}. `close` ({kind: [id]}) names the items search by meaning found
    (discovery.hybrid); each kind's are read in the same query as its full-text
    results."""
    text = clean_query(text)
    if not text:
        return {}
    close = close or {}
    engine = _postgresql if connection.vendor == "postgresql" else _sqlite
    return {kind: engine(kind, text, conference, close.get(kind, [])) for kind in kinds or KINDS}


def queryset(kind, conference):
    """The public items of `kind` that search may show, of `conference` if given."""
    if kind == "guide":
        guides = Guide.objects.public()
        return guides if conference is None else guides.filter(conference=conference)
    if kind == "pick":
        picks = Pick.objects.public()
        return picks if conference is None else picks.filter(guide__conference=conference)
    papers = Paper.objects.all()
    return papers if conference is None else papers.filter(conference=conference)


# What a result shows (`_result`), read as rows, not model instances: search reads up
# to a hundred rows of each kind (twice that with search by meaning), and making each
# an instance cost more than the query.
CONFERENCE_FIELDS = ("conference__series__short_name", "conference__year")
ROW_FIELDS = {
    "guide": ("pk", "title", "slug", "standfirst", "intro", *CONFERENCE_FIELDS),
    "pick": (
        "pk",
        "rank",
        "why",
        "key_insights",
        "paper__title",
        "guide_id",
        "guide__slug",
        "guide__title",
    ),
    "paper": ("pk", "title", "slug", "year", "tldr", "abstract", *CONFERENCE_FIELDS),
}


def rows(kind, items, *annotations):
    """`items` (of `queryset(kind)`) as dicts of what a result shows, and `annotations`."""
    return items.values(*ROW_FIELDS[kind], *annotations)


def highlight(snippet):
    """Escaped text with the engine's marks as <mark>; nothing else becomes HTML."""
    html = escape(snippet).replace(START, "<mark>").replace(STOP, "</mark>")
    return mark_safe(html)


def _conference_name(row):
    short_name, year = row["conference__series__short_name"], row["conference__year"]
    return f"{short_name} {year}" if short_name else ""


def _result(kind, row, rank, text):
    body = " ".join(_body_texts(kind, row))
    words = tuple(fts.words(text))
    if kind == "guide":
        url = slug_url("guides:guide-detail", row["slug"])
        context = _conference_name(row)
        return Result(kind, row["title"], url, context, rank, row["pk"], body=body, words=words)
    if kind == "pick":
        url = f"{slug_url('guides:guide-detail', row['guide__slug'])}#pick-{row['rank']}"
        context = f"Pick {row['rank']} of {row['guide__title']}"  # public: never a draft
        title, guide_id = row["paper__title"], row["guide_id"]
        return Result(kind, title, url, context, rank, row["pk"], guide_id, body, words)
    context = _conference_name(row) or str(row["year"])
    url = slug_url("papers:paper-detail", row["slug"])
    return Result(kind, row["title"], url, context, rank, row["pk"], body=body, words=words)


def _topics(text, conference):
    words = text.split()
    topics = Tag.objects.all()
    for word in words:
        topics = topics.filter(name__icontains=word)
    if conference is not None:
        topics = topics.filter(tagged_papers__content_object__conference=conference).distinct()
    return [
        Result(
            "topic",
            t.name,
            t.get_absolute_url(),
            f"{t.paper_count:,} paper{pluralize(t.paper_count)}",
            2.0 if t.name.lower() == text.lower() else 0.5,
        )
        for t in topics.order_by("name")[:PER_KIND]
    ]


# --- PostgreSQL ---------------------------------------------------------------


def _postgresql(kind, text, conference, close):
    if kind == "topic":
        return _topics(text, conference), []
    query = SearchQuery(text, search_type="websearch", config=CONFIG)
    matches = Q(search_vector=query)
    items = queryset(kind, conference).annotate(relevance=SearchRank(F("search_vector"), query))
    if not close:
        items = rows(kind, items.filter(matches).order_by("-relevance", "pk"), "relevance")
        return [_scored(kind, row, text, row["relevance"]) for row in items[:PER_KIND]], []
    # The close items first, then the best matches: at least PER_KIND of those.
    close_first = Case(When(pk__in=close, then=Value(0)), default=Value(1))
    items = (
        items.filter(matches | Q(pk__in=close))
        .annotate(matched=ExpressionWrapper(matches, output_field=BooleanField()))
        .order_by(close_first, "-relevance", "pk")
    )
    items = list(rows(kind, items, "relevance", "matched")[: PER_KIND + len(close)])
    best = sorted(
        (row for row in items if row["matched"]), key=lambda r: (-r["relevance"], r["pk"])
    )
    ranked = [(row["pk"], row["relevance"]) for row in best[:PER_KIND]]
    return _in_order(kind, items, ranked, close, text)


# --- SQLite -------------------------------------------------------------------


def _sqlite(kind, text, conference, close):
    if kind == "topic":
        return _topics(text, conference), []
    # Every paper is public: the index alone answers, unless a conference narrows it.
    within = None if kind == "paper" and conference is None else queryset(kind, conference)
    ranked = fts.search(kind, text, within, PER_KIND)
    found = queryset(kind, conference).filter(pk__in=[*(pk for pk, _ in ranked), *close])
    return _in_order(kind, rows(kind, found), ranked, close, text)


def _in_order(kind, items, ranked, close, text):
    """(Results for [(id, rank)], for the ids in `close`): of `items` (the rows of the
    public ones), in those orders; an id not among them is gone since it was indexed,
    not public, or of another conference."""
    found = {row["pk"]: row for row in items}
    results = {pk: _scored(kind, found[pk], text, rank) for pk, rank in ranked if pk in found}
    by_meaning = [
        results.get(pk) or _scored(kind, found[pk], text, 0.0) for pk in close if pk in found
    ]
    return [results[pk] for pk, _ in ranked if pk in results], by_meaning


def _scored(kind, row, text, rank):
    """`row`'s Result, with its snippet around `text`'s words; the exact title first."""
    title = row["paper__title"] if kind == "pick" else row["title"]
    boost = 1.0 if title.lower() == text.lower() else 0.0
    return _result(kind, row, rank + boost, text)


def _body_texts(kind, row):
    if kind == "guide":
        return [row["standfirst"], row["intro"]]
    if kind == "pick":
        return [row["why"], row["key_insights"]]
    return [row["tldr"], row["abstract"]]


def _snippet(body, words):
    """About SNIPPET_WORDS words around the first match, with the matches marked: a
    word marks the tokens that begin with its first five letters, roughly as the
    stemmer matched them ("transformer", "transformers")."""
    tokens = body.split()
    # "a", "of", "the" match everywhere: marking them says nothing (a result found by
    # meaning may contain no other word of the query).
    words = [word for word in words if word not in ENGLISH_STOP_WORDS]
    exact = set(words)
    prefixes = tuple(word[:5] for word in words if len(word) > 2)

    def matches(token):
        token = token.lower().strip(".,;:!?()[]\"'*_`")
        return token in exact or token.startswith(prefixes)

    # The first match found by one regular expression over the body (long abstracts),
    # then counted in tokens; only the window's tokens are looked at one by one.
    alternatives = [re.escape(p) for p in prefixes] + [
        re.escape(w) + r"(?!\w)" for w in exact if len(w) <= 2
    ]
    found = alternatives and re.search(
        r"(?<![\w])(?:" + "|".join(alternatives) + ")", body, re.IGNORECASE
    )
    first = len(body[: found.start()].split()) if found else 0
    start = max(0, first - SNIPPET_WORDS // 3)
    window = tokens[start : start + SNIPPET_WORDS]
    marked = [f"{START}{token}{STOP}" if matches(token) else token for token in window]
    return (
        ("… " if start else "")
        + " ".join(marked)
        + (" …" if start + SNIPPET_WORDS < len(tokens) else "")
    )
