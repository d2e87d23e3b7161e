"""Data safety: a dump restores exactly; migrations go back and forth cleanly."""

import io

import pytest
from django.core.management import call_command

from guides.models import Guide, Pick

# What a portable backup leaves out: rebuilt by migrate, logs, or cache bookkeeping.
EXCLUDE = [
    "website.siterevision",
    "website.cachetag",
    "website.sharecard",
    "guides.embeddedimage",
    "contenttypes",
    "auth.permission",
    "sessions",
    "admin.logentry",
    "reversion",
    "axes",
]


def dump():
    out = io.StringIO()
    call_command(
        "dumpdata",
        "--natural-foreign",
        "--natural-primary",
        "--indent=1",
        *[f"--exclude={label}" for label in EXCLUDE],
        stdout=out,
    )
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_dump_then_load_into_an_empty_database_reproduces_it(tmp_path):
    call_command("loaddata", "seed", verbosity=0)
    guide = Guide.objects.get(slug="iclr-2022-10-papers")
    guide.intro += "\n\nAn edit made after loading, with “quotes” & <tags>."
    guide.save()
    before = dump()
    path = tmp_path / "backup.json"
    path.write_text(before, encoding="utf-8")

    call_command("flush", "--no-input", verbosity=0)
    assert Guide.objects.count() == 0 and Pick.objects.count() == 0
    call_command("loaddata", str(path), verbosity=0)
    assert dump() == before
    assert "An edit made after loading" in Guide.objects.get(slug="iclr-2022-10-papers").intro


@pytest.mark.django_db(transaction=True)
def test_migrations_unapply_and_apply_cleanly():
    call_command("migrate", "guides", "zero", verbosity=0)
    call_command("migrate", "papers", "zero", verbosity=0)
    call_command("migrate", verbosity=0)
    call_command("loaddata", "seed", verbosity=0)
    assert Pick.objects.count() == 121
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
