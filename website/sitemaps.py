"""/sitemap.xml: an index of one sitemap per kind of page (/sitemap-papers.xml?p=2),
public content only, with the last time each page changed.

Catalogue sitemaps are split in pages of CATALOGUE_PAGE addresses, read as slugs
rather than model instances, and written without a template: a page renders in a few
milliseconds at any size of corpus, where one sitemap of every paper took over a
second at 50,000 papers (and left out all but the first 10,000).
"""

import datetime

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import Max
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.utils import timezone
from django.utils.html import escape

from guides.models import Guide, Webinar, public_guide
from papers.models import Author, Conference, Paper, Tag
from papers.slugs import slug_url

from . import cache_tags
from .stored_sections import address_key, stored_count, stored_section

CATALOGUE_PAGE = 500
# What the index dates and counts: every kind it lists (a scheduled guide going public
# stamps SITE).
INDEXED_FROM = [cache_tags.SITE, "guide", "conference", "paper", "author", "topic", "webinar"]


class GuideSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.9

    def items(self):
        return (
            Guide.objects.public()
            .annotate(changed_at=Coalesce("updated_at", "published_at"))
            .only("slug")
            .order_by("-published_at")
        )

    def lastmod(self, guide):
        return guide.changed_at

    def get_latest_lastmod(self):  # for the index, without loading every guide
        return self.items().aggregate(latest=Max("changed_at"))["latest"]


class ConferenceSitemap(Sitemap):
    def items(self):
        return Conference.objects.annotate(
            last_guide=Max("guides__published_at", filter=public_guide("guides__"))
        ).order_by("slug")

    def lastmod(self, conference):
        return conference.last_guide

    def get_latest_lastmod(self):
        return Guide.objects.public().aggregate(latest=Max("published_at"))["latest"]


class CatalogueSitemap(Sitemap):
    """Papers, authors and topics, in pages: each page of the catalogue by its slug."""

    model = None
    view_name = None
    limit = CATALOGUE_PAGE

    def items(self):
        return self.model.objects.order_by("pk").values_list("slug", flat=True)

    @property
    def paginator(self):
        pages = super().paginator
        pages.count = stored_count(self.model)  # the index numbers every page
        return pages

    def location(self, slug):
        return slug_url(self.view_name, slug)


class PaperSitemap(CatalogueSitemap):
    model = Paper
    view_name = "papers:paper-detail"


class AuthorSitemap(CatalogueSitemap):
    model = Author
    view_name = "papers:author-detail"


class TagSitemap(CatalogueSitemap):
    model = Tag
    view_name = "papers:tag-detail"


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


def sitemap_section(request, section):
    """One kind's sitemap, a page of it (`?p=2`): Django's view, the XML written here."""
    response = sitemap_views.sitemap(request, SITEMAPS, section=section)
    response.content = urlset_xml(response.context_data["urlset"])
    return response


def sitemap_index(request):
    """/sitemap.xml: Django's index view, the XML written here (an address per page of
    each catalogue sitemap: 340 at 50,000 papers, 10 ms through the template), stored
    per address until what it counts or dates changes (8 queries, then 2)."""

    def render():
        response = sitemap_views.index(request, SITEMAPS, sitemap_url_name="sitemap-section")
        return index_xml(response.context_data["sitemaps"])

    body = stored_section(address_key("sitemap-index", request), render, INDEXED_FROM)
    response = HttpResponse(body, content_type="application/xml")
    response["X-Robots-Tag"] = "noindex, noodp, noarchive"  # as Django's view says
    return response


def index_xml(sitemaps):
    """What Django's sitemap_index.xml template renders."""
    lines = []
    for sitemap in sitemaps:
        line = f"<sitemap><loc>{escape(sitemap.location)}</loc>"
        if sitemap.last_mod:
            line += f"<lastmod>{_local(sitemap.last_mod).isoformat()}</lastmod>"
        lines.append(line + "</sitemap>")
    return _document("sitemapindex", lines)


def urlset_xml(urls):
    """What Django's sitemap.xml template renders, less its alternates (we have no
    translations): the template took 30 µs an address, most of a page's time."""
    lines = []
    for url in urls:
        line = f"<url><loc>{escape(url['location'])}</loc>"
        if url["lastmod"]:
            line += f"<lastmod>{w3c_date(url['lastmod'])}</lastmod>"
        if url["changefreq"]:
            line += f"<changefreq>{url['changefreq']}</changefreq>"
        if url["priority"]:
            line += f"<priority>{url['priority']}</priority>"
        lines.append(line + "</url>")
    return _document("urlset", lines)


def _document(root, lines):
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<{root} xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        + "\n".join(lines)
        + f"\n</{root}>\n"
    )


def w3c_date(moment):
    """The day of a date or of a datetime in the current time zone, as |date:"Y-m-d"."""
    if isinstance(moment, datetime.datetime):
        moment = timezone.localdate(moment)
    return moment.isoformat()


def _local(moment):
    """A datetime in the current time zone, as templates show it; a date as it is."""
    if isinstance(moment, datetime.datetime) and timezone.is_aware(moment):
        return timezone.localtime(moment)
    return moment
