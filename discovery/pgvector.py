"""The pgvector path: on a PostgreSQL server with the pgvector extension, every paper's
vector is also written to a table with an HNSW index, and nearest papers are found
there (approximate, logarithmic) instead of in each process's memory, for catalogues
far larger than 50,000 papers.

Detected when a fit is stored (`DISCOVERY_PGVECTOR`: "auto", the default, uses it when
the server offers the extension; "off" never does); the fit records which store it used.
`PaperVector` stays the source of truth: the table is an index of it, rebuilt by each
fit. Not a Django model, as a server without the extension must still migrate."""

import numpy as np
from django.conf import settings
from django.db import connection

TABLE = "discovery_pgvector"
HNSW = {"m": 16, "ef_construction": 64}
EF_SEARCH = 100  # candidates HNSW considers per query: recall against speed


def available():
    if connection.vendor != "postgresql" or settings.DISCOVERY_PGVECTOR == "off":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'")
        return cursor.fetchone() is not None


def literal(vector):
    """pgvector's text form of a vector: "[0.1,0.2,…]"."""
    return "[" + ",".join(f"{x:.7g}" for x in np.asarray(vector, dtype=np.float32)) + "]"


def store(ids, vectors):
    """Replace the table with these vectors (within the caller's transaction) and
    build its HNSW index for cosine distance."""
    dimensions = vectors.shape[1]
    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS vector")
        cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")
        cursor.execute(
            f"CREATE TABLE {TABLE} (paper_id bigint PRIMARY KEY "
            f"REFERENCES papers_paper (id) ON DELETE CASCADE, "
            f"embedding vector({dimensions}) NOT NULL)"
        )
        with cursor.cursor.copy(f"COPY {TABLE} (paper_id, embedding) FROM STDIN") as copy:
            for paper_id, vector in zip(ids, vectors, strict=True):
                copy.write_row((int(paper_id), literal(vector)))
        options = ", ".join(f"{key} = {value}" for key, value in HNSW.items())
        cursor.execute(
            f"CREATE INDEX {TABLE}_hnsw ON {TABLE} "
            f"USING hnsw (embedding vector_cosine_ops) WITH ({options})"
        )
        cursor.execute(f"ANALYZE {TABLE}")


def iterative_scans(cursor):
    """Whether the server's pgvector (0.8 and later) can go on scanning its index until
    enough rows pass a filter; asked once per connection."""
    wrapper = connection.connection  # the driver's connection: a new one asks again
    known = getattr(wrapper, "pgvector_iterative_scans", None)
    if known is None:
        cursor.execute("SELECT extversion FROM pg_extension WHERE extname = 'vector'")
        row = cursor.fetchone()
        version = tuple(int(part) for part in row[0].split(".")[:2]) if row else (0, 0)
        known = wrapper.pgvector_iterative_scans = version >= (0, 8)
    return known


def _closest(cursor, target_sql, params, count, exclude=(), conference_id=None):
    # Session settings (pages read outside transactions, where SET LOCAL does nothing).
    cursor.execute(f"SET hnsw.ef_search = {EF_SEARCH}")
    iterative = iterative_scans(cursor)
    if iterative:  # filters applied after the index scan: go on until enough rows pass
        cursor.execute("SET hnsw.iterative_scan = relaxed_order")
    where, extra = ["NOT (v.paper_id = ANY(%s))"], [list(exclude)]
    join, distance = "", f"v.embedding <=> {target_sql}"
    if conference_id is not None:
        join = "JOIN papers_paper p ON p.id = v.paper_id"
        where.append("p.conference_id = %s")
        extra.append(conference_id)
        if not iterative:
            # An older pgvector stops after EF_SEARCH candidates, which a conference
            # filter could thin out below `count`: order without the index (exactly,
            # among one conference's papers).
            distance = f"({distance}) + 0"
    cursor.execute(
        f"SELECT v.paper_id, 1 - (v.embedding <=> {target_sql}) AS similarity "
        f"FROM {TABLE} v {join} WHERE {' AND '.join(where)} "
        f"ORDER BY {distance} LIMIT %s",
        [*params, *extra, *params, count],
    )
    rows = cursor.fetchall()
    # relaxed_order may return neighbours slightly out of order: sort them exactly.
    return sorted(((int(i), float(s)) for i, s in rows), key=lambda row: -row[1])


def nearest(paper_id, count):
    """[(paper id, cosine)] of the `count` papers nearest `paper_id`'s vector."""
    target = f"(SELECT embedding FROM {TABLE} WHERE paper_id = %s)"
    with connection.cursor() as cursor:
        return _closest(cursor, target, [paper_id], count, exclude=[paper_id])


def closest_to(vector, count, exclude=(), conference_id=None):
    """[(paper id, cosine)] of the `count` papers nearest `vector`."""
    with connection.cursor() as cursor:
        return _closest(cursor, "%s::vector", [literal(vector)], count, exclude, conference_id)


def vectors_of(paper_ids):
    """The stored vectors of `paper_ids` (those that have one), as rows of a matrix."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT embedding::text FROM {TABLE} WHERE paper_id = ANY(%s)", [list(paper_ids)]
        )
        rows = [np.array(text.strip("[]").split(","), dtype=np.float32) for (text,) in cursor]
    return np.vstack(rows) if rows else None
