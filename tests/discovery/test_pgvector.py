"""The pgvector path, against a real PostgreSQL with the extension: Debian's server here
has none, so the test starts the one pgserver ships (PyPI) on loopback, and runs
the site's commands against it in subprocesses (the suite's own database stays put)."""

import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.test_load_script import ROOT, free_port

pgserver = pytest.importorskip("pgserver", reason="pgserver is a dev dependency")


def as_postgres_user(command):
    """PostgreSQL refuses to run as root: as root, run it as the postgres user."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


@pytest.fixture(scope="module")
def pgvector_server():
    binaries = Path(pgserver.__file__).parent / "pginstall" / "bin"
    # Not under pytest's temporary directory, which only root may enter.
    home = Path(tempfile.mkdtemp(prefix="pgvector-"))
    data = home / "data"
    data.mkdir()
    if os.geteuid() == 0:
        shutil.chown(home, "postgres")
        shutil.chown(data, "postgres")
    port = free_port()
    subprocess.run(
        as_postgres_user(
            [str(binaries / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust"]
        ),
        check=True,
        capture_output=True,
    )
    options = f"-p {port} -k {data} -c listen_addresses=127.0.0.1 -c fsync=off"
    start = [str(binaries / "pg_ctl"), "-D", str(data), "-o", options, "-w", "-l"]
    subprocess.run(as_postgres_user([*start, str(data / "log"), "start"]), check=True)
    try:
        yield f"postgres://postgres@127.0.0.1:{port}/postgres"
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):
            stop = [str(binaries / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"]
            subprocess.run(as_postgres_user(stop), check=True, capture_output=True)
        shutil.rmtree(home, ignore_errors=True)


def manage(url, *args, **extra_env):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env.pop("REDIS_URL", None)
    env.update(DATABASE_URL=url, DJANGO_DEBUG="true", **extra_env)
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


CHECKS = """
import json
from django.test import Client
from discovery import hybrid
from discovery.models import EmbeddingFit
from discovery.related import INDEX, InMemoryPapers, related_papers
from papers.models import Paper

paper = Paper.objects.get(slug="rethinking-attention-with-performers")
exact = InMemoryPapers()
vector = exact.matrix[exact.position[paper.pk]]
page = Client(HTTP_HOST="localhost").get(paper.get_absolute_url())
print(json.dumps({
    "store": EmbeddingFit.objects.latest().store,
    "related": [item.paper.pk for item in related_papers(paper)],
    "exact": [i for i, _ in exact.closest(vector, 6, exclude=[paper.pk])],
    "in_conference": [i for i, _ in INDEX.closest_papers(vector, 10, paper.conference_id)],
    "exact_in_conference": [
        i for i, _ in exact.closest(vector, 10, conference_id=paper.conference_id)
    ],
    "page": [page.status_code, "Related papers" in page.content.decode()],
    "search": [r.title for r in hybrid.search("headcam footage of babies, a curriculum")][:1],
}))
"""


def test_related_papers_and_search_through_hnsw_with_measured_recall(pgvector_server):
    url = pgvector_server
    manage(url, "migrate", "-v0")
    manage(url, "loaddata", "seed", "-v0")
    manage(url, "generate_demo_data", "--papers=3000", "-v0")
    assert "Fitted tfidf-svd on 3,1" in manage(url, "fit_embeddings", "--no-maps")
    checked = json.loads(manage(url, "shell", "-c", CHECKS).strip().splitlines()[-1])
    assert checked["store"] == "pgvector"
    assert checked["page"] == [200, True]
    assert checked["search"] == ["Curriculum Learning With Infant Egocentric Videos"]
    assert len(set(checked["related"]) & set(checked["exact"])) >= 5
    # Filtered by conference: as many as asked, the nearest of that conference.
    assert len(checked["in_conference"]) == 10
    assert len(set(checked["in_conference"]) & set(checked["exact_in_conference"])) >= 8
    measured = manage(url, "measure_vector_recall", "--sample=300")
    recall = float(re.search(r"recall@10 against exact search: ([\d.]+)", measured).group(1))
    assert recall >= 0.95, measured
    # Turned off, the same server is searched exactly in memory.
    manage(url, "fit_embeddings", "--no-maps", DJANGO_DISCOVERY_PGVECTOR="off")
    checked = json.loads(manage(url, "shell", "-c", CHECKS).strip().splitlines()[-1])
    assert checked["store"] == "numpy" and checked["related"] == checked["exact"]
