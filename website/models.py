"""What the reader site keeps of its own: the revision its cached pages are filed under."""

from django.db import models
from django.utils import timezone


class SiteRevision(models.Model):
    """One row whose number changes with anything readers could see (website.page_cache).

    Cached pages are filed under the number, so a change makes them all stale at once,
    in every process and on every server. `next_publication_at` is when a scheduled
    guide goes public: a change that comes with time rather than with a write.
    """

    number = models.PositiveBigIntegerField(default=1)
    changed_at = models.DateTimeField(default=timezone.now)
    next_publication_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        # Made by the guides app before the reader site had an app of its own; the
        # table kept its name so that moving the model moved no data.
        db_table = "guides_siterevision"

    def __str__(self):
        return f"revision {self.number} of {self.changed_at:%Y-%m-%d %H:%M}"


class ShareCard(models.Model):
    """A guide's generated share card (website.share_cards), with a fingerprint of the
    facts it shows: a card whose fingerprint no longer matches is drawn again."""

    guide = models.OneToOneField("guides.Guide", on_delete=models.CASCADE, related_name="+")
    fingerprint = models.CharField(max_length=64)
    png = models.BinaryField()
    drawn_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Share card of {self.guide}"
