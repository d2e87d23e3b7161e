"""A bounded load test on loopback, while an editor edits and publishes.

    .venv/bin/python scripts/load_test.py [--duration 60] [--concurrency 64] [--workers 4]

It makes a fresh database (a temporary SQLite file, or the one DATABASE_URL names —
it is emptied first, so never point it at real data), loads the seed, starts gunicorn
on 127.0.0.1, and runs `--concurrency` clients over the main public pages for
`--duration` seconds. Meanwhile an editor thread appends a numbered line to a guide's
intro and publishes / unpublishes another guide, twice a second, through the ORM.
At the end it checks that every edit is in the database, and prints one table:
requests, errors, requests/s and p50/p95/p99 latency per page. Exit status 1 on any
error or lost edit.
"""

import argparse
import http.client
import os
import statistics
import sys
import tempfile
import threading
import time
from collections import defaultdict

from serving import ROOT, environment, gunicorn, manage

PAGES = [
    "/",
    "/guides/",
    "/guides/neurips-2020-10-essentials/",
    "/guides/neurips-2023-highlights/",
    "/conferences/neurips-2021/",
    "/papers/?conference=iclr-2021&sort=title",
    "/papers/autoregressive-diffusion-models/",
    "/tags/reinforcement-learning/",
    "/search/?q=transformers",
    "/feeds/guides.atom",
]
EDITED, TOGGLED = "iclr-2022-10-papers", "iclr-2021-10-papers"


def client_loop(port, stop, results, errors):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    i = 0
    while not stop.is_set():
        page = PAGES[i % len(PAGES)]
        i += 1
        started = time.perf_counter()
        try:
            connection.request("GET", page)
            response = connection.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException) as error:
            errors.append(f"{page}: {error!r}")
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            continue
        elapsed = time.perf_counter() - started
        results[page].append(elapsed)
        if status >= 500 or status == 0:
            errors.append(f"{page}: HTTP {status}")


def editor_loop(stop, edits, errors):
    from django.db import close_old_connections
    from django.utils import timezone

    from guides.models import Guide, Status

    n = 0
    while not stop.is_set():
        try:
            guide = Guide.objects.get(slug=EDITED)
            n += 1
            guide.intro += f"\n\nLoad-test edit {n}."
            guide.updated_at = timezone.now()
            guide.save()
            edits.append(n)
            toggled = Guide.objects.get(slug=TOGGLED)
            if toggled.status == Status.PUBLISHED:
                toggled.status, toggled.published_at, toggled.updated_at = Status.DRAFT, None, None
            else:
                toggled.status, toggled.published_at = Status.PUBLISHED, timezone.now()
            toggled.save()
        except Exception as error:
            errors.append(f"editor: {error!r}")
        close_old_connections()
        time.sleep(0.5)


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def report(results, duration):
    rows = [("page", "requests", "req/s", "p50 ms", "p95 ms", "p99 ms")]
    for page in PAGES:
        times = results[page]
        if not times:
            rows.append((page, "0", "-", "-", "-", "-"))
            continue
        rows.append(
            (
                page,
                str(len(times)),
                f"{len(times) / duration:.1f}",
                f"{statistics.median(times) * 1000:.0f}",
                f"{percentile(times, 0.95) * 1000:.0f}",
                f"{percentile(times, 0.99) * 1000:.0f}",
            )
        )
    total = sum(len(t) for t in results.values())
    rows.append(("all pages", str(total), f"{total / duration:.1f}", "", "", ""))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "| " + " | ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)) + " |"
        for row in rows
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args(argv)

    workdir = tempfile.mkdtemp(prefix="load-test-")
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{workdir}/load.sqlite3"
    env = environment(database_url)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    if os.environ.get("DATABASE_URL"):
        manage(env, "flush", "--no-input", "-v0")
    manage(env, "migrate", "--no-input", "-v0")
    manage(env, "loaddata", "seed", "-v0")
    manage(env, "collectstatic", "--no-input", "-v0")

    import django

    django.setup()
    with gunicorn(env, args.port, args.workers, threads=4):
        stop, results, errors, edits = threading.Event(), defaultdict(list), [], []
        threads = [
            threading.Thread(target=client_loop, args=(args.port, stop, results, errors))
            for _ in range(args.concurrency)
        ]
        threads.append(threading.Thread(target=editor_loop, args=(stop, edits, errors)))
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        time.sleep(args.duration)
        stop.set()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started

    from guides.models import Guide

    intro = Guide.objects.get(slug=EDITED).intro
    lost = [n for n in edits if f"Load-test edit {n}." not in intro]
    print(
        f"{args.concurrency} clients, {args.workers} gunicorn workers, {elapsed:.0f} s, "
        f"database: {database_url.split(':')[0]}"
    )
    print(report(results, elapsed))
    print(f"errors: {len(errors)}; edits: {len(edits)}, lost: {len(lost)}")
    for error in errors[:10]:
        print("  ", error)
    return 1 if errors or lost or not edits else 0


if __name__ == "__main__":
    sys.exit(main())
