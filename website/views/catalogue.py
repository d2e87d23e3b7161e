"""Public pages of the catalogue: conferences, papers, authors and topics.

The catalogue itself is public; what guides say about it (picks) is shown only for
public guides, through `Pick.objects.public()`.
"""

import django_filters
from django import forms
from django.core.exceptions import ObjectDoesNotExist
from django.db import connection
from django.db.models import OuterRef, Q, Value
from django.db.models.expressions import RawSQL
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.html import escape
from django.views.generic import DetailView, TemplateView

from discovery.related import INDEX, related_papers
from guides.models import Guide, Pick, TaggedGuide, Webinar, public_guide
from images.renditions import SIZES
from papers import bibtex
from papers.models import Author, Authorship, Conference, Paper, Tag
from papers.widgets import QuickTextInput
from search.filters import PaperFilter, TagFilter

from .. import cache_tags
from ..charts import bar_chart
from ..conference_maps import map_section, map_svg
from ..listing import FilteredListView, PaginatedListView, count_of
from ..paper_cards import page_with_cards, with_cards
from ..pick_summaries import with_summaries
from ..stored_sections import (
    CONFERENCES_WITH_GUIDES,
    stored_count,
    stored_section,
    stored_showing,
)
from ..structured_data import image_object, scholarly_article
from .guides import with_guide_counts

# Lists of picks show the latest ones: a conference or a topic can have thousands.
# A conference lists them as paper cards; a topic with why and key insights, longer.
LATEST_PICKS = 60
LATEST_PICKS_ON_TOPIC = 24
MAX_SUGGESTION_PREFIX = 100
SIMILAR = 60  # papers listed as similar to one
MOST_CITED = 25  # as the seed posts listed "the top 25 most cited papers"
# A topic page lists its newest guides and links to the guide list for the rest.
GUIDES_ON_TOPIC = 12


class ConferenceListView(TemplateView):
    """Every conference with its numbers, rendered once and stored until one changes."""

    template_name = "papers/conference_list.html"

    def get_context_data(self, **kwargs):
        cards = stored_section("conference-list", conference_cards, CONFERENCES_WITH_GUIDES)
        return super().get_context_data(cards=cards, **kwargs)


def conference_cards():
    context = {"conferences": with_guide_counts(Conference.objects.all())}
    return render_to_string("papers/_conference_cards.html", context)


def picture_of(item, absolute_url):
    """(The Image of a paper's or conference's picture, its og:image), or (None, None)."""
    try:
        image = item.picture.image
    except ObjectDoesNotExist:
        return None, None
    rendition = image.share_rendition()
    if rendition is None:
        return None, None
    og_image = image_object(
        absolute_url(image.rendition_url(rendition)),
        rendition["width"],
        rendition["height"],
        image.alt_text or str(item),
    )
    return image, og_image


def with_picture(queryset):
    return queryset.select_related("picture__image__credit_paper")


class PictureMixin:
    """The object's picture (images.PaperImage / ConferenceImage) and its og:image."""

    def get_context_data(self, **kwargs):
        picture, og_image = picture_of(self.object, self.request.build_absolute_uri)
        return super().get_context_data(picture=picture, og_image=og_image, sizes=SIZES, **kwargs)


class ConferenceDetailView(PictureMixin, DetailView):
    queryset = with_picture(Conference.objects.select_related("series"))

    def get_context_data(self, **kwargs):
        conference = self.object
        series_years = Conference.objects.filter(series=conference.series_id).order_by("year")
        return super().get_context_data(
            sections=stored_section(
                f"conference-sections-{conference.pk}", lambda: conference_sections(conference)
            ),
            paper_map=map_section(conference),
            chart=bar_chart(
                [
                    (c.year, c.accepted_papers, c == conference)
                    for c in series_years
                    if c.accepted_papers
                ]
            ),
            **kwargs,
        )


def conference_map(request, slug):
    """The conference's map as an SVG file (website.conference_maps), styled by the
    site's stylesheet when opened alone."""
    svg = map_svg(get_object_or_404(Conference, slug=slug))
    if not svg:
        raise Http404("This conference has no map yet.")
    stylesheet = escape(static("css/site.css"))
    return HttpResponse(
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<?xml-stylesheet href="{stylesheet}" type="text/css"?>\n{svg}',
        content_type="image/svg+xml; charset=utf-8",
    )


def conference_sections(conference):
    """The HTML of `conference`'s guides, webinars, most cited papers and the latest
    picks of its papers, with their cards."""
    picks = picks_with_paper_cards(
        Pick.objects.public()
        .filter(guide__conference=conference)
        .select_related("guide")
        .only("rank", "paper", *("guide__title", "guide__slug", "guide__published_at"))
        .order_by("-guide__published_at", "guide", "rank")[:LATEST_PICKS]
    )
    most_cited = with_cards(
        Paper.objects.filter(conference=conference)
        .most_cited()
        .for_cards("citation_count", "citations_counted_on")[:MOST_CITED]
    )
    context = {
        "conference": conference,
        "guides": Guide.objects.public().filter(conference=conference),
        "webinars": Webinar.objects.public().filter(conference=conference),
        "most_cited": most_cited,
        "picks": picks,
        "latest_picks": LATEST_PICKS,
    }
    return render_to_string("papers/_conference_sections.html", context)


def picks_with_paper_cards(picks):
    """`picks` as a list, each `pick.paper` with its stored card (website.paper_cards)."""
    picks = list(picks)
    papers = {
        paper.pk: paper
        for paper in with_cards(
            Paper.objects.for_cards().filter(pk__in=[pick.paper_id for pick in picks])
        )
    }
    for pick in picks:
        pick.paper = papers[pick.paper_id]
    return picks


class PaperByTitleOrSlug(forms.CharField):
    """A paper given by its address (slug, as links give it) or its exact title."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        # By its address first: one lookup in the slugs' index, as links give it.
        papers = Paper.objects.order_by("pk")
        paper = papers.filter(slug=value).first() or papers.filter(title__iexact=value).first()
        if paper is None:
            raise forms.ValidationError("No paper has this title or address.")
        return paper


class PaperFilterField(django_filters.Filter):
    field_class = PaperByTitleOrSlug


class PaperBrowserFilter(PaperFilter):
    """The paper browser's filters: the shared ones (search.filters) and "similar to" a
    paper, nearest to its vector (discovery), closest first unless another sort is
    chosen."""

    similar_to = PaperFilterField(
        method="similar",
        label="Similar to",
        max_length=300,
        strip=True,
        widget=QuickTextInput,
    )

    def similar(self, queryset, name, paper):
        ids = INDEX.current().nearest(paper.pk, SIMILAR)
        queryset = queryset.filter(pk__in=ids)
        if self.form.cleaned_data.get("sort"):
            return queryset
        return queryset.order_by(listed_order(Paper, ids), "pk")


def listed_order(model, ids):
    """An expression ordering rows of `model` as `ids` lists them: one CASE on the
    primary key, written as SQL. Built from Case and When it took milliseconds to
    compile, each time the paginated list was counted and read."""
    quote = connection.ops.quote_name
    column = f"{quote(model._meta.db_table)}.{quote(model._meta.pk.column)}"
    positions = " ".join(f"WHEN {int(pk)} THEN {i}" for i, pk in enumerate(ids))
    return RawSQL(f"CASE {column} {positions} END", []) if ids else Value(0)


class PaperListView(FilteredListView):
    filterset_class = PaperBrowserFilter
    template_name = "papers/paper_list.html"

    def get_queryset(self):
        return Paper.objects.for_cards()

    def known_count(self):
        return stored_count(Paper) if self.unfiltered() else None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object_list"] = page_with_cards(context["object_list"])
        return context


class PaperDetailView(PictureMixin, DetailView):
    queryset = with_picture(Paper.objects.with_authors())

    def get_context_data(self, **kwargs):
        paper = self.object
        cache_tags.lists()  # a new pick of it, or its guide published, names the paper
        return super().get_context_data(
            picks=with_summaries(Pick.objects.public().filter(paper=paper).for_lists()),
            related_section=stored_showing(f"related-{paper.pk}", lambda: related_section(paper)),
            bibtex=bibtex.entry(paper),
            json_ld=scholarly_article(paper, self.request.build_absolute_uri),
            og_type="article",
            **kwargs,
        )


def related_section(paper):
    """The HTML of the papers nearest `paper`, each with why."""
    related = related_papers(paper)
    # It links the paper (its slug) and names the topics it shares (a topic renamed
    # stamps its papers, website.pick_cards): a change of it renders the section again.
    cache_tags.show({f"paper-{paper.pk}"})
    context = {"paper": paper, "related": related}
    return render_to_string("papers/_related_papers.html", context)


class PaperBibtexView(PaperDetailView):
    def get(self, request, *args, **kwargs):
        paper = self.get_object()
        response = HttpResponse(
            bibtex.entry(paper), content_type="application/x-bibtex; charset=utf-8"
        )
        response["Content-Disposition"] = f'inline; filename="{paper.slug}.bib"'
        return response


class AuthorListView(PaginatedListView):
    template_name = "papers/author_list.html"
    paginate_by = 60

    def get_queryset(self):
        # A subquery, not a join and GROUP BY: it counts for the authors on the page only.
        papers = Authorship.objects.filter(author=OuterRef("pk"))
        return Author.objects.annotate(paper_count=count_of(papers, "author")).order_by(
            "name", "pk"
        )

    def known_count(self):
        return stored_count(Author)


def author_suggestions(request):
    """Up to ten authors' names beginning with `q` (ignoring case), for the paper
    browser's author field: {"names": [...]}; fewer than two letters give none."""
    prefix = request.GET.get("q", "").strip()[:MAX_SUGGESTION_PREFIX]
    names = []
    if len(prefix) >= 2:
        names = list(
            Author.objects.filter(name__istartswith=prefix)
            .order_by("name")
            .values_list("name", flat=True)
            .distinct()[:10]
        )
    response = JsonResponse({"names": names})
    response["Cache-Control"] = "public, max-age=3600"
    return response


class AuthorDetailView(DetailView):
    model = Author

    def get_context_data(self, **kwargs):
        papers = Paper.objects.filter(authorships__author=self.object)
        return super().get_context_data(
            papers=with_cards(papers.for_cards()),
            picks=with_summaries(Pick.objects.public().filter(paper__in=papers).for_lists()),
            **kwargs,
        )


class TagListView(TemplateView):
    """Every topic with its numbers of papers and guides, rendered once and stored until
    a topic or a guide changes (a paper tagged stamps its topic)."""

    template_name = "papers/tag_list.html"

    def get_context_data(self, **kwargs):
        topics = stored_section("topic-list", topic_list, [cache_tags.SITE, "topic", "guide"])
        return super().get_context_data(topics=topics, **kwargs)


def topic_list():
    # Papers per topic are stored (papers.topic_counts); public guides, a few hundred
    # links, are counted through the index (a subquery each).
    guides = TaggedGuide.objects.filter(public_guide("content_object__"), tag=OuterRef("pk"))
    topics = (
        Tag.objects.annotate(guide_count=count_of(guides, "tag"))
        .filter(Q(paper_count__gt=0) | Q(guide_count__gt=0))
        .order_by("-paper_count", "name")
    )
    return render_to_string("papers/_topic_list.html", {"topics": topics})


class TagDetailView(FilteredListView):
    """One topic's papers, filterable by conference, with the picks of them."""

    filterset_class = TagFilter
    template_name = "papers/tag_detail.html"

    def get_queryset(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return Paper.objects.for_cards().filter(tags=self.tag)

    def known_count(self):
        # Stored (papers.topic_counts); not when narrowed to a conference, or a 400.
        return self.tag.paper_count if self.unfiltered() else None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object_list"] = page_with_cards(context["object_list"])
        conference = None
        if self.filterset.is_valid():
            conference = self.filterset.form.cleaned_data.get("conference")
        if conference:
            sections = topic_sections(self.tag, conference)
        else:
            key = f"topic-sections-{self.tag.pk}"
            sections = stored_section(key, lambda: topic_sections(self.tag))
        context.update(tag=self.tag, sections=sections)
        return context


def topic_sections(tag, conference=None):
    """The HTML of the newest guides on `tag`, and of the latest picks of papers on it,
    at `conference` or any, with their why and key insights."""
    picks = Pick.objects.public().filter(paper__tags=tag).for_lists()
    if conference:
        picks = picks.filter(guide__conference=conference)
    picks = picks.order_by("-guide__published_at", "guide", "rank")[:LATEST_PICKS_ON_TOPIC]
    guides = (
        Guide.objects.public()
        .filter(tags=tag)
        .select_related("conference__series")
        .only("title", "slug", "conference__year", "conference__series__short_name")
        .order_by("-published_at", "title")
    )
    context = {
        "tag": tag,
        "conference": conference,
        "picks": with_summaries(picks),
        "latest_picks": LATEST_PICKS_ON_TOPIC,
        # One more than shown, to know whether to link to the rest.
        "guides": list(guides[: GUIDES_ON_TOPIC + 1]),
        "guides_shown": GUIDES_ON_TOPIC,
    }
    return render_to_string("papers/_topic_sections.html", context)
