from django.db import migrations, models
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce


def count_papers(apps, schema_editor):
    """Each topic's papers, counted once; papers.topic_counts keeps them from now on."""
    Tag = apps.get_model("papers", "Tag")
    TaggedPaper = apps.get_model("papers", "TaggedPaper")
    links = (
        TaggedPaper.objects.filter(tag=OuterRef("pk"))
        .order_by()
        .values("tag")
        .annotate(count=Count("pk"))
        .values("count")
    )
    Tag.objects.update(paper_count=Coalesce(Subquery(links), 0))


class Migration(migrations.Migration):
    dependencies = [
        ("papers", "0009_supplied_embeddings"),
    ]

    operations = [
        migrations.AddField(
            model_name="tag",
            name="paper_count",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.AddIndex(
            model_name="tag",
            index=models.Index(
                models.OrderBy(models.F("paper_count"), descending=True),
                models.F("name"),
                name="topic_by_size",
            ),
        ),
        migrations.RunPython(count_papers, migrations.RunPython.noop),
    ]
