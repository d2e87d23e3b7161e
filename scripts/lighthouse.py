"""Lighthouse on a guide with ten figures, served by gunicorn with production settings.

    npm install --prefix /tmp/lh lighthouse        # once; not a dependency of the project
    .venv/bin/python scripts/lighthouse.py [--lighthouse /tmp/lh/node_modules/.bin/lighthouse]

Builds a throwaway SQLite database with the seed, gives NeurIPS 2020's cover and nine
of its pick figures photo-like images (4000 x 3000 JPEGs), collects static files, and
serves the site with gunicorn on 127.0.0.1 as in production (DEBUG off, compressed
static files with hashed names, the page cache), but over plain HTTP: the HTTPS
redirect of DJANGO_SECURE needs a TLS proxy in front. Then runs Lighthouse's mobile
preset in Debian's Chromium and prints the scores, LCP, CLS and the image bytes, and
what kept a score below 100. Not part of the test suite: it takes a minute and wants npm.
"""

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUIDE = "/guides/neurips-2020-10-essentials/"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare(environment):
    code = f"""
import django; django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
call_command("loaddata", "seed", verbosity=0)
call_command("collectstatic", "--no-input", verbosity=0)
import sys; sys.path.insert(0, {str(ROOT / "scripts")!r})
from rendition_timing import photo
from django.core.files.uploadedfile import SimpleUploadedFile
from guides.models import Figure
from images.library import store_file
from images.models import Image
from images.uploads import clean_upload
figures = Figure.objects.filter(guide__slug="neurips-2020-10-essentials").order_by("number")[:10]
for n, figure in enumerate(figures):
    clean = clean_upload(SimpleUploadedFile("photo.jpg", photo(4000, 3000, n)))
    figure.image = store_file(Image(title=f"Photo {{n}}", alt_text=f"Figure {{n}}"), clean)
    figure.save()
"""
    subprocess.run([PYTHON, "-c", code], cwd=ROOT, env=environment, check=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lighthouse", default="/tmp/lh/node_modules/.bin/lighthouse")
    args = parser.parse_args()
    port = free_port()
    with tempfile.TemporaryDirectory() as folder:
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DJANGO_SECRET_KEY": "lighthouse-only-not-a-secret",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": f"sqlite:///{folder}/db.sqlite3",
            "DJANGO_MEDIA_ROOT": f"{folder}/media",
        }
        prepare(environment)
        server = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "config.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2"],
            cwd=ROOT,
            env=environment,
            stderr=subprocess.DEVNULL,
        )
        try:
            time.sleep(3)
            report = Path(tempfile.gettempdir()) / "lighthouse-guide.json"
            subprocess.run(
                [
                    args.lighthouse,
                    f"http://127.0.0.1:{port}{GUIDE}",
                    "--output=json",
                    f"--output-path={report}",
                    "--quiet",
                    "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
                ],
                env={**environment, "CHROME_PATH": "/usr/bin/chromium"},
                check=True,
            )
            result = json.loads(report.read_text())
            if "runtimeError" in result:
                sys.exit(f"Lighthouse could not load the page: {result['runtimeError']}")
        finally:
            server.terminate()
    scores = {
        name: c["score"] and round(c["score"] * 100) for name, c in result["categories"].items()
    }
    audits = result["audits"]
    print(json.dumps(scores))
    requests = audits["network-requests"]["details"]["items"]
    image_bytes = sum(r["transferSize"] for r in requests if r.get("resourceType") == "Image")
    lcp = audits["largest-contentful-paint"]["displayValue"]
    cls = audits["cumulative-layout-shift"]["displayValue"]
    print(f"LCP {lcp}, CLS {cls}, image bytes {image_bytes:,}")
    for name, category in result["categories"].items():
        for ref in category["auditRefs"]:
            audit = audits[ref["id"]]
            if audit.get("score") is not None and audit["score"] < 1 and ref["weight"] > 0:
                print(f"  {name}: {audit['title']} ({audit.get('displayValue', '')})")


if __name__ == "__main__":
    main()
