"""Each topic's stored number of papers (`Tag.paper_count`), kept by the same signals as
the other derived data: a topic added to or removed from a paper (one by one, as the
admin and taggit do) recounts that topic; a bulk write (an import, loaddata) recounts
every topic in one statement."""

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Tag, TaggedPaper
from .signals import papers_bulk_changed, per_change


def recount(topics):
    """Store the paper counts of the `topics` queryset."""
    links = (
        TaggedPaper.objects.filter(tag=OuterRef("pk"))
        .order_by()
        .values("tag")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return topics.update(paper_count=Coalesce(Subquery(links), 0))


@receiver(post_save, sender=TaggedPaper)
@receiver(post_delete, sender=TaggedPaper)
@per_change
def topic_link_changed(sender, instance, **kwargs):
    recount(Tag.objects.filter(pk=instance.tag_id))


@receiver(papers_bulk_changed)
def papers_written_in_bulk(sender, **kwargs):
    recount(Tag.objects.all())
