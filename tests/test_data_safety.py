"""Data safety: a dump restores exactly; migrations go back and forth cleanly."""

import difflib
import io
import re
from pathlib import Path

import pytest
from django.core.cache import caches
from django.core.management import call_command

from guides.models import Guide, Pick
from website.models import SiteRevision

README = Path(__file__).resolve().parent.parent / "README.md"


def backup_exclusions():
    """The labels the README's backup command leaves out (`-e LABEL`): the test restores
    the backup operators are told to make."""
    command = re.search(r"python manage.py dumpdata.*?> backup.json", README.read_text(), re.S)
    return re.findall(r"-e (\S+)", command.group())


def dump():
    out = io.StringIO()
    call_command(
        "dumpdata",
        "--natural-foreign",
        "--natural-primary",
        "--indent=1",
        *[f"--exclude={label}" for label in backup_exclusions()],
        stdout=out,
    )
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_dump_then_load_into_an_empty_database_reproduces_it(tmp_path, client):
    call_command("loaddata", "seed", verbosity=0)
    guide = Guide.objects.get(slug="iclr-2022-10-papers")
    guide.intro += "\n\nAn edit made after loading, with “quotes” & <tags>."
    guide.save()
    # A site that has run for a while stores the conference list at a high revision.
    SiteRevision.objects.filter(pk=1).update(number=10_000)
    assert client.get("/conferences/").status_code == 200
    before = dump()
    path = tmp_path / "backup.json"
    path.write_text(before, encoding="utf-8")

    call_command("flush", "--no-input", verbosity=0)
    assert Guide.objects.count() == 0 and Pick.objects.count() == 0
    call_command("loaddata", str(path), verbosity=0)
    after = dump()
    # A short diff: pytest's own rendering of two dumps this size hides where they differ.
    changes = difflib.unified_diff(before.splitlines(), after.splitlines(), n=6, lineterm="")
    assert after == before, "\n".join(list(changes)[:200])
    restored = Guide.objects.select_related("conference").get(slug="iclr-2022-10-papers")
    assert "An edit made after loading" in restored.intro

    # The restored site shows a change made after the restore, once the cache (not a
    # part of the backup) is cleared as the README says.
    for cache in caches.all():
        cache.clear()
    conference = restored.conference  # its primary key may differ from before
    conference.is_virtual, conference.location = False, "Moved after restore"
    conference.save()
    assert "Moved after restore" in client.get("/conferences/").content.decode()


@pytest.mark.django_db(transaction=True)
def test_migrations_unapply_and_apply_cleanly():
    call_command("migrate", "guides", "zero", verbosity=0)
    call_command("migrate", "papers", "zero", verbosity=0)
    call_command("migrate", verbosity=0)
    call_command("loaddata", "seed", verbosity=0)
    assert Pick.objects.count() == 121
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
