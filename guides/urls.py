from django.urls import path

from . import feeds, views

app_name = "guides"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("guides/", views.GuideListView.as_view(), name="guide-list"),
    path("guides/<slug:slug>/", views.GuideDetailView.as_view(), name="guide-detail"),
    path("guides/<slug:slug>.bib", views.GuideBibtexView.as_view(), name="guide-bibtex"),
    path("preview/guides/<slug:slug>/", views.GuidePreviewView.as_view(), name="guide-preview"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("webinars/", views.WebinarListView.as_view(), name="webinar-list"),
    path("webinars/<slug:slug>/", views.WebinarDetailView.as_view(), name="webinar-detail"),
    path("webinars.ics", views.WebinarsCalendarView.as_view(), name="webinars-ics"),
    path("webinars/<slug:slug>.ics", views.WebinarCalendarView.as_view(), name="webinar-ics"),
    path("feeds/guides.rss", feeds.GuideFeed(), name="feed-rss"),
    path("feeds/guides.atom", feeds.AtomGuideFeed(), name="feed-atom"),
    path(
        "feeds/conferences/<slug:slug>.rss", feeds.ConferenceGuideFeed(), name="conference-feed-rss"
    ),
    path(
        "feeds/conferences/<slug:slug>.atom",
        feeds.AtomConferenceGuideFeed(),
        name="conference-feed-atom",
    ),
    path("feeds/tags/<slug:slug>.rss", feeds.TagGuideFeed(), name="tag-feed-rss"),
    path("feeds/tags/<slug:slug>.atom", feeds.AtomTagGuideFeed(), name="tag-feed-atom"),
]
