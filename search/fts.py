"""The full-text index on SQLite: FTS5 tables of papers, picks and guides.

One table per kind, its rowid the item's id, two columns: the title and the rest (body).
Kept current by the same signals as PostgreSQL's vectors (`search.index`); ranked with
BM25, titles weighing ten times the body; snippets made by FTS5. The Porter stemmer
matches “transformer” with “transformers”, as PostgreSQL's english configuration does.
A query costs the same whatever the corpus size: no scan of the text columns.
"""

import re
from collections import defaultdict

from django.db import connection
from django.db.models.expressions import RawSQL

TABLES = {"paper": "search_paper_fts", "pick": "search_pick_fts", "guide": "search_guide_fts"}
TOKENIZER = "porter unicode61 remove_diacritics 2"
TITLE_WEIGHT, BODY_WEIGHT = 10.0, 1.0
MAX_WORDS = 10
CHUNK = 2000


def enabled():
    return connection.vendor == "sqlite"


def create_tables(cursor):
    for table in TABLES.values():
        cursor.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {table} "
            f"USING fts5(title, body, tokenize = '{TOKENIZER}')"
        )


def drop_tables(cursor):
    for table in TABLES.values():
        cursor.execute(f"DROP TABLE IF EXISTS {table}")


# --- what is indexed -----------------------------------------------------------------


def documents(kind, queryset):
    """(id, title, body) of each item of `queryset` (of the model of `kind`)."""
    if kind == "paper":
        # Names fetched per chunk with a plain IN: a prefetch of thousands of papers'
        # authorships makes SQLite refuse the query ("Expression tree is too large").
        rows = queryset.values_list("pk", "title", "tldr", "abstract")
        Authorship = queryset.model._meta.get_field("authorships").related_model
        for chunk in _chunks(rows.iterator(chunk_size=CHUNK)):
            names = defaultdict(list)
            authorships = Authorship.objects.filter(paper_id__in=[row[0] for row in chunk])
            for paper_id, name in authorships.order_by("paper_id", "position").values_list(
                "paper_id", "author__name"
            ):
                names[paper_id].append(name)
            for pk, title, tldr, abstract in chunk:
                yield pk, title, f"{' '.join(names[pk])}\n{tldr}\n{abstract}"
    elif kind == "pick":
        rows = queryset.values_list("pk", "paper__title", "why", "key_insights")
        for pk, title, why, insights in rows.iterator(chunk_size=CHUNK):
            yield pk, title, f"{why}\n{insights}"
    else:
        rows = queryset.values_list("pk", "title", "standfirst", "intro", "outro")
        for pk, title, standfirst, intro, outro in rows.iterator(chunk_size=CHUNK):
            yield pk, title, f"{standfirst}\n{intro}\n{outro}"


def _chunks(iterable):
    chunk = []
    for item in iterable:
        chunk.append(item)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def refresh(kind, queryset):
    """Index the items of `queryset` anew (and forget those of them that are gone)."""
    if not enabled():
        return
    table = TABLES[kind]
    ids = list(queryset.values_list("pk", flat=True))
    with connection.cursor() as cursor:
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            marks = ",".join(["%s"] * len(chunk))
            cursor.execute(f"DELETE FROM {table} WHERE rowid IN ({marks})", chunk)
            docs = list(documents(kind, queryset.model._base_manager.filter(pk__in=chunk)))
            cursor.executemany(f"INSERT INTO {table}(rowid, title, body) VALUES (%s, %s, %s)", docs)


def forget(kind, ids):
    if enabled() and ids:
        with connection.cursor() as cursor:
            marks = ",".join(["%s"] * len(ids))
            cursor.execute(f"DELETE FROM {TABLES[kind]} WHERE rowid IN ({marks})", list(ids))


def rebuild(models):
    """Every table from scratch; `models` by kind ("paper": Paper, ...)."""
    with connection.cursor() as cursor:
        for kind, table in TABLES.items():
            cursor.execute(f"DELETE FROM {table}")
            for batch in _chunks(documents(kind, models[kind]._base_manager.all())):
                cursor.executemany(
                    f"INSERT INTO {table}(rowid, title, body) VALUES (%s, %s, %s)", batch
                )


# --- searching -------------------------------------------------------------------------


def words(text):
    """The words of a query, as the index sees them (at most MAX_WORDS)."""
    return re.findall(r"\w+", text.lower())[:MAX_WORDS]


def match_expression(text):
    """An FTS5 query from any text: its words, each quoted (so no word is an operator),
    all required; None when it has none."""
    return " AND ".join(f'"{word}"' for word in words(text)) or None


def search(kind, text, within, limit):
    """[(id, relevance)] of the best `limit` items matching `text`, best first; only
    those of `within` (a queryset of the kind's model) unless it is None.

    The matches are found by FTS5 first (materialized: else SQLite may test the match
    row by row of `within`, seconds at 50,000 papers), then each is looked up in
    `within` by its key (EXISTS): `id IN (within)` built the whole public set on every
    search (3 ms for the 7,900 picks, where a two-word query's hits took 0.3)."""
    match = match_expression(text)
    if match is None:
        return []
    table = TABLES[kind]
    sql = (
        f"WITH hits AS MATERIALIZED (SELECT rowid AS id, "
        f"bm25({table}, {TITLE_WEIGHT}, {BODY_WEIGHT}) AS score "
        f"FROM {table} WHERE {table} MATCH %s) SELECT id, score FROM hits"
    )
    params = [match]
    if within is not None:
        this_hit = within.order_by().filter(pk=RawSQL("hits.id", ())).values("pk")
        within_sql, within_params = this_hit.query.sql_with_params()
        sql += f" WHERE EXISTS ({within_sql})"
        params += within_params
    with connection.cursor() as cursor:
        cursor.execute(sql + " ORDER BY score LIMIT %s", [*params, limit])
        # BM25 is lower for better matches.
        return [(pk, -score) for pk, score in cursor.fetchall()]
