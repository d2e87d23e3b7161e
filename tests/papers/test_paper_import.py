"""Bulk paper import (`import_papers` and the admin upload): good, bad and rerun files."""

import io
import json

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from papers.models import Author, Authorship, Conference, Paper, Tag
from search import queries

CONFERENCE = "neurips-2023"

ROWS = [
    {
        "title": "Sparse Mixtures of Bulk Importers",
        "authors": ["Ada Importer", "YANG SONG", "Bea Batch"],
        "abstract": "We import many papers quickly.",
        "tldr": "Import in batches.",
        "paper_url": "https://openreview.net/forum?id=bulk1",
        "code_url": "https://github.com/example/bulk",
        "topics": ["Data loading", "AI for science"],
    },
    {
        "title": "A Second Imported Paper",
        "authors": ["Bea Batch"],
        "topics": ["data loading"],
    },
]


def jsonl(rows):
    return "".join(json.dumps(row) + "\n" for row in rows)


def run(path, *args, err=None):
    out, err = io.StringIO(), err or io.StringIO()
    call_command(
        "import_papers", str(path), "--conference", CONFERENCE, *args, stdout=out, stderr=err
    )
    return out.getvalue(), err.getvalue()


def catalogue_size():
    return (
        Paper.objects.count(),
        Author.objects.count(),
        Authorship.objects.count(),
        Tag.objects.count(),
    )


def test_a_good_file_creates_papers_with_authors_in_order_and_topics(seed, tmp_path):
    path = tmp_path / "papers.jsonl"
    path.write_text(jsonl(ROWS))
    authors_before = Author.objects.count()

    out, _ = run(path)

    assert "2 papers created, 0 updated." in out
    paper = Paper.objects.get(title=ROWS[0]["title"])
    assert paper.conference.slug == CONFERENCE and paper.year == 2023
    names = [a.author.name for a in paper.authorships.order_by("position")]
    assert names == ["Ada Importer", "Yang Song", "Bea Batch"]  # the seed's Yang Song, reused
    assert Author.objects.count() == authors_before + 2
    assert paper.code_url == "https://github.com/example/bulk"
    assert sorted(paper.tags.values_list("name", flat=True)) == ["AI for science", "Data loading"]
    second = Paper.objects.get(title="A Second Imported Paper")
    assert list(second.tags.values_list("name", flat=True)) == ["Data loading"]  # one topic
    assert [r.url for r in queries.search("bulk importers", kinds=["paper"])][:1] == [
        paper.get_absolute_url()
    ]


def test_the_public_site_shows_an_imported_paper(seed, tmp_path, client):
    path = tmp_path / "papers.jsonl"
    path.write_text(jsonl(ROWS))
    run(path)
    paper = Paper.objects.get(title=ROWS[0]["title"])
    page = client.get(paper.get_absolute_url()).content.decode()
    assert "Ada Importer" in page and "We import many papers quickly." in page
    listing = client.get("/papers/", {"q": "bulk importers"}).content.decode()
    assert ROWS[0]["title"] in listing


def test_a_rerun_adds_and_changes_nothing(seed, tmp_path):
    path = tmp_path / "papers.jsonl"
    path.write_text(jsonl(ROWS))
    run(path)
    size = catalogue_size()

    out, _ = run(path)

    assert "0 papers created, 0 updated." in out
    assert catalogue_size() == size


def test_a_rerun_with_changes_updates_in_place_and_keeps_what_the_file_leaves_empty(seed, tmp_path):
    path = tmp_path / "papers.jsonl"
    path.write_text(jsonl(ROWS))
    run(path)
    paper = Paper.objects.get(title=ROWS[0]["title"])
    changed = {
        "title": ROWS[0]["title"].upper(),  # the same natural key, ignoring case
        "authors": ["Bea Batch", "Ada Importer"],
        "tldr": "A new TL;DR.",
        "topics": ["Efficiency"],
    }
    path.write_text(jsonl([changed, ROWS[1]]))

    out, _ = run(path)

    assert "0 papers created, 1 updated." in out
    paper.refresh_from_db()
    assert paper.title == changed["title"] and paper.tldr == "A new TL;DR."
    assert paper.abstract == "We import many papers quickly."  # empty in the file: kept
    assert [a.author.name for a in paper.authorships.order_by("position")] == changed["authors"]
    assert set(paper.tags.values_list("name", flat=True)) == {
        "AI for science",
        "Data loading",
        "Efficiency",
    }


def test_csv_with_semicolon_lists_quoted_lines_and_a_byte_order_mark(seed, tmp_path):
    path = tmp_path / "papers.csv"
    path.write_text(
        "\ufefftitle,authors,abstract,topics\n"
        'CSV Paper One,"Ada Importer; Bea Batch","Two lines,\nof abstract",Data loading\n'
        "CSV Paper Two,Bea Batch,,\n",
        encoding="utf-8",
    )

    out, _ = run(path)

    assert "2 papers created" in out
    one = Paper.objects.get(title="CSV Paper One")
    assert one.abstract == "Two lines,\nof abstract"
    assert [a.author.name for a in one.authorships.order_by("position")] == [
        "Ada Importer",
        "Bea Batch",
    ]


BAD_ROWS = [
    ("{not json", "line 2: not valid JSON"),
    ('["a list"]', "line 2: not a JSON object"),
    ('{"title": "", "authors": ["A"]}', "line 2: the title is missing"),
    ('{"title": "No authors"}', "line 2: the authors are missing"),
    ('{"title": "T", "authors": "Ada"}', "line 2: authors: expected a list of names"),
    ('{"title": "T", "authors": ["Ada", "ada"]}', "line 2: an author is listed twice"),
    ('{"title": "T", "authors": ["A"], "paper_url": "javascript:alert(1)"}', "not an http(s) URL"),
    ('{"title": "T", "authors": ["A"], "year": 2023}', "line 2: unknown fields: year"),
    ('{"title": "T\\u0000", "authors": ["A"]}', "title: contains a NUL character"),
    ('{"title": "' + "x" * 501 + '", "authors": ["A"]}', "title: longer than 500 characters"),
    (json.dumps(ROWS[1]), "line 2: the same title as line 1"),
    ('{"title": "T", "authors": ["A"], "citations": 12}', "the date the citations were counted"),
    (
        '{"title": "T", "authors": ["A"], "citations": -3, "citations_counted_on": "2024-01-01"}',
        "citations: “-3” is not a whole number",
    ),
    (
        '{"title": "T", "authors": ["A"], "citations": 3, "citations_counted_on": "01/02/2024"}',
        "“01/02/2024” is not a date as YYYY-MM-DD",
    ),
    ('{"title": "T", "authors": ["A"], "citations_counted_on": "2024-01-01"}', "without citations"),
    (
        '{"title": "T", "authors": ["A"], "citations": 3, "citations_counted_on": "2999-01-01"}',
        "a date in the future",
    ),
]


@pytest.mark.parametrize("bad, message", BAD_ROWS)
def test_a_bad_row_is_reported_with_its_line_and_skipped(seed, tmp_path, bad, message):
    path = tmp_path / "papers.jsonl"
    path.write_text(jsonl([ROWS[1]]) + bad + "\n" + jsonl([ROWS[0]]))

    err = io.StringIO()
    with pytest.raises(CommandError, match="1 bad rows were skipped"):
        run(path, err=err)
    assert message in err.getvalue()
    assert Paper.objects.filter(title__in=[ROWS[0]["title"], ROWS[1]["title"]]).count() == 2


def test_citations_are_imported_updated_and_listed_on_the_conference_page(seed, tmp_path, client):
    path = tmp_path / "papers.csv"
    path.write_text(
        "title,authors,citations,citations_counted_on\n"
        "Cited a lot,Ada Importer,1200,2024-03-01\n"
        "Cited a little,Bea Batch,7,2024-03-01\n"
        "Not counted,Bea Batch,,\n"
    )
    run(path)
    cited = Paper.objects.get(title="Cited a lot")
    assert (cited.citation_count, str(cited.citations_counted_on)) == (1200, "2024-03-01")
    assert Paper.objects.get(title="Not counted").citation_count is None
    # A later count replaces it; a row without one keeps it.
    path.write_text(
        "title,authors,citations,citations_counted_on\n"
        "Cited a lot,Ada Importer,1300,2024-06-01\n"
        "Cited a little,Bea Batch,,\n"
    )
    run(path)
    cited.refresh_from_db()
    assert (cited.citation_count, str(cited.citations_counted_on)) == (1300, "2024-06-01")
    assert Paper.objects.get(title="Cited a little").citation_count == 7

    page = client.get(Conference.objects.get(slug=CONFERENCE).get_absolute_url())
    soup = BeautifulSoup(page.content, "html.parser")
    section = soup.find("h2", id="cited-title").parent
    assert section.h2.get_text() == "The 2 most cited papers"
    items = section.select("li.paper-item")
    assert [li.select_one("a.paper-title").get_text(strip=True) for li in items] == [
        "Cited a lot",
        "Cited a little",
    ]
    assert "Cited 1300 times (counted on 1 June 2024)" in items[0].p.get_text()
    paper_page = BeautifulSoup(client.get(cited.get_absolute_url()).content, "html.parser")
    assert "Cited 1300 times" in paper_page.select_one(".page-header").get_text(" ", strip=True)


def test_bad_rows_are_named_on_stderr(seed, tmp_path):
    path = tmp_path / "papers.jsonl"
    lines = [json.dumps(ROWS[0]), '{"title": "x"}', "", "{oops"]
    path.write_text("\n".join(lines) + "\n")
    err = io.StringIO()
    with pytest.raises(CommandError):
        run(path, err=err)
    assert "papers.jsonl, line 2: the authors are missing" in err.getvalue()
    assert "papers.jsonl, line 4: not valid JSON" in err.getvalue()


@pytest.mark.parametrize("bad, message", BAD_ROWS[:3])
def test_strict_mode_writes_nothing_when_a_row_is_bad(seed, tmp_path, bad, message):
    path = tmp_path / "papers.jsonl"
    path.write_text(jsonl([ROWS[1]]) + bad + "\n" + jsonl([ROWS[0]]))
    size = catalogue_size()
    err = io.StringIO()

    with pytest.raises(CommandError, match="nothing was imported"):
        run(path, "--strict", err=err)
    assert message in err.getvalue()
    assert catalogue_size() == size


@pytest.mark.parametrize(
    "name, content, args, message",
    [
        ("p.jsonl", jsonl(ROWS), ["--conference", "nope-2023"], "No conference “nope-2023”"),
        ("p.txt", jsonl(ROWS), ["--conference", CONFERENCE], "Cannot tell the format"),
        ("p.csv", "title,authors,year\nT,A,2023\n", ["--conference", CONFERENCE], "year"),
        ("p.csv", "", ["--conference", CONFERENCE], "no header row"),
        ("p.jsonl", "\n\n", ["--conference", CONFERENCE], "no rows"),
    ],
)
def test_a_file_that_cannot_be_imported_is_a_clear_error(
    seed, tmp_path, name, content, args, message
):
    path = tmp_path / name
    path.write_text(content)
    size = catalogue_size()
    with pytest.raises(CommandError, match=message):
        call_command("import_papers", str(path), *args, stdout=io.StringIO(), stderr=io.StringIO())
    assert catalogue_size() == size


def test_a_file_that_is_not_utf8_is_a_clear_error(seed, tmp_path):
    path = tmp_path / "p.csv"
    path.write_bytes("title,authors\nCaf\xe9,A\n".encode("latin-1"))
    with pytest.raises(CommandError, match="Cannot read"):
        run(path)


def test_many_rows_are_written_in_batches_with_shared_authors(seed, tmp_path):
    rows = [
        {"title": f"Batch paper {n}", "authors": [f"Author {n % 97}", f"Author {n % 89 + 100}"]}
        for n in range(1234)
    ]
    path = tmp_path / "many.jsonl"
    path.write_text(jsonl(rows))
    authors_before = Author.objects.count()
    before = planner_estimate("papers_paper", analyze=True)

    out, _ = run(path)

    assert "1234 papers created" in out
    assert Author.objects.count() == authors_before + 97 + 89
    assert Paper.objects.filter(title__startswith="Batch paper").count() == 1234
    assert len(set(Paper.objects.values_list("slug", flat=True))) == Paper.objects.count()
    if connection.vendor == "postgresql":  # statistics refreshed for the planner
        assert before == Paper.objects.count() - 1234
        assert planner_estimate("papers_paper") == Paper.objects.count()


def planner_estimate(table, analyze=False):
    """PostgreSQL's idea of the table's rows (after an ANALYZE if asked); 0 on SQLite."""
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        if analyze:
            cursor.execute(f'ANALYZE "{table}"')
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table])
        return cursor.fetchone()[0]


# The admin upload ------------------------------------------------------------------


def upload(client, content, name="papers.jsonl", strict=False):
    data = {
        "conference": Conference.objects.get(slug=CONFERENCE).pk,
        "file": SimpleUploadedFile(name, content.encode()),
    }
    if strict:
        data["strict"] = "on"
    return client.post(reverse("admin:papers_paper_import"), data)


def test_an_editor_imports_papers_in_the_admin(seed, client, editor):
    client.force_login(editor)
    changelist = client.get(reverse("admin:papers_paper_changelist")).content.decode()
    assert reverse("admin:papers_paper_import") in changelist

    response = upload(client, jsonl(ROWS))

    assert response.status_code == 302
    assert Paper.objects.filter(title=ROWS[0]["title"]).exists()
    page = client.get(response["Location"]).content.decode()
    assert "2 papers created, 0 updated." in page


def test_the_admin_lists_bad_rows_and_imports_the_good_ones(seed, client, editor):
    client.force_login(editor)
    response = upload(client, jsonl(ROWS) + '{"title": "<b>x</b>"}\n')

    assert response.status_code == 400
    page = response.content.decode()
    assert "line 3: the authors are missing" in page
    assert "2 papers created, 0 updated, 1 bad rows skipped." in page
    assert Paper.objects.filter(title=ROWS[0]["title"]).exists()


def test_the_admin_in_strict_mode_writes_nothing(seed, client, editor):
    client.force_login(editor)
    size = catalogue_size()
    response = upload(client, jsonl(ROWS) + "{oops\n", strict=True)
    assert response.status_code == 400
    assert "line 3: not valid JSON" in response.content.decode()
    assert "nothing was imported" in response.content.decode()
    assert catalogue_size() == size


def test_the_admin_refuses_a_file_of_unknown_format(seed, client, editor):
    client.force_login(editor)
    response = upload(client, jsonl(ROWS), name="papers.xlsx")
    assert response.status_code == 400
    assert "Cannot tell the format" in response.content.decode()


def test_contributors_may_not_import_papers(seed, client, contributor):
    client.force_login(contributor)
    assert client.get(reverse("admin:papers_paper_import")).status_code == 403
    assert upload(client, jsonl(ROWS)).status_code == 403
    assert not Paper.objects.filter(title=ROWS[0]["title"]).exists()
    changelist = client.get(reverse("admin:papers_paper_changelist")).content.decode()
    assert reverse("admin:papers_paper_import") not in changelist
