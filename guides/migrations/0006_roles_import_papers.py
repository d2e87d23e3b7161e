"""Editors may import papers in bulk: bring the groups up to date (see guides/roles.py)."""

from django.db import migrations

from guides import roles


def update_roles(apps, schema_editor):
    roles.create_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("guides", "0005_guide_version"),
        ("papers", "0003_paper_import_permission"),
    ]

    operations = [migrations.RunPython(update_roles, migrations.RunPython.noop)]
