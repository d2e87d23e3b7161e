"""Checks before publishing: what a careful editor would look for, found for them.

`check_guides` reads a batch of guides in a fixed number of queries (the guide list
checks a whole page at once) and returns a `Report` per guide: the problems, each with
the places it occurs, and the guide's length in words and minutes of reading. The
admin shows them on the guide's page and in the list, and publishing a guide with
problems needs an editor to confirm them (guides.admin).
"""

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch

from images.models import Image

from .markdown_images import image_keys
from .models import Figure, Guide, Pick
from .rendering import MARKER

WORDS_PER_MINUTE = 230
# Markdown links: [text](url), <url> autolinks, and [label]: url definitions.
LINK = re.compile(
    r"\]\(\s*<?(?P<inline>[^)\s>]+)|<(?P<auto>[a-zA-Z][\w+.-]*:[^>\s]*)>"
    r"|^\s*\[[^\]]+\]:\s*<?(?P<defined>\S+?)>?\s*$",
    re.MULTILINE,
)
WEB = ("http://", "https://", "mailto:", "#", "image:")


@dataclass
class Problem:
    message: str
    places: list = field(default_factory=list)


@dataclass
class Report:
    problems: list
    words: int

    @property
    def reading_minutes(self):
        return max(1, math.ceil(self.words / WORDS_PER_MINUTE))

    def __bool__(self):
        return bool(self.problems)

    @property
    def count(self):
        return sum(len(problem.places) for problem in self.problems)


def check_guide(guide):
    return check_guides([guide])[guide.pk]


def check_guides(guides):
    """{guide pk: Report} for `guides` (objects or primary keys)."""
    ids = [getattr(guide, "pk", guide) for guide in guides]
    picks = Pick.objects.select_related("paper").only(
        *("guide", "rank", "section", "why", "key_insights"),
        *("paper__title", "paper__tldr"),
    )
    loaded = (
        Guide.objects.filter(pk__in=ids)
        .only("title", "standfirst", "intro", "outro")
        .prefetch_related(
            "sections",
            Prefetch("picks", queryset=picks),
            "references",
            Prefetch("figures", queryset=Figure.objects.select_related("pick")),
        )
    )
    loaded = list(loaded)
    texts = [t for guide in loaded for t in markdown_texts(guide).values()]
    keys = image_keys(*texts)
    known = set(Image.objects.filter(key__in=keys).values_list("key", flat=True)) if keys else set()
    return {guide.pk: report(guide, known) for guide in loaded}


def markdown_texts(guide):
    """{place: Markdown} of every text of the guide, in reading order."""
    texts = {"the intro": guide.intro}
    for section in guide.sections.all():
        texts[f"the intro of section “{section.title}”"] = section.intro
    for pick in guide.picks.all():
        texts[f"the why of pick {pick.rank}"] = pick.why
        texts[f"the key insights of pick {pick.rank}"] = pick.key_insights
    texts["the outro"] = guide.outro
    return texts


def report(guide, known_images):
    texts = markdown_texts(guide)
    picks = list(guide.picks.all())
    references = {ref.number for ref in guide.references.all()}
    cited = defaultdict(list)
    for place, text in texts.items():
        for match in MARKER.finditer(text or ""):
            cited[int(match.group(1))].append(place)
    titles = defaultdict(list)
    for pick in picks:
        titles[" ".join(pick.paper.title.lower().split())].append(pick.rank)
    picked_sections = {pick.section_id for pick in picks}
    problems = [
        Problem(
            "Picks without a “why”",
            [f"pick {p.rank} ({p.paper.title})" for p in picks if not p.why.strip()],
        ),
        Problem(
            "Figures waiting for an image (readers will not see them)",
            [f"figure {f.number}{figure_place(f)}" for f in guide.figures.all() if not f.image_id],
        ),
        Problem(
            "Images in the text that are not in the media library",
            [
                f"image:{key} in {place}"
                for place, text in texts.items()
                for key in image_keys(text)
                if key not in known_images
            ],
        ),
        Problem(
            "Footnote markers without a reference",
            [
                f"[{n}] in {', '.join(places)}"
                for n, places in sorted(cited.items())
                if n not in references
            ],
        ),
        Problem(
            "References never cited in the text",
            [f"[{n}]" for n in sorted(references - set(cited))],
        ),
        Problem(
            "Links that are not web addresses (http or https)",
            [
                f"{url} in {place}"
                for place, text in texts.items()
                for url in links(text)
                if not url.lower().startswith(WEB)
            ],
        ),
        Problem(
            "The same paper picked more than once",
            ["picks " + ", ".join(map(str, ranks)) for ranks in titles.values() if len(ranks) > 1],
        ),
        Problem(
            "Sections without picks",
            [s.title for s in guide.sections.all() if s.pk not in picked_sections],
        ),
    ]
    return Report(problems=[p for p in problems if p.places], words=word_count(guide, texts))


def figure_place(figure):
    if figure.pick_id:
        return f", under pick {figure.pick.rank}"
    return ", the cover" if figure.place == "cover" else ", after the intro"


def links(text):
    for match in LINK.finditer(text or ""):
        yield match["inline"] or match["auto"] or match["defined"]


def word_count(guide, texts):
    tldrs = [pick.paper.tldr for pick in guide.picks.all()]
    everything = [guide.title, guide.standfirst, *texts.values(), *tldrs]
    return sum(len(re.findall(r"\w+", text or "")) for text in everything)
