from django.urls import path

from . import views

app_name = "guides"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("guides/", views.GuideListView.as_view(), name="guide-list"),
    path("guides/<slug:slug>/", views.GuideDetailView.as_view(), name="guide-detail"),
    path("preview/guides/<slug:slug>/", views.GuidePreviewView.as_view(), name="guide-preview"),
    path("webinars/", views.WebinarListView.as_view(), name="webinar-list"),
    path("webinars/<slug:slug>/", views.WebinarDetailView.as_view(), name="webinar-detail"),
]
