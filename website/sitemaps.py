"""/sitemap.xml: public content only, with the last time each page changed."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max

from guides.models import Guide, Webinar, public_guide
from papers.models import Author, Conference, Paper, Tag


class GuideSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.9

    def items(self):
        return Guide.objects.public().order_by("-published_at")

    def lastmod(self, guide):
        return guide.updated_at or guide.published_at


class ConferenceSitemap(Sitemap):
    def items(self):
        return Conference.objects.annotate(
            last_guide=Max("guides__published_at", filter=public_guide("guides__"))
        ).order_by("slug")

    def lastmod(self, conference):
        return conference.last_guide


class CatalogueSitemap(Sitemap):
    """Papers, authors and topics: catalogue pages, changed when a guide picks them."""

    model = None
    limit = 10_000

    def items(self):
        return self.model.objects.order_by("pk")


class PaperSitemap(CatalogueSitemap):
    model = Paper


class AuthorSitemap(CatalogueSitemap):
    model = Author


class TagSitemap(CatalogueSitemap):
    model = Tag


class WebinarSitemap(Sitemap):
    def items(self):
        return Webinar.objects.public().order_by("starts_on", "pk")


SITEMAPS = {
    "guides": GuideSitemap,
    "conferences": ConferenceSitemap,
    "papers": PaperSitemap,
    "authors": AuthorSitemap,
    "topics": TagSitemap,
    "webinars": WebinarSitemap,
}
