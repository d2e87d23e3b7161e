"""Guides as Markdown: export, import, and their round trip through an empty database."""

import io

import pytest
from bs4 import BeautifulSoup
from django.core.management import CommandError, call_command
from django.urls import reverse

from guides.guide_markdown import FormatError, parse
from guides.models import Guide, Pick, Reference, Section, Status
from papers.models import Author, Authorship, Paper, Tag
from tests.factories import ConferenceFactory, ImageFactory

pytestmark = pytest.mark.django_db

SEEDED = [
    "neurips-2020-10-essentials",
    "neurips-2021-10-papers",
    "iclr-2021-10-papers",
    "iclr-2022-10-papers",
    "neurips-2023-highlights",
]
MODELS = [Guide, Section, Pick, Reference, Paper, Author, Authorship, Tag]


def counts():
    return [model.objects.count() for model in MODELS]


def export(slug, tmp_path):
    path = tmp_path / f"{slug}.md"
    call_command("export_guide", slug, output=path, stderr=io.StringIO())
    return path


def content(slug):
    """What the Markdown format carries of a guide, read straight from the database."""
    guide = Guide.objects.get(slug=slug)
    return {
        "guide": (
            guide.title,
            guide.conference.slug,
            " ".join(guide.standfirst.split()),
            guide.intro.strip(),
            guide.outro.strip(),
            guide.source_url,
            sorted(u.username for u in guide.bylines.all()),
            sorted(t.name for t in guide.tags.all()),
        ),
        "sections": [(s.title, s.slug, s.order, s.intro.strip()) for s in guide.sections.all()],
        "picks": [
            (
                p.rank,
                p.section.slug if p.section else None,
                p.paper.title,
                [a.author.name for a in p.paper.authorships.order_by("position")],
                p.paper.authors_et_al,
                p.paper.tldr.strip(),
                p.why.strip(),
                p.key_insights.strip(),
                sorted(r.title for r in p.related_papers.all()),
            )
            for p in guide.picks.select_related("paper", "section")
        ],
        "references": list(guide.references.values_list("number", "text")),
        "figures": [
            (
                f.number,
                f.place,
                f.pick.rank if f.pick else None,
                f.caption,
                f.image.key if f.image else None,
                f.credit_text,
                f.credit_url,
                f.credit_paper.title if f.credit_paper else None,
            )
            for f in guide.figures.select_related("pick", "image", "credit_paper")
        ],
    }


def test_every_seeded_guide_survives_export_and_import_into_an_empty_database(seed, tmp_path):
    files = {slug: export(slug, tmp_path) for slug in SEEDED}
    before = {slug: content(slug) for slug in SEEDED}
    # Empty the editorial content and the catalogue; conferences and users stay.
    Guide.objects.all().delete()
    Paper.objects.all().delete()
    Author.objects.all().delete()
    Tag.objects.all().delete()
    assert counts() == [0] * len(MODELS)
    for slug, path in files.items():
        call_command("import_guide", str(path), stdout=io.StringIO())
        assert content(slug) == before[slug], slug
        assert Guide.objects.get(slug=slug).status == Status.DRAFT


def test_import_reuses_papers_and_authors(seed, tmp_path):
    path = tmp_path / "guide.md"
    path.write_text(
        "---\ntitle: A new look at ICLR 2021\nconference: iclr-2021\n---\n\nIntro.\n\n"
        "### 1. adaptive federated optimization\nBy Sashank J. Reddi et al.\n\n"
        "❓ Why → Still good.\n\n"
        "### 2. A paper nobody has seen\nBy Sashank J. Reddi and Ada Lovelace\n\n"
        "💡 Key insights → Something new.\n\nOthers: Rethinking Attention with Performers\n"
    )
    papers, authors = Paper.objects.count(), Author.objects.count()
    out = io.StringIO()
    call_command("import_guide", str(path), stdout=out)
    report = out.getvalue()
    assert Paper.objects.count() == papers + 1
    assert Author.objects.count() == authors + 1  # Ada Lovelace; Reddi is reused
    guide = Guide.objects.get(slug="a-new-look-at-iclr-2021")
    first, second = guide.picks.all()
    assert first.paper.title == "Adaptive Federated Optimization"
    assert [a.author.name for a in second.paper.authorships.all()] == [
        "Sashank J. Reddi",
        "Ada Lovelace",
    ]
    assert [p.title for p in second.related_papers.all()] == [
        "Rethinking Attention with Performers"
    ]
    assert "created paper “A paper nobody has seen”" in report
    assert "reused paper “Adaptive Federated Optimization”" in report


MALFORMED = {
    "no front matter": ("# Title\n", 1, "front matter"),
    "unknown key": ("---\ntitle: T\nconference: iclr-2021\ncolour: red\n---\n", 4, "key: value"),
    "no title": ("---\nconference: iclr-2021\n---\n", 1, "'title'"),
    "stray text in a pick": (
        "---\ntitle: T\nconference: iclr-2021\n---\n\n"
        "### 1. A paper\nBy A. Author\n\nUnlabelled text.\n",
        9,
        "must follow a label",
    ),
    "a number twice": (
        "---\ntitle: T\nconference: iclr-2021\n---\n### 1. A\n❓ Why → x\n### 1. B\n❓ Why → y\n",
        7,
        "used twice",
    ),
    "a bad reference": (
        "---\ntitle: T\nconference: iclr-2021\n---\n### 1. A\n❓ Why → x\n"
        "<!-- references -->\n[1] ok\nnot a reference\n",
        9,
        "[n] citation",
    ),
    "an unknown conference": ("---\ntitle: T\nconference: nope-1999\n---\n", 1, "no conference"),
    "a NUL character": ("---\ntitle: T\nconference: iclr-2021\n---\nIntro\x00\n", 5, "NUL"),
}


@pytest.mark.parametrize("case", MALFORMED)
def test_a_malformed_file_changes_nothing_and_names_the_line(seed, tmp_path, case):
    text, line, words = MALFORMED[case]
    path = tmp_path / "bad.md"
    path.write_text(text)
    before = counts()
    with pytest.raises(CommandError) as error:
        call_command("import_guide", str(path))
    assert f"line {line}:" in str(error.value) and words in str(error.value)
    assert "Nothing was imported" in str(error.value)
    assert counts() == before


def test_a_file_failing_late_writes_nothing(seed, tmp_path):
    # Valid picks that would create papers, then a slug that is taken: all or nothing.
    path = tmp_path / "late.md"
    path.write_text(
        "---\ntitle: T\nslug: iclr-2022-10-papers\nconference: iclr-2022\n---\n"
        "### 1. A brand new paper\nBy New Author\n\n❓ Why → x\n"
    )
    before = counts()
    with pytest.raises(CommandError, match="exists already"):
        call_command("import_guide", str(path))
    assert counts() == before


def test_parse_gives_a_format_error_with_its_line():
    with pytest.raises(FormatError) as error:
        parse("---\ntitle: T\nconference: c\n---\n### 1. A\nBy X\nloose text\n")
    assert error.value.line == 7


def test_export_of_an_unknown_guide_is_a_clear_error(db):
    with pytest.raises(CommandError, match="No guide with the slug 'nope'"):
        call_command("export_guide", "nope")


def test_import_and_export_in_the_admin(seed, client, editor, tmp_path):
    client.force_login(editor)
    guide = Guide.objects.get(slug="iclr-2022-10-papers")
    download = client.get(reverse("admin:guides_guide_export", args=[guide.pk]))
    assert download["Content-Disposition"] == 'attachment; filename="iclr-2022-10-papers.md"'
    text = download.content.decode().replace("slug: iclr-2022-10-papers", "slug: iclr-2022-copy")
    changelist = BeautifulSoup(
        client.get(reverse("admin:guides_guide_changelist")).content, "html.parser"
    )
    assert changelist.find("a", string="Import from Markdown")
    url = reverse("admin:guides_guide_import")
    path = tmp_path / "copy.md"
    path.write_text(text)
    with path.open("rb") as upload:
        response = client.post(url, {"file": upload})
    copy = Guide.objects.get(slug="iclr-2022-copy")
    assert response.status_code == 302 and response["Location"] == reverse(
        "admin:guides_guide_change", args=[copy.pk]
    )
    assert copy.status == Status.DRAFT and copy.created_by == editor and copy.picks.count() == 10
    before = counts()
    path.write_text("not a guide")
    with path.open("rb") as upload:
        response = client.post(url, {"file": upload})
    assert response.status_code == 400
    assert "Nothing was imported: line 1" in response.content.decode()
    assert counts() == before


def test_contributors_import_but_only_staff_export(client, contributor, tmp_path):
    ConferenceFactory(year=2030)
    client.force_login(contributor)
    assert client.get(reverse("admin:guides_guide_import")).status_code == 200
    client.logout()
    assert client.get(reverse("admin:guides_guide_import")).status_code == 302  # to login


FIGURED = """---
title: A guide with figures
conference: {conference}
---

The intro, with an image: ![A chart]({ref} "Its caption")

🖼 Cover 1 → The harbour. | credit: Photo by Mike | link: https://example.org/mike | image: {key}
🖼 Figure 2 → A chart after the intro, still waiting for its file.

### 1. A paper with a figure

❓ Why → Because.
🖼 Figure 3 → The architecture. | source: A paper with a figure | image: {key}
"""


def figured(image, conference):
    return FIGURED.format(conference=conference.slug, key=image.key, ref=f"image:{image.key}")


def test_figures_and_images_in_text_survive_import_and_export(tmp_path):
    image, conference = ImageFactory(), ConferenceFactory()
    call_command("import_guide", write(tmp_path, figured(image, conference)), stdout=io.StringIO())
    guide = Guide.objects.get(title="A guide with figures")
    before = content(guide.slug)
    assert before["figures"] == [
        (
            1,
            "cover",
            None,
            "The harbour.",
            image.key,
            "Photo by Mike",
            "https://example.org/mike",
            None,
        ),
        (
            2,
            "intro",
            None,
            "A chart after the intro, still waiting for its file.",
            None,
            "",
            "",
            None,
        ),
        (3, "pick", 1, "The architecture.", image.key, "", "", "A paper with a figure"),
    ]
    assert guide.embedded_images.get().image == image
    exported = export(guide.slug, tmp_path).read_text()
    guide.delete()
    call_command("import_guide", write(tmp_path, exported), stdout=io.StringIO())
    assert content(guide.slug) == before


def write(tmp_path, text):
    path = tmp_path / "guide.md"
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ("| image: {key}\n🖼 Figure 2", "| image: nosuch\n🖼 Figure 2"),
            "line 8: no image with the key 'nosuch'",
        ),
        (("🖼 Figure 2 →", "🖼 Figure 1 →"), "line 9: figure number 1 is used twice"),
        (("🖼 Figure 2 →", "🖼 Cover 2 →"), "line 9: a guide has one cover"),
        (
            ("credit: Photo by Mike", "photographer: Mike"),
            "line 8: after a figure's caption, expected",
        ),
        (
            ("🖼 Figure 3 → The", "🖼 Cover 3 → The"),
            "line 14: the cover goes after the guide's intro",
        ),
        (
            ("The intro, with", "## A section {{#s}}\n\n🖼 Figure 9 → x\n\nThe intro, with"),
            "line 8: a figure goes after the guide's intro or under a pick",
        ),
        (
            ('({ref} "Its caption")', "(image:unknownkey)"),
            "intro: No image with the key unknownkey",
        ),
    ],
    ids=[
        "unknown-image",
        "number-twice",
        "two-covers",
        "bad-attribute",
        "cover-in-pick",
        "in-a-section",
        "unknown-image-in-text",
    ],
)
def test_a_bad_figure_line_is_named_and_nothing_is_written(tmp_path, change, message):
    image, conference = ImageFactory(), ConferenceFactory()
    before = counts()
    text = FIGURED.replace(*change).format(
        conference=conference.slug, key=image.key, ref=f"image:{image.key}"
    )
    with pytest.raises(CommandError) as caught:
        call_command("import_guide", write(tmp_path, text), stdout=io.StringIO())
    assert message in str(caught.value)
    assert counts() == before
