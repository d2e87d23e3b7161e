"""Create the Editor and Contributor groups with their permissions (see guides/roles.py)."""

from django.db import migrations

from guides import roles


def create_roles(apps, schema_editor):
    roles.create_roles(apps)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=roles.ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("guides", "0002_guide_created_by_and_publish_permission"),
        ("papers", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
