"""Papers as vectors: where "related papers" come from (discovery.related)."""

from django.db import models

from guides.models import Pick
from papers.models import Paper


class EmbeddingFit(models.Model):
    """One fitting of the embedder on the catalogue (`manage.py fit_embeddings`). Each
    process keeps the vectors of the latest fit in memory and reloads them when a newer
    one appears."""

    embedder = models.CharField(max_length=100)
    dimensions = models.PositiveSmallIntegerField()
    papers = models.PositiveIntegerField()
    fitted_at = models.DateTimeField(auto_now_add=True)
    seconds = models.FloatField(help_text="How long the fit took.")
    model = models.BinaryField(
        null=True, help_text="What embeds a search query in the same space (the embedder's)."
    )
    store = models.CharField(
        max_length=20,
        default="numpy",
        help_text="Where papers' nearest neighbours are searched: numpy or pgvector.",
    )

    class Meta:
        get_latest_by = "pk"

    def __str__(self):
        return f"{self.embedder}, {self.papers:,} papers, {self.fitted_at:%Y-%m-%d %H:%M}"


class PaperVector(models.Model):
    """A paper's embedding (float32, unit length) and its most distinctive terms."""

    paper = models.OneToOneField(
        Paper, on_delete=models.CASCADE, primary_key=True, related_name="vector"
    )
    vector = models.BinaryField()
    terms = models.JSONField(default=list, help_text="Its most distinctive terms, best first.")

    def __str__(self):
        return f"Vector of {self.paper_id}"


class PickVector(models.Model):
    """A pick's embedding: its paper's texts with the editor's why and key insights."""

    pick = models.OneToOneField(
        Pick, on_delete=models.CASCADE, primary_key=True, related_name="vector"
    )
    vector = models.BinaryField()

    def __str__(self):
        return f"Vector of pick {self.pick_id}"


class ConferenceMap(models.Model):
    """Where each paper of a conference sits in two dimensions (from its vector), and
    the map's regions, each named by its most distinctive terms (`discovery.maps`)."""

    conference = models.OneToOneField(
        "papers.Conference", on_delete=models.CASCADE, related_name="map"
    )
    computed_at = models.DateTimeField(auto_now=True)
    # [[paper id, x, y, region index]], x and y in [0, 1]
    points = models.JSONField(default=list)
    # [{"label", "x", "y", "papers"}]: a region's name, its centre, its number of papers
    regions = models.JSONField(default=list)

    def __str__(self):
        return f"Map of {self.conference_id}: {len(self.points)} papers"
