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
    # Only what a result shows (`_result`, `_body_texts`): search reads up to a hundred
    # rows of each kind, twice with search by meaning.
    conference_name = ("conference__year", "conference__series__short_name")
    if kind == "guide":
        guides = (
            Guide.objects.public()
            .select_related("conference__series")
            .only("title", "slug", "draft_of", "standfirst", "intro", *conference_name)
        )
        return guides if conference is None else guides.filter(conference=conference)
    if kind == "pick":
        picks = (
            Pick.objects.public()
            .select_related("paper", "guide")
            .only(
                *("rank", "why", "key_insights", "paper__title"),
                *("guide__title", "guide__slug", "guide__draft_of"),  # str(guide)
            )
        )
        return picks if conference is None else picks.filter(guide__conference=conference)
    papers = Paper.objects.select_related("conference__series").only(
        "title", "slug", "year", "tldr", "abstract", *conference_name
    )
    return papers if conference is None else papers.filter(conference=conference)


def highlight(snippet):
    """Escaped text with the engine's marks as <mark>; nothing else becomes HTML."""
    html = escape(snippet).replace(START, "<mark>").replace(STOP, "</mark>")
    return mark_safe(html)


def _result(kind, item, rank, text):
    body = " ".join(_body_texts(kind, item))
    words = tuple(fts.words(text))
    if kind == "guide":
        context = str(item.conference)
        url = item.get_absolute_url()
        return Result(kind, item.title, url, context, rank, item.pk, body=body, words=words)
    if kind == "pick":
        url = f"{item.guide.get_absolute_url()}#pick-{item.rank}"
        context = f"Pick {item.rank} of {item.guide}"
        title, guide_id = item.paper.title, item.guide_id
        return Result(kind, title, url, context, rank, item.pk, guide_id, body, words)
    context = str(item.conference) if item.conference else str(item.year)
    url = item.get_absolute_url()
    return Result(kind, item.title, url, context, rank, item.pk, body=body, words=words)


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
        items = items.filter(matches).order_by("-relevance", "pk")[:PER_KIND]
        return [_scored(kind, item, text, item.relevance) for item in items], []
    # The close items first, then the best matches: at least PER_KIND of those.
    close_first = Case(When(pk__in=close, then=Value(0)), default=Value(1))
    items = (
        items.filter(matches | Q(pk__in=close))
        .annotate(matched=ExpressionWrapper(matches, output_field=BooleanField()))
        .order_by(close_first, "-relevance", "pk")[: PER_KIND + len(close)]
    )
    items = list(items)
    best = sorted((item for item in items if item.matched), key=lambda i: (-i.relevance, i.pk))
    ranked = [(item.pk, item.relevance) for item in best[:PER_KIND]]
    return _in_order(kind, items, ranked, close, text)


# --- SQLite -------------------------------------------------------------------


def _sqlite(kind, text, conference, close):
    if kind == "topic":
        return _topics(text, conference), []
    # Every paper is public: the index alone answers, unless a conference narrows it.
    within = None if kind == "paper" and conference is None else queryset(kind, conference)
    ranked = fts.search(kind, text, within, PER_KIND)
    items = queryset(kind, conference).in_bulk([*(pk for pk, _ in ranked), *close]).values()
    return _in_order(kind, items, ranked, close, text)


def _in_order(kind, items, ranked, close, text):
    """(Results for [(id, rank)], for the ids in `close`): of `items` (the public ones),
    in those orders; an id not among them is gone since it was indexed, not public, or
    of another conference."""
    found = {item.pk: item for item in items}
    results = {pk: _scored(kind, found[pk], text, rank) for pk, rank in ranked if pk in found}
    by_meaning = [
        results.get(pk) or _scored(kind, found[pk], text, 0.0) for pk in close if pk in found
    ]
    return [results[pk] for pk, _ in ranked if pk in results], by_meaning


def _scored(kind, item, text, rank):
    """`item`'s Result, with its snippet around `text`'s words; the exact title first."""
    title = item.paper.title if kind == "pick" else item.title
    boost = 1.0 if title.lower() == text.lower() else 0.0
    return _result(kind, item, rank + boost, text)


def _body_texts(kind, item):
    if kind == "guide":
        return [item.standfirst, item.intro]
    if kind == "pick":
        return [item.why, item.key_insights]
    return [item.tldr, item.abstract]


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
