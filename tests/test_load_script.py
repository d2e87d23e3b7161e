"""The load-test script itself works (a short run; the real one is documented in the README)."""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.own_database


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_script(script, *args, timeout=300):
    """Run scripts/`script` on a free port, on a temporary SQLite database of its own."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env.pop("REDIS_URL", None)
    return subprocess.run(
        [sys.executable, f"scripts/{script}", *args, f"--port={free_port()}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_a_short_load_test_reports_no_errors_and_no_lost_edits():
    result = run_script("load_test.py", "--duration=3", "--concurrency=4", "--workers=1")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "errors: 0;" in result.stdout and "lost: 0" in result.stdout
    assert "| /guides/neurips-2020-10-essentials/" in result.stdout
