"""Public pages of guides and webinars. Only public guides are ever shown."""

from django.contrib.admin.views.decorators import staff_member_required
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.views import View
from django.views.generic import DetailView, TemplateView

from guides.ical import google_calendar_link, webinar_calendar
from guides.models import Guide, Webinar, guide_derived_fields, public_guide
from papers.bibtex import entries
from papers.models import Conference, Tag
from readers.comment_forms import CommentForm
from readers.models import Comment
from search.filters import GuideFilter

from .. import cache_tags
from ..guide_articles import render_article, stored_article
from ..guide_cards import with_cards
from ..listing import FilteredListView, PaginatedListView
from ..models import StoredSection
from ..share_cards import card_png
from ..stored_sections import CONFERENCES_WITH_GUIDES, stored_section
from ..structured_data import event


def guide_cards():
    """Public guides, newest first, as the rows of their stored cards (website.guide_cards)."""
    return Guide.objects.public().for_cards().order_by("-published_at", "title")


def public_guide_count():
    """How many guides are public, counted again after a change of a guide (a scheduled
    one going public stamps SITE)."""
    count = Guide.objects.public().count
    return int(stored_section("count-public-guides", count, [cache_tags.SITE, "guide"]))


class HomeView(TemplateView):
    template_name = "guides/home.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        return super().get_context_data(
            guides=with_cards(guide_cards()[:6]),
            webinars=Webinar.objects.public().upcoming(today).select_related("conference")[:5],
            conferences_section=stored_section(
                "home-conferences", home_conferences, CONFERENCES_WITH_GUIDES
            ),
            tags=Tag.objects.filter(paper_count__gt=0).order_by("-paper_count", "name")[:20],
            **kwargs,
        )


def home_conferences():
    """The HTML of every conference and its number of public guides, newest first."""
    conferences = with_guide_counts(Conference.objects.only("slug", "year", "series__short_name"))
    return render_to_string("guides/_home_conferences.html", {"conferences": conferences})


def with_guide_counts(conferences):
    """`conferences` with their series and numbers of public guides, newest first."""
    return (
        conferences.select_related("series")
        .annotate(guide_count=Count("guides", filter=public_guide("guides__")))
        .order_by("-year", "slug")
    )


class GuideListView(FilteredListView):
    filterset_class = GuideFilter
    template_name = "guides/guide_list.html"
    paginate_by = 12

    def get_queryset(self):
        return guide_cards()

    def known_count(self):
        return public_guide_count() if self.unfiltered() else None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object_list"] = with_cards(context["object_list"])
        return context


class GuideDetailView(DetailView):
    """A public guide: its stored article (website.guide_articles) in the site's frame."""

    def guides(self):
        return Guide.objects.public()

    def get_object(self, queryset=None):
        # Just what the frame and the stored article need: a short query to compile.
        guides = (
            self.guides()
            .defer(None)
            .only(  # defer(None): the manager defers them
                *("slug", "title", "standfirst", "status", "published_at", "comments_open"),
                *("article_html", "article_ld", "article_generation"),
                "comment_count",
            )
        )
        return get_object_or_404(guides, slug=self.kwargs["slug"])

    def article(self, guide):
        return stored_article(guide)

    def get_context_data(self, **kwargs):
        guide = self.object
        cache_tags.lists()  # its article's parts are the guide's: "guide-<id>" covers them
        html, json_ld = self.article(guide)
        absolute_url = self.request.build_absolute_uri
        images = [
            {**image, "url": absolute_url(image["url"])} for image in json_ld.get("image", [])
        ]
        return super().get_context_data(
            article=mark_safe(html),
            description=Truncator(guide.standfirst or guide.title).chars(200),
            json_ld={**json_ld, "url": absolute_url(json_ld["url"]), "image": images},
            og_image=images[0] if images else None,
            og_type="article",
            comment_total=guide.comment_count,
            comments=self.comments(guide),
            form=CommentForm(guide=guide),
            **kwargs,
        )

    def comments(self, guide):
        """Readers' approved comments and replies: one query, none while there are none
        (the count is stored)."""
        if not guide.comment_count:
            return []
        return Comment.objects.shown().filter(guide=guide).threads()


@method_decorator(staff_member_required, name="dispatch")
class GuidePreviewView(GuideDetailView):
    """Any guide, draft or scheduled, exactly as readers will see it: for staff only."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("guides.view_guide"):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def guides(self):
        return Guide.objects.all()

    def article(self, guide):
        html, json_ld, _ = render_article(guide, preview=True)  # never stored
        return html, json_ld

    def get_context_data(self, **kwargs):
        return super().get_context_data(preview=True, **kwargs)


class WebinarListView(PaginatedListView):
    """Every upcoming webinar, then the past ones, latest first, a page at a time: the
    archive only grows (a hundred webinars took 30 ms to render on one page). Both
    lists are rendered once a day per page and stored (website.stored_sections): each
    line converts its time to the webinar's zone, 10 ms a page at 24 lines."""

    template_name = "guides/webinar_list.html"

    def webinars(self):
        return Webinar.objects.public().select_related("conference__series")

    def get_queryset(self):
        return self.webinars().past(timezone.localdate())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)  # the page's webinars, not yet read
        today = timezone.localdate()

        def render():
            forget_webinar_lists(other_than=today)
            upcoming = self.webinars().upcoming(today)
            return render_to_string("guides/_webinar_lists.html", {**context, "upcoming": upcoming})

        key = f"{WEBINAR_LISTS}{today}-page-{context['page_obj'].number}"
        context["lists"] = stored_section(key, render, WEBINARS_SHOWN_FROM)
        return context


WEBINAR_LISTS = "webinars-"  # a stored section per day and page: "webinars-2031-06-02-page-1"
# Webinars are public with their guide; each line names its conference.
WEBINARS_SHOWN_FROM = [cache_tags.SITE, "webinar", "guide", "conference", "series"]


def forget_webinar_lists(other_than):
    """Drop the stored lists of days other than `other_than`: they will not be shown."""
    stale = StoredSection.objects.filter(key__startswith=WEBINAR_LISTS)
    stale.exclude(key__startswith=f"{WEBINAR_LISTS}{other_than}-").delete()


class WebinarDetailView(DetailView):
    def get_queryset(self):
        return (
            Webinar.objects.public()
            .select_related("conference__series", "guide")
            .defer(*guide_derived_fields("guide__"))
        )

    def get_context_data(self, **kwargs):
        webinar, absolute_url = self.object, self.request.build_absolute_uri
        return super().get_context_data(
            is_upcoming=webinar.starts_on >= timezone.localdate(),
            google_calendar_url=google_calendar_link(webinar, absolute_url),
            json_ld=event(webinar, absolute_url),
            **kwargs,
        )


class WebinarCalendarView(WebinarDetailView):
    """One webinar as an .ics file."""

    def get(self, request, *args, **kwargs):
        webinar = self.get_object()
        body = webinar_calendar([webinar], self.request.build_absolute_uri, name=webinar.title)
        return calendar_response(body, webinar.slug)


class WebinarsCalendarView(View):
    """Every public webinar, as one calendar readers can subscribe to."""

    def get(self, request):
        webinars = Webinar.objects.public().select_related("conference__series")
        return calendar_response(webinar_calendar(webinars, request.build_absolute_uri), "webinars")


def calendar_response(body, name):
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{name}.ics"'
    return response


class GuideShareCardView(View):
    """The share card of a public guide without a cover (website.share_cards)."""

    def get(self, request, slug):
        guides = Guide.objects.public().select_related("conference__series")
        guide = get_object_or_404(guides.annotate(pick_count=Count("picks")), slug=slug)
        response = HttpResponse(card_png(guide, guide.pick_count), content_type="image/png")
        response["Cache-Control"] = "public, max-age=3600"
        return response


class GuideBibtexView(GuideDetailView):
    """A guide's reading list: its picks' papers as one BibTeX file."""

    def get(self, request, *args, **kwargs):
        guide = self.get_object()
        papers = [pick.paper for pick in guide.picks.for_display()]
        response = HttpResponse(entries(papers), content_type="application/x-bibtex; charset=utf-8")
        response["Content-Disposition"] = f'inline; filename="{guide.slug}.bib"'
        return response


def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /preview/", f"Sitemap: {sitemap}"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")
