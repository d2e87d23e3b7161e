"""What the reader site keeps of its own: the revisions its cached pages are checked
against, and generated share cards."""

from django.db import models
from django.utils import timezone


class SiteRevision(models.Model):
    """One row whose number moves with anything readers could see (website.page_cache):
    the clock that cache tags are stamped with. `next_publication_at` is when a
    scheduled guide goes public: a change that comes with time rather than a write.
    """

    number = models.PositiveBigIntegerField(default=1)
    changed_at = models.DateTimeField(default=timezone.now)
    next_publication_at = models.DateTimeField(null=True, blank=True)
    # Of the templates stored renderings were made from (website.template_changes).
    templates_fingerprint = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        # Made by the guides app before the reader site had an app of its own; the
        # table kept its name so that moving the model moved no data.
        db_table = "guides_siterevision"

    def __str__(self):
        return f"revision {self.number} of {self.changed_at:%Y-%m-%d %H:%M}"


class CacheTag(models.Model):
    """A cache tag (website.cache_tags: "paper-12", "guide", "site") and the site
    revision at its last change: a cached page is current while none of its tags
    changed after the revision it was rendered at."""

    name = models.CharField(max_length=100, primary_key=True)
    revision = models.PositiveBigIntegerField()
    changed_at = models.DateTimeField()

    def __str__(self):
        return f"{self.name} at revision {self.revision}"


class ShareCard(models.Model):
    """A guide's generated share card (website.share_cards), with a fingerprint of the
    facts it shows: a card whose fingerprint no longer matches is drawn again."""

    guide = models.OneToOneField("guides.Guide", on_delete=models.CASCADE, related_name="+")
    fingerprint = models.CharField(max_length=64)
    png = models.BinaryField()
    drawn_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Share card of {self.guide}"


class StoredSection(models.Model):
    """A section of a public page rendered once (website.stored_sections), with the site
    revision it was rendered at: current while none of the cache tags it is rendered
    from changed after that revision. Derived: emptied by clear_stored_html."""

    key = models.CharField(max_length=200, unique=True)  # "conference-map-3"
    html = models.TextField()
    revision = models.PositiveBigIntegerField()
    # The cache tags of what a section naming its objects showed ("paper-12"): it is
    # current while none of them changed, and tags the page it is served on with them.
    tags = models.JSONField(default=list, blank=True)

    def __str__(self):
        return f"{self.key} at revision {self.revision}"
