from django.db import migrations


def build_vectors(apps, schema_editor):
    """Vectors for the rows that existed before the columns did (a no-op when empty)."""
    if schema_editor.connection.vendor == "postgresql":
        from search.index import rebuild

        names = ["Paper", "Authorship"]
        models = {name: apps.get_model("papers", name) for name in names}
        models.update(Pick=apps.get_model("guides", "Pick"), Guide=apps.get_model("guides", "Guide"))
        rebuild(models)


class Migration(migrations.Migration):
    """Moved from guides.0004, which adds the columns: the search app fills them."""

    dependencies = [
        ("guides", "0004_search_vectors"),
    ]

    operations = [
        migrations.RunPython(build_vectors, migrations.RunPython.noop, elidable=True),
    ]
