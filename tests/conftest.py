"""Shared fixtures. Tests run against the database DATABASE_URL names (SQLite by default)."""

import pytest
from django.core.management import call_command
from django.db import transaction


@pytest.fixture(scope="module")
def _seed_for_module(django_db_setup, django_db_blocker):
    """Load the seed once per module, inside a transaction rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("loaddata", "seed", verbosity=0)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def seed(_seed_for_module, db):
    """The seed fixture, loaded the way operators load it; each test's changes roll back."""


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("editor", "editor@example.org", "pw-editor")
    client.force_login(user)
    return client


def member(group):
    """A staff user in one of the editorial groups."""
    from django.apps import apps
    from django.contrib.auth.models import Group

    from guides.roles import create_roles
    from tests.factories import UserFactory

    if not Group.objects.filter(name=group).exists():  # flushed by a browser test
        create_roles(apps)
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def editor(db):
    return member("Editor")


@pytest.fixture
def contributor(db):
    return member("Contributor")


@pytest.fixture
def queued():
    """Jobs queued for a worker, in the SQLite file, as without DJANGO_JOBS_IMMEDIATE."""
    from huey.contrib.djhuey import HUEY

    HUEY.immediate = False
    HUEY.flush()
    yield HUEY
    HUEY.flush()
    HUEY.immediate = True


@pytest.fixture(autouse=True)
def _empty_caches():
    """Each test's database changes roll back, but cached pages would outlive them."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    # And jobs queued for later (retries) in the in-memory queue of immediate mode.
    from huey.contrib.djhuey import HUEY

    HUEY.flush()
    # And the tag stamps a process read (website.page_cache).
    from website.page_cache import forget_recent_stamps

    forget_recent_stamps()
    # So would the vectors a process holds (discovery.related).
    from discovery.related import INDEX

    INDEX.forget()
