from django.db import migrations


def create_and_fill(apps, schema_editor):
    """SQLite's FTS5 tables (search.fts), filled from the rows there are."""
    if schema_editor.connection.vendor != "sqlite":
        return
    from search import fts

    with schema_editor.connection.cursor() as cursor:
        fts.create_tables(cursor)
    fts.rebuild(
        {
            "paper": apps.get_model("papers", "Paper"),
            "pick": apps.get_model("guides", "Pick"),
            "guide": apps.get_model("guides", "Guide"),
        }
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        from search import fts

        with schema_editor.connection.cursor() as cursor:
            fts.drop_tables(cursor)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_build_vectors"),
        ("papers", "0007_paper_identifiers"),
        ("guides", "0013_guide_draft_of"),
    ]

    operations = [migrations.RunPython(create_and_fill, drop)]
