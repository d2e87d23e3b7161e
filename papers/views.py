"""Public pages of the catalogue."""

from django.views.generic import DetailView

from .models import Author, Conference, Paper, Tag


class ConferenceDetailView(DetailView):
    queryset = Conference.objects.select_related("series")


class PaperDetailView(DetailView):
    queryset = Paper.objects.with_authors()


class AuthorDetailView(DetailView):
    model = Author


class TagDetailView(DetailView):
    model = Tag
