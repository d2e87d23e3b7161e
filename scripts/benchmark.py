"""The speed of the main public pages on the demo corpus, as ratios machines can compare.

    bin/benchmark                      (PostgreSQL)
    bin/benchmark --database sqlite    (the embedded default: a temporary SQLite file)
    bin/benchmark --keep-data          (the corpus of an earlier run, measured again)
    bin/benchmark --database sqlite --sqlite-file F [--keep-data]

It empties the database DATABASE_URL names (or a temporary SQLite file), loads
the seed, times `generate_demo_data`, an `import_papers` of 5,000 rows and
`fit_embeddings` (the embedder and every conference's map), vacuums
(PostgreSQL), then starts gunicorn on 127.0.0.1 and measures every page with wrk for
`--duration` seconds: first with the page cache off (every request renders), then on
(warmed), then as conditional GETs that get 304s, then the cached guide while an
editor saves an unrelated paper every second (in turn with the idle guide, five times
each: the medians), then the guide and a paper page through
Varnish (deploy/varnish/, Debian's varnishd). In the same runs it measures a
minimal Django view (robots.txt: the whole middleware stack, no query) and a static
file of the guide page's size served by the same server (WhiteNoise), and reports each
page's throughput as a share of both.
"""

import argparse
import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from serving import ROOT, environment, free_port, gunicorn, manage, varnish

GUIDE = "/guides/neurips-2020-10-essentials/"
PAGES = {
    "home": "/",
    "guide (10 picks)": GUIDE,
    "guide (81 picks)": "/guides/neurips-2023-highlights/",
    "conference": "/conferences/neurips-2023/",
    "paper": "/papers/autoregressive-diffusion-models/",
    "papers, 2 filters + sort": "/papers/?conference=neurips-2024&tag=transformers&sort=title",
    "tag": "/tags/transformers/",
    "search": "/search/?q=diffusion+transformers",
    "search, in other words": "/search/?q=headcam+footage+of+babies+as+a+training+curriculum",
    "papers similar to one": "/papers/?similar_to=autoregressive-diffusion-models",
    "feed": "/feeds/guides.atom",
}
# Every other kind of public page, measured uncached only.
OTHER_PAGES = {
    "guides": "/guides/",
    "conferences": "/conferences/",
    "topics": "/tags/",
    "authors": "/authors/",
    "author": "/authors/yang-song/",
    "webinars": "/webinars/",
    "webinar": "/webinars/neurips-2021-webinar/",
    "sitemap index": "/sitemap.xml",
    "sitemap of papers, page 2": "/sitemap-papers.xml?p=2",
}
MINIMAL, STATIC = "minimal Django view", "static file, same size"
# The cached guide idle and under edits, measured in turn this many times.
EDIT_PAIRS = 5
# An editor saving a paper no guide shows, once a second while the file BENCHMARK_EDITING
# names exists; each save one transaction, as the admin's are, marked in the file.
EDITS = """
import os, time
from django.db import transaction
from django.db.models import Exists, OuterRef
from guides.models import Pick, Reference
from papers.models import Paper
# Anti-joins by EXISTS: written as picks=None (three outer joins) it took 20 s on PostgreSQL.
shown = [Pick.objects, Reference.objects, Pick.related_papers.through.objects]
unshown = Paper.objects.filter(*(~Exists(rows.filter(paper=OuterRef("pk"))) for rows in shown))
paper = unshown.latest("pk")
with transaction.atomic():
    paper.save()
print("ready", flush=True)
while True:
    time.sleep(1)
    if os.path.exists(os.environ["BENCHMARK_EDITING"]):
        with transaction.atomic():
            paper.save()
        try:  # a mark a save in the file, which the benchmark counts (never recreated)
            marks = os.open(os.environ["BENCHMARK_EDITING"], os.O_WRONLY | os.O_APPEND)
        except FileNotFoundError:
            continue
        os.write(marks, b".")
        os.close(marks)
"""
WRK_REPORT = """
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %d %d %d %d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    summary.errors.status + summary.errors.connect + summary.errors.read +
    summary.errors.write + summary.errors.timeout))
end
"""


def wrk(url, duration, connections, headers=()):
    script = Path(tempfile.gettempdir()) / "benchmark-report.lua"
    script.write_text(WRK_REPORT)
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "-s", str(script), url]
    for header in headers:
        command[1:1] = ["-H", header]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("RESULT"))
    requests, micros, p50, p95, p99, errors = map(int, line.split()[1:])
    return {
        "rps": requests / (micros / 1e6),
        "p50": p50 / 1000,
        "p95": p95 / 1000,
        "p99": p99 / 1000,
        "errors": errors,
    }


def fetch(port, path, headers=None):
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", path, headers=headers or {})
    response = connection.getresponse()
    return response.status, dict(response.getheaders()), response.read()


@contextlib.contextmanager
def editor(env, switch):
    """An editor process that saves once a second while the file `switch` exists, until
    the block ends (each save stamps its tags). The block starts after its first save:
    its start-up (Django, numpy) would otherwise take a core from the site."""
    process = subprocess.Popen(
        [sys.executable, "manage.py", "shell", "-c", EDITS],
        cwd=ROOT,
        env={**env, "BENCHMARK_EDITING": str(switch)},
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        for line in process.stdout:  # after what the shell says of itself
            if line.strip() == "ready":
                break
        else:
            raise RuntimeError("the editor stopped before its first edit")
        yield process
    finally:
        process.terminate()
        process.wait(timeout=30)


def measure(port, pages, args, headers=None):
    results = {}
    for name, path in pages.items():
        status, _, _ = fetch(port, path)  # warm: stored renderings, caches, connections
        assert status == 200, f"{path}: HTTP {status}"
        # A short unmeasured run first, so every worker has its connections and imports.
        wrk(f"http://127.0.0.1:{port}{path}", 1, args.connections)
        extra = [f"{k}: {v}" for k, v in (headers or {}).get(name, {}).items()]
        url = f"http://127.0.0.1:{port}{path}"
        results[name] = wrk(url, args.duration, args.connections, extra)
    return results


def edit_rows(args, env, workdir):
    """The cached guide idle, then while an editor saves once a second, EDIT_PAIRS times
    in turn: each row's median (a single row varies by ±15 % on two shared cores), and
    the number of saves. One editor process runs through both kinds of row, so only
    its saves differ."""
    page = {"guide (10 picks)": GUIDE}
    switch = workdir / "editing"
    idle, edited, saves = [], [], 0
    with editor(env, switch):
        for _ in range(EDIT_PAIRS):
            idle.append(measure(args.port, page, args)["guide (10 picks)"])
            switch.touch()
            edited.append(measure(args.port, page, args)["guide (10 picks)"])
            saves += switch.stat().st_size
            switch.unlink()
    rows = {"guide (10 picks)": median_row(idle)}, {"guide (10 picks)": median_row(edited)}
    return *rows, saves


def median_row(results):
    """The median of each measure of several wrk runs of one page; every error counted."""
    row = {key: statistics.median(r[key] for r in results) for key in ("rps", "p50", "p95", "p99")}
    return row | {"errors": sum(r["errors"] for r in results)}


def table(runs, baselines):
    rows = [("mode", "page", "req/s", "p50 ms", "p95 ms", "p99 ms", "÷ minimal", "÷ static")]
    for mode, results in runs.items():
        for name, r in results.items():
            rows.append(
                (
                    mode,
                    name,
                    f"{r['rps']:.0f}",
                    f"{r['p50']:.1f}",
                    f"{r['p95']:.1f}",
                    f"{r['p99']:.1f}",
                    f"{r['rps'] / baselines[MINIMAL]['rps']:.0%}",
                    f"{r['rps'] / baselines[STATIC]['rps']:.0%}",
                )
            )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |"
        for row in rows
    ]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def timed(label, env, *args):
    started = time.monotonic()
    manage(env, *args)
    seconds = time.monotonic() - started
    print(f"{label}: {seconds:.1f} s", flush=True)
    return seconds


def import_file(path, rows):
    with path.open("w") as out:
        for n in range(rows):
            authors = [f"Benchmark Author {(n * 7 + k) % 3000}" for k in range(4)]
            out.write(
                json.dumps(
                    {
                        "title": f"Benchmark import paper {n}",
                        "authors": authors,
                        "abstract": "An abstract of a paper imported by the benchmark. " * 6,
                        "tldr": "Imported in bulk.",
                        "paper_url": f"https://openreview.net/forum?id=bench{n}",
                        "topics": ["Transformers", "Benchmarks"],
                    }
                )
                + "\n"
            )


def build(env, papers, workdir):
    """An emptied database with the seed and the demo corpus, then an import: their times."""
    manage(env, "flush", "--no-input", "-v0")
    manage(env, "loaddata", "seed", "-v0")
    generate = timed(
        f"generate_demo_data --papers {papers}",
        env,
        *("generate_demo_data", f"--papers={papers}", "-v0"),
    )
    import_file(workdir / "import.jsonl", 5000)
    imported = timed(
        "import_papers, 5,000 rows",
        {**env, "DJANGO_DISCOVERY_REFIT_AFTER": str(10**9)},  # the fit is timed next
        *("import_papers", str(workdir / "import.jsonl"), "--conference=icml-2025", "-v0"),
    )
    fitted = timed("fit_embeddings (fit and every conference map)", env, "fit_embeddings")
    return generate, imported, fitted


def settle(env):
    """On PostgreSQL, VACUUM ANALYZE what was just written, as autovacuum soon would: so
    index-only scans need no heap visits and no vacuum runs during the measurements."""
    if env["DATABASE_URL"].startswith("postgres"):
        import psycopg

        with psycopg.connect(env["DATABASE_URL"], autocommit=True) as db:
            db.execute("VACUUM ANALYZE")
            # Its writes now, not during a measurement (superusers only).
            with contextlib.suppress(psycopg.errors.InsufficientPrivilege):
                db.execute("CHECKPOINT")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--papers", type=int, default=50_000)
    parser.add_argument("--duration", type=int, default=10, help="Seconds per page and mode.")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) + 1)
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument(
        "--keep-data", action="store_true", help="Measure the corpus a previous run built."
    )
    parser.add_argument(
        "--sqlite-file",
        type=Path,
        help="sqlite: this file instead of a temporary one (with --keep-data, as it is).",
    )
    parser.add_argument(
        "--database",
        choices=["postgresql", "sqlite"],
        default="postgresql" if os.environ.get("DATABASE_URL") else "sqlite",
        help="sqlite: a file of its own, whatever DATABASE_URL says (the embedded default).",
    )
    args = parser.parse_args(argv)
    if not shutil.which("wrk"):
        sys.exit("The benchmark needs wrk: apt-get install wrk")

    workdir = Path(tempfile.mkdtemp(prefix="benchmark-"))
    if args.database == "sqlite":
        database_url = f"sqlite:///{(args.sqlite_file or workdir / 'bench.sqlite3').resolve()}"
        if args.keep_data and not args.sqlite_file:
            sys.exit("--keep-data on SQLite needs --sqlite-file: a temporary file starts empty.")
    else:
        database_url = os.environ.get("DATABASE_URL")
        if not database_url or not database_url.startswith("postgres"):
            sys.exit(
                "--database postgresql needs DATABASE_URL=postgres://… (bin/benchmark sets it)."
            )
    env = environment(database_url)
    manage(env, "migrate", "--no-input", "-v0")
    generate = imported = fitted = None
    if not args.keep_data:
        generate, imported, fitted = build(env, args.papers, workdir)
    settle(env)
    manage(env, "collectstatic", "--no-input", "-v0")

    # A static file as large as the guide page, for WhiteNoise to serve.
    with gunicorn(env, args.port, 1):
        size = len(fetch(args.port, GUIDE)[2])
    static_root = ROOT / "staticfiles"
    (static_root / "benchmark").mkdir(exist_ok=True)
    (static_root / "benchmark" / "guide-sized.html").write_bytes(b"x" * size)
    baseline_pages = {MINIMAL: "/robots.txt", STATIC: "/static/benchmark/guide-sized.html"}

    runs = {}
    with gunicorn({**env, "DJANGO_PAGE_CACHE": "false"}, args.port, args.workers):
        baselines = measure(args.port, baseline_pages, args)
        runs["uncached"] = measure(args.port, PAGES | OTHER_PAGES, args)
    with gunicorn(env, args.port, args.workers):
        runs["cached"] = measure(args.port, PAGES, args)
        etags = {
            name: {"If-None-Match": fetch(args.port, p)[1]["ETag"]} for name, p in PAGES.items()
        }
        runs["304"] = measure(args.port, PAGES, args, headers=etags)
        runs["idle, paired"], runs["1 edit/s"], saves = edit_rows(args, env, workdir)
        proxy_port = free_port()
        with varnish(args.port, proxy_port, workdir / "varnish"):
            pages = {"guide (10 picks)": GUIDE, "paper": PAGES["paper"]}
            runs["varnish"] = measure(proxy_port, pages, args)
    runs["baseline"] = baselines

    print(
        f"\n{args.papers:,} papers, {args.workers} gunicorn workers, wrk with "
        f"{args.connections} connections for {args.duration} s per row, "
        f"database: {database_url.split(':')[0]}, {os.cpu_count()} CPUs\n"
    )
    print(table(runs, baselines))
    if generate is not None:
        print(
            f"\ngenerate_demo_data: {generate:.0f} s; import_papers of 5,000 rows: "
            f"{imported:.1f} s; fit_embeddings with every map: {fitted:.1f} s"
        )
    print(f"edits: {saves} saves in the {EDIT_PAIRS} edited rows")
    errors = sum(r["errors"] for results in runs.values() for r in results.values())
    print(f"errors: {errors}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
