"""The production profile and browser-facing security: headers, HTTPS, throttled logins."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_SECURE": "true",
    "DJANGO_SECRET_KEY": "a-real-secret-" + "x" * 50,
    "DJANGO_ALLOWED_HOSTS": "guides.example.org",
    "DATABASE_URL": "postgres://guides@db.internal:5432/guides",
}


def manage(*args, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    clean["DJANGO_SETTINGS_MODULE"] = "config.settings"
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_the_production_variables():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_production_profile_names_what_is_missing():
    result = manage("check", DJANGO_SECURE="true", DJANGO_SECRET_KEY="k" * 60)
    assert result.returncode != 0
    assert "needs DJANGO_ALLOWED_HOSTS and DATABASE_URL" in result.stderr


def test_the_admin_path_is_configurable():
    code = "from django.urls import reverse; print(reverse('admin:index'))"
    result = manage(
        "shell", "-v0", "-c", code, DJANGO_ADMIN_PATH="backstage-7f3k", DJANGO_DEBUG="true"
    )
    assert result.stdout.strip() == "/backstage-7f3k/"


@pytest.mark.django_db
def test_security_headers(client):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert "'unsafe-inline'" not in directives["default-src"]
    assert directives["frame-ancestors"] == "'none'"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_https_redirect_hsts_and_secure_cookies_in_production(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    redirect = client.get("/guides/")
    assert redirect.status_code == 301 and redirect["Location"] == "https://testserver/guides/"
    secure = client.get("/guides/", secure=True)
    assert secure["Strict-Transport-Security"].startswith("max-age=31536000")
    login = client.get(reverse("admin:login"), secure=True)
    cookie = login.cookies["csrftoken"]
    assert cookie["secure"] and cookie["httponly"]


@pytest.mark.django_db
def test_healthz_checks_the_database(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_admin_login_is_throttled(client, django_user_model):
    django_user_model.objects.create_user("editor", password="the right pass phrase", is_staff=True)
    url = reverse("admin:login")
    for _ in range(4):
        response = client.post(url, {"username": "editor", "password": "wrong guess"})
        assert response.status_code == 200  # the form again, with its error
    assert client.post(url, {"username": "editor", "password": "wrong guess"}).status_code == 429
    locked = client.post(url, {"username": "editor", "password": "the right pass phrase"})
    assert locked.status_code == 429
    assert b"Too many failed log-in attempts" in locked.content
    assert "_auth_user_id" not in client.session


def test_passwords_must_be_strong():
    for weak in ["short", "password1234", "123456789012"]:
        with pytest.raises(ValidationError):
            validate_password(weak)
    validate_password("correct horse battery staple")
