import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    """SiteRevision, moved from the guides app with its table (guides_siterevision) and
    its row: a new database gets both from guides.0008, so nothing is created here."""

    initial = True

    dependencies = [
        ("guides", "0010_move_site_revision_to_website"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="SiteRevision",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("number", models.PositiveBigIntegerField(default=1)),
                        ("changed_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("next_publication_at", models.DateTimeField(blank=True, null=True)),
                    ],
                    options={"db_table": "guides_siterevision"},
                ),
            ],
            database_operations=[],
        ),
    ]
