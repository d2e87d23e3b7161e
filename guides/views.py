"""Public pages of guides and webinars. Only public guides are ever shown."""

from django.views.generic import DetailView, ListView

from .models import Guide, Webinar


class HomeView(ListView):
    template_name = "guides/home.html"

    def get_queryset(self):
        return Guide.objects.public().select_related("conference__series")[:10]


class GuideListView(ListView):
    paginate_by = 20

    def get_queryset(self):
        return Guide.objects.public().select_related("conference__series")


class GuideDetailView(DetailView):
    def get_queryset(self):
        return Guide.objects.public().select_related("conference__series")


class WebinarDetailView(DetailView):
    queryset = Webinar.objects.select_related("conference__series", "guide")
