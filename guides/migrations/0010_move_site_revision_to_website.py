from django.db import migrations


class Migration(migrations.Migration):
    """SiteRevision belongs to the reader site now (website.0001): the model leaves this
    app's state, its table stays where it is."""

    dependencies = [
        ("guides", "0009_guide_article"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="SiteRevision")],
            database_operations=[],
        ),
    ]
