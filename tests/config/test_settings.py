"""Configuration comes from the environment, with safe defaults.

Each case starts a fresh Python process, because settings are read once at start-up.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]
SHOW = (
    "import django, json; from django.conf import settings; django.setup(); "
    "db = settings.DATABASES['default']; "
    "print(json.dumps([settings.DEBUG, db['ENGINE'], db['NAME'], settings.ALLOWED_HOSTS]))"
)


def run_settings(**env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    clean["DJANGO_SETTINGS_MODULE"] = "config.settings"
    return subprocess.run(
        [sys.executable, "-c", SHOW],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_without_a_secret_key_debug_off_refuses_to_start_and_says_how():
    result = run_settings()
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr
    assert "export DJANGO_SECRET_KEY=" in result.stderr


def test_defaults_are_debug_off_and_a_sqlite_file():
    result = run_settings(DJANGO_SECRET_KEY="k" * 50)
    debug, engine, name, hosts = json.loads(result.stdout)
    assert (debug, engine, hosts) == (False, "django.db.backends.sqlite3", [])
    assert Path(name) == ROOT / "db.sqlite3"


def test_debug_must_be_asked_for():
    debug, *_ = json.loads(run_settings(DJANGO_DEBUG="true").stdout)
    assert debug is True


def test_database_url_selects_postgresql_and_hosts_come_from_the_environment():
    result = run_settings(
        DJANGO_SECRET_KEY="k" * 50,
        DATABASE_URL="postgres://guides@db.internal:5432/guides",
        DJANGO_ALLOWED_HOSTS="guides.example.org,www.guides.example.org",
    )
    _, engine, name, hosts = json.loads(result.stdout)
    assert (engine, name) == ("django.db.backends.postgresql", "guides")
    assert hosts == ["guides.example.org", "www.guides.example.org"]


@pytest.mark.django_db
def test_models_and_migrations_agree():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


JOBS_AND_MAIL = (
    "import django, json; from django.conf import settings; django.setup(); "
    "from huey.contrib.djhuey import HUEY; "
    "print(json.dumps([type(HUEY).__name__, HUEY.immediate, settings.EMAIL_BACKEND, "
    "settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS]))"
)


def jobs_and_mail(**env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    result = subprocess.run(
        [sys.executable, "-c", JOBS_AND_MAIL],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", "DJANGO_DEBUG": "true", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_jobs_queue_in_sqlite_by_default_and_in_redis_in_production():
    """The embedded default needs nothing but Python, even with DEBUG on."""
    default = jobs_and_mail()
    assert default[:3] == ["SqliteHuey", False, "django.core.mail.backends.console.EmailBackend"]
    production = jobs_and_mail(
        REDIS_URL="redis://127.0.0.1:6379/5",
        DJANGO_EMAIL_URL="smtp+tls://user:pw@mail.example.org:587",
    )
    assert production == [
        "RedisHuey",
        False,
        "django.core.mail.backends.smtp.EmailBackend",
        "mail.example.org",
        587,
        True,
    ]
