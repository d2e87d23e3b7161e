"""The map of a conference (discovery.maps) drawn as inline SVG: every paper a dot
coloured by its topic and linked to its page, the guides' picks highlighted and
labelled, the regions named. The dots are hidden from assistive technology and out of
the tab order (thousands of them); the table of regions beside the map says the same
to a screen reader, and the picks' labels stay links. site.js makes it zoomable.

Drawing thousands of dots takes most of a conference page's time, so the drawn section
is stored (`MapDrawing`) and drawn again only once something it shows has changed:
checked with the cache tags' stamps (website.page_cache), like a cached page.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe

from discovery.models import ConferenceMap
from guides.models import Pick
from papers.models import Paper, TaggedPaper

from . import cache_tags
from .models import MapDrawing, SiteRevision
from .page_cache import tag_stamps

WIDTH, HEIGHT, PAD = 960, 640, 28
COLOURED_TOPICS = 7  # the most common topics get a colour, the others share grey
LABEL_LENGTH = 32
MAX_LABELS = 20  # picks named on the map (the first ranked); the others only ringed
# What a drawing shows changes with any paper (titles), topic, pick or guide (their
# publication), and with a new map or a scheduled publication (SITE). Kinds, not a
# conference's own objects: a tag names no conference, and a redraw costs one page view.
DRAWN_FROM = [cache_tags.SITE, "paper", "topic", "pick", "guide"]


@dataclass
class Region:
    label: str
    papers: int
    picks: list = field(default_factory=list)  # [(URL of the pick, paper title)] in it
    topics: list = field(default_factory=list)  # its most common topics


@dataclass
class Drawing:
    svg: str
    legend: list  # [(css class, topic name, papers)]
    regions: list  # Regions
    papers: int
    computed_at: object
    map_id: int


def map_section(conference):
    """The HTML of the map section of `conference`'s page, or "" before a map is
    computed: the stored drawing while current (two queries), else drawn and stored."""
    stored = MapDrawing.objects.filter(map__conference=conference).values_list("html", "revision")
    stored = stored.first()
    stamps = tag_stamps(DRAWN_FROM)
    if stored and all(revision <= stored[1] for revision, _ in stamps.values()):
        return mark_safe(stored[0])
    # The revision before reading what is drawn: a change committed while it is drawn
    # is stamped after it, so the next view draws again.
    revision = SiteRevision.objects.filter(pk=1).values_list("number", flat=True).first() or 0
    with cache_tags.not_collecting():  # the page lists every kind the drawing names
        drawing = conference_map(conference)
    if drawing is None:
        return ""
    html = render_to_string("papers/_conference_map.html", {"paper_map": drawing})
    try:
        with transaction.atomic():
            MapDrawing.objects.bulk_create(
                [MapDrawing(map_id=drawing.map_id, html=html, revision=revision)],
                update_conflicts=True,
                unique_fields=["map"],
                update_fields=["html", "revision"],
            )
    except IntegrityError:
        pass  # the map was computed again meanwhile: the next view draws the new one
    return mark_safe(html)


def conference_map(conference):
    """The Drawing of `conference`'s map, or None before one is computed (four
    queries, whatever the number of papers)."""
    stored = ConferenceMap.objects.filter(conference=conference).first()
    if stored is None:
        return None
    papers = {
        pk: (slug, title)
        for pk, slug, title in Paper.objects.filter(conference=conference)
        .order_by()
        .values_list("pk", "slug", "title")
    }
    points = [point for point in stored.points if point[0] in papers]
    topic_of = main_topics(conference)
    counts = Counter(topic_of.get(point[0]) for point in points)
    coloured = [t for t, _ in counts.most_common() if t is not None][:COLOURED_TOPICS]
    css = {topic: f"topic-{i}" for i, topic in enumerate(coloured)}
    picks = {}
    for pick in (
        Pick.objects.public()
        .filter(guide__conference=conference)
        .select_related("guide")
        .only("rank", "paper_id", "guide__slug", "guide__title")
        .order_by("guide__published_at", "rank")
    ):
        picks.setdefault(pick.paper_id, pick)
    url = reverse("papers:paper-detail", args=["SLUG"])
    at = position
    # Thousands of dots: a plain loop with escape() is several times faster than
    # format_html_join; every value in it is escaped, a number or a class of ours.
    dots = mark_safe(
        "".join(
            f'<a href="{escape(url.replace("SLUG", papers[pk][0]))}" tabindex="-1">'
            f'<circle class="{css.get(topic_of.get(pk), "topic-other")}" cx="{cx}" cy="{cy}" '
            f'r="4"><title>{escape(papers[pk][1])}</title></circle></a>'
            for pk, x, y, _ in points
            for cx, cy in [at(x, y)]
        )
    )
    named = sorted((p.rank, p.paper_id) for p in picks.values())[:MAX_LABELS]
    named = {paper_id for _, paper_id in named}
    rings = format_html_join(
        "",
        '<circle class="pick" cx="{}" cy="{}" r="7"/>',
        (at(x, y) for pk, x, y, _ in points if pk in picks and pk not in named),
    )
    labelled = format_html_join(
        "",
        '<a href="{}"><circle class="pick" cx="{}" cy="{}" r="7"/>'
        '<text x="{}" y="{}">{}</text></a>',
        (
            (
                url.replace("SLUG", papers[pk][0]),
                *at(x, y),
                at(x, y)[0] + 9,
                at(x, y)[1] + 4,
                shorten(papers[pk][1]),
            )
            for pk, x, y, _ in points
            if pk in named
        ),
    )
    several = len(stored.regions) > 1
    names = format_html_join(
        "",
        '<text class="region" x="{}" y="{}" text-anchor="middle">{}</text>',
        ((*at(r["x"], r["y"]), r["label"]) for r in stored.regions if several),
    )
    svg = format_html(
        '<svg viewBox="0 0 {} {}" class="paper-map" data-zoomable '
        'aria-labelledby="map-title">'
        '<g aria-hidden="true">{}{}{}</g><g class="picks">{}</g></svg>',
        WIDTH,
        HEIGHT,
        dots,
        rings,
        names,
        labelled,
    )
    regions = [Region(r["label"], r["papers"]) for r in stored.regions]
    region_topics = [Counter() for _ in regions]
    for pk, _, _, region in points:
        if pk in picks:
            pick = picks[pk]
            regions[region].picks.append(
                (f"{pick.guide.get_absolute_url()}#pick-{pick.rank}", papers[pk][1])
            )
        if topic_of.get(pk):
            region_topics[region][topic_of[pk]] += 1
    for region, topics in zip(regions, region_topics, strict=True):
        region.topics = [topic for topic, _ in topics.most_common(3)]
    legend = [(css[topic], topic, counts[topic]) for topic in coloured]
    others = len(points) - sum(counts[topic] for topic in coloured)
    if others:
        legend.append(("topic-other", "Other topics or none", others))
    return Drawing(mark_safe(svg), legend, regions, len(points), stored.computed_at, stored.pk)


def main_topics(conference):
    """{paper id: its topic shared by most papers of the conference}."""
    tagged = list(
        TaggedPaper.objects.filter(content_object__conference=conference).values_list(
            "content_object_id", "tag__name"
        )
    )
    popularity = Counter(name for _, name in tagged)
    topic_of = {}
    for paper_id, name in tagged:
        current = topic_of.get(paper_id)
        if current is None or (popularity[name], name) > (popularity[current], current):
            topic_of[paper_id] = name
    return topic_of


def position(x, y):
    return (
        round(PAD + x * (WIDTH - 2 * PAD), 1),
        round(PAD + y * (HEIGHT - 2 * PAD), 1),
    )


def shorten(title):
    return title if len(title) <= LABEL_LENGTH else title[: LABEL_LENGTH - 1].rstrip() + "…"
