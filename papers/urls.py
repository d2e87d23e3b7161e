from django.urls import path

from . import views

app_name = "papers"

urlpatterns = [
    path("conferences/", views.ConferenceListView.as_view(), name="conference-list"),
    path(
        "conferences/<slug:slug>/", views.ConferenceDetailView.as_view(), name="conference-detail"
    ),
    path("papers/", views.PaperListView.as_view(), name="paper-list"),
    path("papers/<slug:slug>/", views.PaperDetailView.as_view(), name="paper-detail"),
    path("papers/<slug:slug>.bib", views.PaperBibtexView.as_view(), name="paper-bibtex"),
    path("authors/", views.AuthorListView.as_view(), name="author-list"),
    path("authors/<slug:slug>/", views.AuthorDetailView.as_view(), name="author-detail"),
    path("tags/", views.TagListView.as_view(), name="tag-list"),
    path("tags/<slug:slug>/", views.TagDetailView.as_view(), name="tag-detail"),
]
