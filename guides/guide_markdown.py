"""Guides as Markdown files, in the seed posts' format: `export_guide` writes one,
`import_guide` reads one. Reading is pure (text in, `GuideDocument` out, or a
`FormatError` naming the line); writing to the database is `guides.guide_import`.

    ---
    title: NeurIPS 2021 — 10 papers you shouldn't miss
    slug: neurips-2021-10-papers
    conference: neurips-2021
    standfirst: 2334 papers, 60 workshops, 8 keynote speakers…
    source: https://…
    bylines: alexzhang13
    tags: Reinforcement learning, Computer vision
    ---

    The intro, in Markdown; an image of the media library: ![](image:KEY).

    🖼 Cover 1 → Vancouver, Canada. | credit: Photo by Mike Benna | link: https://…
    🖼 Figure 2 → A chart after the intro. | image: 3fa9c0d2e1

    ## Semi and Self-Supervision {#semi-and-self-supervision}

    A section's overview, in Markdown (its heading carries the section's slug).

    ### 1. Bootstrap Your Own Latent
    By Jean-Bastien Grill, Florian Strub et al.

    Authors' TL;DR → …
    ❓ Why → …
    💡 Key insights → … (as many paragraphs as needed)
    Others: A related paper; Another related paper
    🖼 Figure 3 → High level diagram of the training procedure. | source: Bootstrap Your Own Latent

    <!-- outro -->
    The closing words.

    <!-- references -->
    [1] A cited work, 2017.

Only the front matter's title and conference are required. A `##` heading without
`{#slug}` is part of the text around it, not a section. Figure lines (`🖼 Cover N →`,
`🖼 Figure N →`) go after the intro (the cover, figures after the intro) or under a
pick; after the caption, `| image: KEY` names the library image (none: the figure
waits for one), `| credit: …`, `| link: …` and `| source: <paper title>` its credit.
"""

import re
from dataclasses import dataclass, field

FRONT_MATTER_KEYS = {"title", "slug", "conference", "standfirst", "source", "bylines", "tags"}
SECTION = re.compile(r"^## (?P<title>.+?) \{#(?P<slug>[-\w]+)\}\s*$")
PICK = re.compile(r"^### (?P<rank>\d+)\. (?P<title>.+?)\s*$")
BY = re.compile(r"^By (?P<authors>.+?)\s*$")
LABELS = {
    "tldr": re.compile(r"^Authors['’]? TL;DR ?→ ?"),
    "why": re.compile(r"^❓ ?Why ?→ ?"),
    "key_insights": re.compile(r"^💡 ?Key insights ?→ ?"),
}
OTHERS = re.compile(r"^Others: ?(?P<titles>.+?)\s*$")
FIGURE = re.compile(r"^🖼\ufe0f? ?(?P<kind>Cover|Figure) (?P<number>\d+) ?→ ?(?P<rest>.*?)\s*$")
FIGURE_ATTRIBUTES = ("image", "credit", "link", "source")
REFERENCE = re.compile(r"^\[(?P<number>\d+)\] (?P<text>.+?)\s*$")
OUTRO, REFERENCES = "<!-- outro -->", "<!-- references -->"


class FormatError(ValueError):
    def __init__(self, line, message):
        super().__init__(f"line {line}: {message}")
        self.line = line


@dataclass
class PickDocument:
    rank: int
    title: str
    line: int
    authors: list = field(default_factory=list)
    et_al: bool = False
    tldr: str = ""
    why: str = ""
    key_insights: str = ""
    related: list = field(default_factory=list)
    section: str = ""


@dataclass
class FigureDocument:
    number: int
    place: str  # "cover", "intro" or "pick" (guides.models.FigurePlace)
    line: int
    pick: int = 0  # the rank of the pick it is under
    caption: str = ""
    image: str = ""  # the library image's key
    credit: str = ""
    link: str = ""
    source: str = ""  # the title of the paper it comes from


@dataclass
class SectionDocument:
    title: str
    slug: str
    intro: str = ""


@dataclass
class GuideDocument:
    title: str
    conference: str
    slug: str = ""
    standfirst: str = ""
    source: str = ""
    bylines: list = field(default_factory=list)
    tags: list = field(default_factory=list)
    intro: str = ""
    outro: str = ""
    sections: list = field(default_factory=list)
    picks: list = field(default_factory=list)
    references: list = field(default_factory=list)  # (number, text)
    figures: list = field(default_factory=list)


# --- reading -----------------------------------------------------------------


def split_list(value, separator=","):
    return [item.strip() for item in value.split(separator) if item.strip()]


def split_authors(text):
    """ "A, B and C et al." -> (["A", "B", "C"], True)."""
    text = text.strip().rstrip(".")
    et_al = text.endswith("et al")
    text = text.removesuffix("et al").strip().rstrip(",").strip()
    names = re.split(r",\s*(?:and\s+)?|\s+and\s+|\s*&\s*", text)
    return [name.strip() for name in names if name.strip()], et_al


def join_authors(names, et_al):
    text = ", ".join(names)
    return f"{text} et al." if et_al else text


def block(lines):
    return "\n".join(lines).strip()


def read_figure(match, number, pick):
    """A FigureDocument from a figure line: `🖼 Figure N → caption | key: value …`."""
    caption, *attributes = re.split(r"(?:^|\s+)\|\s+", match["rest"])
    place = "cover" if match["kind"] == "Cover" else ("pick" if pick else "intro")
    figure = FigureDocument(
        int(match["number"]), place, number, pick.rank if pick else 0, caption.strip()
    )
    for attribute in attributes:
        key, colon, value = attribute.partition(":")
        if not colon or key.strip() not in FIGURE_ATTRIBUTES:
            raise FormatError(
                number,
                f"after a figure's caption, expected '| key: value' with a key among "
                f"{list(FIGURE_ATTRIBUTES)}",
            )
        setattr(figure, key.strip(), value.strip())
    return figure


def write_figure(figure):
    kind = "Cover" if figure.place == "cover" else "Figure"
    attributes = [f"{key}: {getattr(figure, key)}" for key in FIGURE_ATTRIBUTES]
    attributes = [
        a for a, key in zip(attributes, FIGURE_ATTRIBUTES, strict=True) if getattr(figure, key)
    ]
    return " | ".join([f"🖼 {kind} {figure.number} → {figure.caption}".rstrip(), *attributes])


def read_front_matter(lines):
    if not lines or lines[0].strip() != "---":
        raise FormatError(1, "the file must start with a front matter block opened by '---'")
    values = {}
    for number, line in enumerate(lines[1:], start=2):
        if line.strip() == "---":
            return values, number
        key, colon, value = line.partition(":")
        key = key.strip().lower()
        if not colon or key not in FRONT_MATTER_KEYS:
            raise FormatError(
                number, f"expected 'key: value' with a key among {sorted(FRONT_MATTER_KEYS)}"
            )
        values[key] = value.strip()
    raise FormatError(len(lines), "the front matter block is never closed by '---'")


def parse(text):
    """The guide a Markdown file describes; FormatError at the first line at fault."""
    lines = text.replace("\r\n", "\n").split("\n")
    for number, line in enumerate(lines, start=1):
        if "\x00" in line:  # no database keeps it, and no editor means it
            raise FormatError(number, "the line contains a NUL character")
    front, body_start = read_front_matter(lines)
    for key in ("title", "conference"):
        if not front.get(key):
            raise FormatError(1, f"the front matter needs a '{key}'")
    doc = GuideDocument(
        title=front["title"],
        conference=front["conference"],
        slug=front.get("slug", ""),
        standfirst=front.get("standfirst", ""),
        source=front.get("source", ""),
        bylines=split_list(front.get("bylines", "")),
        tags=split_list(front.get("tags", "")),
    )
    part, buffer, pick, label, expect_by = "intro", [], None, None, False
    sections = {}
    text_line = None  # where the text in `buffer` starts, for error messages

    def flush():
        nonlocal buffer, text_line
        text = block(buffer)
        buffer, line = [], text_line
        text_line = None
        if pick is not None:
            if label:
                setattr(pick, label, text)
            elif text:
                raise FormatError(
                    line or pick.line,
                    f"in pick {pick.rank}, text must follow a label such as '❓ Why →'",
                )
        elif part == "intro":
            doc.intro = text
        elif part == "section":
            doc.sections[-1].intro = text
        elif part == "outro":
            doc.outro = text

    for number, line in enumerate(lines[body_start:], start=body_start + 1):
        stripped = line.strip()
        if part == "references":
            if stripped:
                match = REFERENCE.match(stripped)
                if not match:
                    raise FormatError(number, "a reference must read '[n] citation'")
                doc.references.append((int(match["number"]), match["text"]))
            continue
        if stripped in (OUTRO, REFERENCES):
            flush()
            pick, label, part = None, None, "outro" if stripped == OUTRO else "references"
            continue
        if match := FIGURE.match(stripped):
            if (part == "section" and pick is None) or part == "outro":
                raise FormatError(number, "a figure goes after the guide's intro or under a pick")
            figure = read_figure(match, number, pick)
            if figure.place == "cover" and pick is not None:
                raise FormatError(number, "the cover goes after the guide's intro")
            if any(f.number == figure.number for f in doc.figures):
                raise FormatError(number, f"figure number {figure.number} is used twice")
            if figure.place == "cover" and any(f.place == "cover" for f in doc.figures):
                raise FormatError(number, "a guide has one cover")
            if pick is not None:
                flush()
                label = None
            doc.figures.append(figure)
            continue
        if part == "outro":
            buffer.append(line)
            continue
        if match := SECTION.match(line):
            flush()
            if match["slug"] in sections:
                raise FormatError(number, f"a second section with the slug '{match['slug']}'")
            sections[match["slug"]] = SectionDocument(match["title"], match["slug"])
            doc.sections.append(sections[match["slug"]])
            pick, label, part = None, None, "section"
            continue
        if match := PICK.match(line):
            flush()
            rank = int(match["rank"])
            if rank < 1 or any(p.rank == rank for p in doc.picks):
                raise FormatError(number, f"pick number {rank} is used twice or is not from 1")
            pick = PickDocument(rank=rank, title=match["title"], line=number)
            pick.section = doc.sections[-1].slug if doc.sections else ""
            doc.picks.append(pick)
            label, expect_by = None, True
            continue
        if pick is not None and expect_by and stripped:
            expect_by = False
            if match := BY.match(stripped):  # the authors, when the guide names them
                pick.authors, pick.et_al = split_authors(match["authors"])
                continue
        if pick is not None:
            if match := OTHERS.match(stripped):
                flush()
                label = None
                pick.related = split_list(match["titles"], ";")
                continue
            for name, pattern in LABELS.items():
                if pattern.match(stripped):
                    flush()
                    label = name
                    buffer.append(pattern.sub("", stripped))
                    break
            else:
                if stripped and text_line is None:
                    text_line = number
                buffer.append(line)
            continue
        buffer.append(line)
    flush()
    return doc


# --- writing -----------------------------------------------------------------


def write(doc):
    """The Markdown text of a GuideDocument; `parse(write(doc))` gives it back."""
    front = [
        ("title", doc.title),
        ("slug", doc.slug),
        ("conference", doc.conference),
        ("standfirst", " ".join(doc.standfirst.split())),
        ("source", doc.source),
        ("bylines", ", ".join(doc.bylines)),
        ("tags", ", ".join(doc.tags)),
    ]
    out = ["---", *[f"{key}: {value}" for key, value in front if value], "---", ""]
    if doc.intro:
        out += [doc.intro, ""]
    guide_figures = [write_figure(f) for f in doc.figures if f.place != "pick"]
    if guide_figures:
        out += [*guide_figures, ""]
    picks_by_section = {}
    for pick in doc.picks:
        picks_by_section.setdefault(pick.section, []).append(pick)
    figures_by_pick = {}
    for figure in doc.figures:
        if figure.place == "pick":
            figures_by_pick.setdefault(figure.pick, []).append(figure)
    for pick in picks_by_section.get("", []):
        out += write_pick(pick, figures_by_pick.get(pick.rank, []))
    for section in doc.sections:
        out += [f"## {section.title} {{#{section.slug}}}", ""]
        if section.intro:
            out += [section.intro, ""]
        for pick in picks_by_section.get(section.slug, []):
            out += write_pick(pick, figures_by_pick.get(pick.rank, []))
    if doc.outro:
        out += [OUTRO, doc.outro, ""]
    if doc.references:
        out += [REFERENCES, *[f"[{n}] {text}" for n, text in doc.references], ""]
    return "\n".join(out).rstrip("\n") + "\n"


def write_pick(pick, figures=()):
    out = [f"### {pick.rank}. {pick.title}"]
    if pick.authors:
        out.append(f"By {join_authors(pick.authors, pick.et_al)}")
    out.append("")
    for label, text in [
        ("Authors' TL;DR → ", pick.tldr),
        ("❓ Why → ", pick.why),
        ("💡 Key insights → ", pick.key_insights),
    ]:
        if text:
            out += [label + text, ""]
    if pick.related:
        out += ["Others: " + "; ".join(pick.related), ""]
    if figures:
        out += [*(write_figure(f) for f in figures), ""]
    return out
