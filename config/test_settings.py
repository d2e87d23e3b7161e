"""Settings for the test suite: production settings with a throwaway key and fast hashing.

DEBUG stays off so tests see what production serves; the database is still the one
DATABASE_URL names (SQLite by default), so the same suite runs on PostgreSQL.
"""

import atexit
import os
import shutil
import tempfile

os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-not-a-secret")
# Jobs run at once in the test's own process (tests that need a worker start one),
# and a queue for later is a file of this run's own.
os.environ.setdefault("DJANGO_JOBS_IMMEDIATE", "true")
if "DJANGO_JOBS_FILE" not in os.environ:
    _jobs = tempfile.mkdtemp(prefix="guides-test-jobs-")
    atexit.register(shutil.rmtree, _jobs, ignore_errors=True)
    os.environ["DJANGO_JOBS_FILE"] = os.path.join(_jobs, "jobs.sqlite3")
os.environ.setdefault("DJANGO_SITE_URL", "http://testserver")
# Uploaded images go to a folder of this run's own, never the developer's media/.
if "DJANGO_MEDIA_ROOT" not in os.environ:
    os.environ["DJANGO_MEDIA_ROOT"] = tempfile.mkdtemp(prefix="guides-test-media-")
    atexit.register(shutil.rmtree, os.environ["DJANGO_MEDIA_ROOT"], ignore_errors=True)

from .settings import *  # noqa: F403

# Templates resolve {% static %} without a collectstatic manifest.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True  # files added while tests run are found too
WHITENOISE_USE_FINDERS = True  # serve from the finders; no collectstatic needed
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Schemathesis calls the WSGI application as "localhost".
ALLOWED_HOSTS = ["testserver", "localhost"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # as pytest-django sets it
COMMENT_MIN_SECONDS = 1

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not Django's shared in-memory database: the browser tests' live server
    # then gives each request thread its own connection, as gunicorn's workers have.
    # Threads sharing one sqlite3 connection can deadlock (one holds the database's
    # mutex while calling a Python SQL function that waits for the GIL, the other holds
    # the GIL while reading a row, which waits for the mutex). In shared memory if there
    # is some: the file is thrown away with the run.
    _test_db = tempfile.mkdtemp(
        prefix="guides-test-db-", dir="/dev/shm" if os.path.isdir("/dev/shm") else None
    )
    atexit.register(shutil.rmtree, _test_db, ignore_errors=True)
    DATABASES["default"]["TEST"] = {"NAME": os.path.join(_test_db, "test.sqlite3")}  # noqa: F405
