"""Bulk import of a conference's accepted papers from JSON Lines or CSV.

A row has a `title` and `authors` (in order), and optionally `abstract`, `tldr`,
`paper_url`, `code_url`, `poster_url`, `project_url`, `video_url`, `topics`, and
`citations` with `citations_counted_on` (a whole number, and the date it was counted as
YYYY-MM-DD), and `embedding`: the paper's vector from its source, as a list of numbers
or as Semantic Scholar publishes it, {"model": "specter_v2", "vector": [...]} (in CSV,
that JSON in the cell). Every vector of a model must have the same number of
dimensions, in the file and in the database, and a conference's vectors one model.
In JSON Lines, `authors` and `topics` are lists of strings; in CSV, they are one cell,
separated by semicolons ("Ada Lovelace; Alan Turing").

A paper's natural key is its conference and its title, ignoring case: a rerun
updates the papers it finds and adds nothing. An update replaces the author list,
adds topics (it never removes one an editor added) and fills in fields, keeping the
stored value where the file's is empty. Authors and topics are reused by name,
ignoring case.

Every row is checked before anything is written. A bad row is reported with its line
number and skipped; the good rows are written, in batches of one transaction each. In
strict mode a file with any bad row writes nothing.
"""

import csv
import datetime as dt
import io
import json
import math
from contextlib import nullcontext
from dataclasses import dataclass, field

import numpy as np
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import connection, transaction

from .models import Author, Authorship, Paper, SuppliedEmbedding, Tag, TaggedPaper
from .signals import papers_bulk_changed, papers_imported
from .slugs import SlugAllocator

URL_FIELDS = ["paper_url", "code_url", "poster_url", "project_url", "video_url"]
TEXT_FIELDS = ["abstract", "tldr"]
CITATION_FIELDS = ["citation_count", "citations_counted_on"]  # from "citations", "…_on"
COLUMNS = {"title", "authors", "topics", *TEXT_FIELDS, *URL_FIELDS}
COLUMNS |= {"citations", "citations_counted_on", "embedding"}
MAX_DIMENSIONS = 4096
SUPPLIED = "supplied"  # the model of a vector given as a bare list
MAX_CITATIONS = 2_000_000_000
LIST_SEPARATOR = ";"
BATCH_SIZE = 500
# An import that creates this many papers refreshes PostgreSQL's statistics of these.
ANALYZE_AFTER = 1000
ANALYZED = (Paper, Author, Authorship, Tag, TaggedPaper)
validate_url = URLValidator(schemes=["http", "https"])


class ImportFailed(Exception):
    """The file cannot be imported at all (unreadable, unknown columns, or strict mode)."""

    def __init__(self, message, errors=()):
        super().__init__(message)
        self.errors = list(errors)


@dataclass
class PaperRow:
    line: int
    title: str
    authors: list
    topics: list
    values: dict  # the text and URL fields the row gives, by field name
    embedding: tuple = None  # (model, float32 array) when the row gives one


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    errors: list = field(default_factory=list)  # "line N: message"

    def summary(self):
        text = f"{self.created} papers created, {self.updated} updated"
        if self.errors:
            text += f", {len(self.errors)} bad rows skipped"
        return text + "."


# Reading -------------------------------------------------------------------------


def read_rows(text, file_format):
    """(line number, dict of raw values) for every row; JSON errors as RowError values."""
    if file_format == "jsonl":
        return _jsonl_rows(text)
    if file_format == "csv":
        return _csv_rows(text)
    raise ImportFailed(f"Unknown format “{file_format}”: use jsonl or csv.")


def format_of(filename):
    name = filename.lower()
    if name.endswith((".jsonl", ".ndjson")):
        return "jsonl"
    if name.endswith(".csv"):
        return "csv"
    raise ImportFailed(f"Cannot tell the format of “{filename}”: name it .jsonl or .csv.")


def _jsonl_rows(text):
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            yield number, RowError(f"not valid JSON ({error.msg})")
            continue
        yield number, row if isinstance(row, dict) else RowError("not a JSON object")


def _csv_rows(text):
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if not reader.fieldnames:
        raise ImportFailed("The CSV file has no header row.")
    unknown = set(reader.fieldnames) - COLUMNS
    if unknown:
        raise ImportFailed(f"Unknown CSV columns: {', '.join(sorted(unknown))}.")
    for row in reader:
        number = reader.line_num  # where the row ends: a quoted cell may span lines
        if None in row:
            yield number, RowError("more cells than the header has columns")
            continue
        for key in ("authors", "topics"):
            if row.get(key) is not None:
                row[key] = [part for part in row[key].split(LIST_SEPARATOR) if part.strip()]
        yield number, row


# Checking ------------------------------------------------------------------------


class RowError(Exception):
    pass


def clean_row(line, raw):
    if isinstance(raw, RowError):
        raise raw
    unknown = set(raw) - COLUMNS
    if unknown:
        raise RowError(f"unknown fields: {', '.join(sorted(unknown))}")
    title = _text(raw, "title", Paper._meta.get_field("title").max_length)
    if not title:
        raise RowError("the title is missing")
    authors = _names(raw, "authors", Author._meta.get_field("name").max_length)
    if not authors:
        raise RowError("the authors are missing")
    if len({name.casefold() for name in authors}) < len(authors):
        raise RowError("an author is listed twice")
    topics = _names(raw, "topics", Tag._meta.get_field("name").max_length)
    values = {name: _text(raw, name) for name in TEXT_FIELDS}
    for name in URL_FIELDS:
        url = _text(raw, name, Paper._meta.get_field(name).max_length)
        if url:
            try:
                validate_url(url)
            except ValidationError as error:
                raise RowError(f"{name}: “{url[:80]}” is not an http(s) URL") from error
        values[name] = url
    values.update(_citations(raw))
    return PaperRow(line, title, authors, topics, values, _embedding(raw.get("embedding")))


def _embedding(given):
    """(model, float32 vector) from a row's "embedding", or None."""
    if given in (None, ""):
        return None
    if isinstance(given, str):  # a CSV cell
        try:
            given = json.loads(given)
        except json.JSONDecodeError as error:
            raise RowError("embedding: not a JSON list of numbers") from error
    model, vector = SUPPLIED, given
    if isinstance(given, dict):
        model, vector = given.get("model") or SUPPLIED, given.get("vector")
        if not isinstance(model, str) or len(model) > 100:
            raise RowError("embedding: its model should be a name of at most 100 characters")
    if not isinstance(vector, list) or not 2 <= len(vector) <= MAX_DIMENSIONS:
        raise RowError(f"embedding: expected a list of 2 to {MAX_DIMENSIONS} numbers")
    if not all(
        isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x) for x in vector
    ):
        raise RowError("embedding: every value should be a finite number")
    return model.strip(), np.array(vector, dtype=np.float32)


def _citations(raw):
    """{citation_count, citations_counted_on} from the row's "citations" and
    "citations_counted_on", or {} when it gives no count."""
    count, counted_on = raw.get("citations"), raw.get("citations_counted_on")
    if count is None or count == "":
        if counted_on not in (None, ""):
            raise RowError("citations_counted_on: given without citations")
        return {}
    if isinstance(count, str) and count.strip().isdigit():
        count = int(count.strip())
    if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= MAX_CITATIONS:
        raise RowError(f"citations: “{str(count)[:20]}” is not a whole number of citations")
    if not isinstance(counted_on, str) or not counted_on.strip():
        raise RowError(
            "citations_counted_on: give the date the citations were counted (YYYY-MM-DD)"
        )
    try:
        date = dt.date.fromisoformat(counted_on.strip())
    except ValueError as error:
        raise RowError(
            f"citations_counted_on: “{counted_on[:20]}” is not a date as YYYY-MM-DD"
        ) from error
    if date > dt.date.today():
        raise RowError("citations_counted_on: a date in the future")
    return {"citation_count": count, "citations_counted_on": date}


def _text(raw, name, max_length=None):
    value = raw.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise RowError(f"{name}: expected text, got {type(value).__name__}")
    if "\x00" in value:
        raise RowError(f"{name}: contains a NUL character")
    value = value.strip()
    if max_length and len(value) > max_length:
        raise RowError(f"{name}: longer than {max_length} characters")
    return value


def _names(raw, name, max_length):
    value = raw.get(name) or []
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise RowError(f"{name}: expected a list of names")
    return [_text({name: item}, name, max_length) for item in value if item.strip()]


def check(rows, embeddings=None):
    """(good PaperRows, "line N: message" errors); a title twice in a file is an error,
    and so is a vector that does not match `embeddings` (EmbeddingRules)."""
    embeddings = embeddings or EmbeddingRules()
    good, errors, seen = [], [], {}
    for line, raw in rows:
        try:
            row = clean_row(line, raw)
            key = row.title.casefold()
            if key in seen:
                raise RowError(f"the same title as line {seen[key]}")
            embeddings.check(row)
            seen[key] = line
            good.append(row)
        except RowError as error:
            errors.append(f"line {line}: {error}")
    return good, errors


class EmbeddingRules:
    """One number of dimensions per model, and one model per conference: what the
    database holds, then what the file's first vectors say."""

    def __init__(self, conference=None):
        stored = SuppliedEmbedding.objects.values_list("model", "dimensions").distinct()
        self.dimensions = {model: (n, "the database") for model, n in stored}
        self.model = None
        if conference is not None:
            model = (
                SuppliedEmbedding.objects.filter(paper__conference=conference)
                .values_list("model", flat=True)
                .first()
            )
            self.model = (model, "this conference's papers") if model else None

    def check(self, row):
        if row.embedding is None:
            return
        model, vector = row.embedding
        if self.model and model != self.model[0]:
            raise RowError(
                f"embedding: a {model} vector, where {self.model[1]} have {self.model[0]} "
                "vectors (one model per conference)"
            )
        expected = self.dimensions.get(model)
        if expected and len(vector) != expected[0]:
            raise RowError(
                f"embedding: {len(vector)} dimensions, where {expected[1]} has "
                f"{expected[0]} for {model}"
            )
        self.dimensions.setdefault(model, (len(vector), f"line {row.line}"))
        self.model = self.model or (model, f"line {row.line}")


# Writing -------------------------------------------------------------------------


class NamedRows:
    """Authors or topics by name, ignoring case; the missing ones created in bulk."""

    def __init__(self, model, make):
        self.model, self.make = model, make
        self.ids = {}
        for pk, name in model._default_manager.order_by("-pk").values_list("pk", "name"):
            self.ids[name.casefold()] = pk  # the oldest row of a name wins
        self.slugs = None

    def ensure(self, names):
        missing = {}
        for name in names:
            missing.setdefault(name.casefold(), name)
        missing = {key: name for key, name in missing.items() if key not in self.ids}
        if not missing:
            return
        self.slugs = self.slugs or SlugAllocator(self.model)
        created = self.model._default_manager.bulk_create(
            [self.make(name, self.slugs(name)) for name in missing.values()]
        )
        self.ids.update((row.name.casefold(), row.pk) for row in created)

    def __getitem__(self, name):
        return self.ids[name.casefold()]


class PaperWriter:
    def __init__(self, conference):
        self.conference = conference
        self.papers = {
            title.casefold(): pk
            for pk, title in Paper.objects.filter(conference=conference).values_list("pk", "title")
        }
        self.authors = NamedRows(Author, lambda name, slug: Author(name=name, slug=slug))
        self.tags = NamedRows(Tag, lambda name, slug: Tag(name=name, slug=slug))
        self.slugs = None

    def write(self, rows, report):
        self.authors.ensure(name for row in rows for name in row.authors)
        self.tags.ensure(name for row in rows for name in row.topics)
        new = [row for row in rows if row.title.casefold() not in self.papers]
        old = [row for row in rows if row.title.casefold() in self.papers]
        self._create(new)
        changed = set(self._update(old))
        ids = [self.papers[row.title.casefold()] for row in rows]
        new_ids = {self.papers[row.title.casefold()] for row in new}
        changed |= set(self._set_authors(ids, rows)) - new_ids
        TaggedPaper.objects.bulk_create(
            [
                TaggedPaper(content_object_id=paper_id, tag_id=self.tags[name])
                for paper_id, row in zip(ids, rows, strict=True)
                for name in row.topics
            ],
            ignore_conflicts=True,
        )
        changed |= set(self._set_embeddings(ids, rows)) - new_ids
        report.created += len(new)
        report.updated += len(changed)
        return ids

    def _set_embeddings(self, ids, rows):
        """Store the vectors the file gives that differ from the stored ones; the ids."""
        given = {
            paper_id: row.embedding
            for paper_id, row in zip(ids, rows, strict=True)
            if row.embedding is not None
        }
        stored = SuppliedEmbedding.objects.filter(paper_id__in=given).values_list(
            "paper_id", "model", "vector"
        )
        same = {
            paper_id
            for paper_id, model, vector in stored
            if (model, bytes(vector)) == (given[paper_id][0], given[paper_id][1].tobytes())
        }
        changed = [paper_id for paper_id in given if paper_id not in same]
        SuppliedEmbedding.objects.filter(paper_id__in=changed).delete()
        SuppliedEmbedding.objects.bulk_create(
            SuppliedEmbedding(
                paper_id=paper_id,
                model=given[paper_id][0],
                dimensions=len(given[paper_id][1]),
                vector=given[paper_id][1].tobytes(),
            )
            for paper_id in changed
        )
        return changed

    def _create(self, rows):
        if not rows:
            return
        self.slugs = self.slugs or SlugAllocator(Paper)
        created = Paper.objects.bulk_create(
            Paper(
                title=row.title,
                slug=self.slugs(row.title),
                conference=self.conference,
                year=self.conference.year,
                **row.values,
            )
            for row in rows
        )
        self.papers.update((paper.title.casefold(), paper.pk) for paper in created)

    def _update(self, rows):
        """Write the papers whose stored fields differ from the file; their ids."""
        fields = ["title", *TEXT_FIELDS, *URL_FIELDS, *CITATION_FIELDS]
        by_id = Paper.objects.only(*fields).in_bulk(
            [self.papers[row.title.casefold()] for row in rows]
        )
        changed = []
        for row in rows:
            paper = by_id[self.papers[row.title.casefold()]]
            given = {k: v for k, v in row.values.items() if v not in ("", None)}
            wanted = {"title": row.title, **given}
            if any(getattr(paper, name) != value for name, value in wanted.items()):
                for name, value in wanted.items():
                    setattr(paper, name, value)
                changed.append(paper)
        Paper.objects.bulk_update(changed, fields, batch_size=100)
        return [paper.pk for paper in changed]

    def _set_authors(self, ids, rows):
        """Replace the author lists that differ from the file's; the papers' ids."""
        stored = {}
        for paper_id, author_id in (
            Authorship.objects.filter(paper_id__in=ids)
            .order_by("paper_id", "position")
            .values_list("paper_id", "author_id")
        ):
            stored.setdefault(paper_id, []).append(author_id)
        wanted = {
            paper_id: [self.authors[name] for name in row.authors]
            for paper_id, row in zip(ids, rows, strict=True)
        }
        changed = [paper_id for paper_id in ids if stored.get(paper_id) != wanted[paper_id]]
        Authorship.objects.filter(paper_id__in=changed).delete()
        Authorship.objects.bulk_create(
            Authorship(paper_id=paper_id, author_id=author_id, position=position)
            for paper_id in changed
            for position, author_id in enumerate(wanted[paper_id], start=1)
        )
        Paper.objects.filter(pk__in=changed, authors_et_al=True).update(authors_et_al=False)
        return changed


def import_papers(text, conference, file_format, strict=False, progress=None):
    """Import `text` into `conference`; returns an ImportReport.

    `progress` (optional) is called with the number of rows written after each batch.
    """
    rows, errors = check(read_rows(text, file_format), EmbeddingRules(conference))
    if not rows and not errors:
        raise ImportFailed("The file has no rows.")
    if strict and errors:
        raise ImportFailed(f"{len(errors)} bad rows; nothing was imported.", errors)
    report = ImportReport(errors=errors)
    writer = PaperWriter(conference)
    with transaction.atomic() if strict else nullcontext():
        for start in range(0, len(rows), BATCH_SIZE):
            batch = rows[start : start + BATCH_SIZE]
            with transaction.atomic():
                ids = writer.write(batch, report)
                papers_bulk_changed.send(sender=Paper, ids=ids)
            if progress:
                progress(len(batch))
    if report.created >= ANALYZE_AFTER and connection.vendor == "postgresql":
        # Fresh planner statistics: with the old row counts PostgreSQL would plan the
        # next queries on a topic or conference for a catalogue a fraction of its size.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {', '.join(model._meta.db_table for model in ANALYZED)}")
    papers_imported.send(sender=Paper, conference=conference, created=report.created)
    return report
