"""Editors and contributors work with the media library and figures (see guides/roles.py)."""

from django.db import migrations

from guides import roles


def update_roles(apps, schema_editor):
    roles.create_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("guides", "0011_figures"),
        ("images", "0001_initial"),
    ]

    operations = [migrations.RunPython(update_roles, migrations.RunPython.noop)]
