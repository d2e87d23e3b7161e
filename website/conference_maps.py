"""The map of a conference (discovery.maps) drawn as SVG: every paper a dot coloured by
its topic and linked to its page, the guides' picks highlighted and labelled, the
regions named. The dots are hidden from assistive technology and out of the tab order
(thousands of them); the table of regions beside the map says the same to a screen
reader, and the picks' labels stay links.

The drawing is a file of its own (`map_svg`, at `conferences/<slug>/map.svg`: half a
megabyte for NeurIPS 2023), which site.js puts into the page and makes zoomable; the
page's section (`map_section`) has its legend and table, and a link to the file.
Drawing thousands of dots takes most of the time, so both are stored
(website.stored_sections) and drawn again only once something they show has changed.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe

from discovery.models import ConferenceMap
from guides.models import Pick
from papers.models import Paper, TaggedPaper

from . import cache_tags
from .stored_sections import stored_section

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


def map_section(conference):
    """The HTML of the map section of `conference`'s page, or "" before a map is
    computed: stored, drawn again once something it shows changed."""

    def draw():
        drawing = conference_map(conference)
        if drawing is None:
            return ""
        context = {"paper_map": drawing, "conference": conference}
        return render_to_string("papers/_conference_map.html", context)

    return stored_section(f"conference-map-{conference.pk}", draw, DRAWN_FROM)


def map_svg(conference):
    """The SVG of `conference`'s map, or "" before one is computed: stored like the
    section."""

    def draw():
        drawing = conference_map(conference)
        return "" if drawing is None else drawing.svg

    return stored_section(f"conference-map-svg-{conference.pk}", draw, DRAWN_FROM)


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
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" class="paper-map" '
        'data-zoomable="" aria-labelledby="map-title">'
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
    return Drawing(mark_safe(svg), legend, regions, len(points), stored.computed_at)


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
