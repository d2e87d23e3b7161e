"""The reader site's addresses.

Their names keep the namespace of what they show, which models name in their
`get_absolute_url()`: `guides:` for guides, webinars, search and feeds, `papers:` for
the catalogue (conferences, papers, authors, topics).
"""

from django.urls import include, path

from .feeds import (
    AtomConferenceGuideFeed,
    AtomGuideFeed,
    AtomTagGuideFeed,
    ConferenceGuideFeed,
    GuideFeed,
    TagGuideFeed,
)
from .sitemaps import sitemap_index, sitemap_section
from .views import catalogue, guides, icons, media, search

guide_urls = [
    path("", guides.HomeView.as_view(), name="home"),
    path("guides/", guides.GuideListView.as_view(), name="guide-list"),
    path("guides/<slug:slug>/", guides.GuideDetailView.as_view(), name="guide-detail"),
    path("guides/<slug:slug>.bib", guides.GuideBibtexView.as_view(), name="guide-bibtex"),
    path(
        "guides/<slug:slug>/card.png", guides.GuideShareCardView.as_view(), name="guide-share-card"
    ),
    path("preview/guides/<slug:slug>/", guides.GuidePreviewView.as_view(), name="guide-preview"),
    path("search/", search.SearchView.as_view(), name="search"),
    path("webinars/", guides.WebinarListView.as_view(), name="webinar-list"),
    path("webinars/<slug:slug>/", guides.WebinarDetailView.as_view(), name="webinar-detail"),
    path("webinars.ics", guides.WebinarsCalendarView.as_view(), name="webinars-ics"),
    path("webinars/<slug:slug>.ics", guides.WebinarCalendarView.as_view(), name="webinar-ics"),
    path("feeds/guides.rss", GuideFeed(), name="feed-rss"),
    path("feeds/guides.atom", AtomGuideFeed(), name="feed-atom"),
    path("feeds/conferences/<slug:slug>.rss", ConferenceGuideFeed(), name="conference-feed-rss"),
    path(
        "feeds/conferences/<slug:slug>.atom", AtomConferenceGuideFeed(), name="conference-feed-atom"
    ),
    path("feeds/tags/<slug:slug>.rss", TagGuideFeed(), name="tag-feed-rss"),
    path("feeds/tags/<slug:slug>.atom", AtomTagGuideFeed(), name="tag-feed-atom"),
]

catalogue_urls = [
    path("conferences/", catalogue.ConferenceListView.as_view(), name="conference-list"),
    path(
        "conferences/<slug:slug>/",
        catalogue.ConferenceDetailView.as_view(),
        name="conference-detail",
    ),
    path("conferences/<slug:slug>/map.svg", catalogue.conference_map, name="conference-map"),
    path("papers/", catalogue.PaperListView.as_view(), name="paper-list"),
    path("papers/<slug:slug>/", catalogue.PaperDetailView.as_view(), name="paper-detail"),
    path("papers/<slug:slug>.bib", catalogue.PaperBibtexView.as_view(), name="paper-bibtex"),
    path("authors/", catalogue.AuthorListView.as_view(), name="author-list"),
    path("authors/suggestions.json", catalogue.author_suggestions, name="author-suggestions"),
    path("authors/<slug:slug>/", catalogue.AuthorDetailView.as_view(), name="author-detail"),
    path("tags/", catalogue.TagListView.as_view(), name="tag-list"),
    path("tags/<slug:slug>/", catalogue.TagDetailView.as_view(), name="tag-detail"),
]

urlpatterns = [
    path("media/renditions/<path:name>", media.rendition, name="rendition"),
    path("sitemap.xml", sitemap_index, name="sitemap"),
    path("sitemap-<section>.xml", sitemap_section, name="sitemap-section"),
    path("robots.txt", guides.robots_txt, name="robots-txt"),
    path("favicon.ico", icons.favicon, name="favicon"),
    path("site.webmanifest", icons.web_manifest, name="web-manifest"),
    path("", include((guide_urls, "guides"))),
    path("", include((catalogue_urls, "papers"))),
]
