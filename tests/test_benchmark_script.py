"""The benchmark script itself works: a tiny run (the real one is `bin/benchmark`)."""

import re

import pytest

from tests.test_load_script import run_script

pytestmark = pytest.mark.own_database


def test_a_tiny_benchmark_measures_every_page_in_every_mode():
    args = ["--papers=1000", "--duration=1", "--connections=2", "--workers=1", "--database=sqlite"]
    result = run_script("benchmark.py", *args, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    rows = [line for line in result.stdout.splitlines() if line.startswith("| ")]
    modes = {line.split("|")[1].strip() for line in rows[1:]}
    assert modes == {
        *("uncached", "cached", "304", "idle, paired", "1 edit/s", "varnish", "baseline")
    }
    assert len(rows) == 1 + (11 + 9) + 2 * 11 + 2 + 2 + 2  # other pages uncached only
    for row in rows[1:]:
        requests_per_second = float(row.split("|")[3])
        assert requests_per_second > 0, row
    assert "import_papers of 5,000 rows" in result.stdout and "errors: 0" in result.stdout
    assert "fit_embeddings with every map: " in result.stdout
    assert "database: sqlite" in result.stdout
    # The editor saved in the edited rows: once a second, each at least 2 s long.
    saves = int(re.search(r"^edits: (\d+) saves in the 5 edited rows$", result.stdout, re.M)[1])
    assert saves >= 5, saves


def test_postgresql_without_its_address_is_refused():
    result = run_script("benchmark.py", "--database=postgresql", timeout=60)
    assert result.returncode == 1
    assert "--database postgresql needs DATABASE_URL=postgres://" in result.stderr


def test_keeping_the_data_of_sqlite_needs_its_file():
    result = run_script("benchmark.py", "--database=sqlite", "--keep-data", timeout=60)
    assert result.returncode == 1
    assert "--keep-data on SQLite needs --sqlite-file" in result.stderr
