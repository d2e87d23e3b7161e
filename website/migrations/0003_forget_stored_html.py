from django.db import migrations
from django.db.models import F


def forget(apps, schema_editor):
    """Articles and pick cards now show figures and carry an image for JSON-LD: the
    stored ones are rendered again on their next view (as `clear_stored_html` does)."""
    apps.get_model("guides", "Guide").objects.update(
        article_html="", article_ld=None, article_generation=F("article_generation") + 1
    )
    apps.get_model("guides", "Pick").objects.exclude(card_html="").update(card_html="")


class Migration(migrations.Migration):
    dependencies = [
        ("website", "0002_share_card"),
        ("guides", "0011_figures"),
    ]

    operations = [migrations.RunPython(forget, migrations.RunPython.noop, elidable=True)]
