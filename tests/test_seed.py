"""The seed fixture: what operators load with `manage.py loaddata seed`."""

import datetime as dt
import json
import re

import pytest
from django.core.management import call_command
from django.core.serializers.base import DeserializationError

from accounts.models import User
from guides.models import Figure, Guide, Pick, Reference, Section, Status, Webinar
from papers.models import Author, Authorship, Conference, Paper, Tag

pytestmark = pytest.mark.django_db

# slug: (picks, sections, references, first pick's paper, last pick's paper)
GUIDES = {
    "neurips-2020-10-essentials": (
        10,
        3,
        9,
        "Bootstrap Your Own Latent, A New Approach to Self-Supervised Learning",
        "Open Graph Benchmark: Datasets for Machine Learning on Graphs",
    ),
    "neurips-2021-10-papers": (
        10,
        0,
        6,
        "A 3D Generative Model for Structure-Based Drug Design",
        "Fixes That Fail: Self-Defeating Improvements in Machine-Learning Systems",
    ),
    "iclr-2021-10-papers": (
        10,
        0,
        7,
        "An Image is Worth 16x16 Words: Transformers for Image Recognition at Scale",
        "Can a Fruit Fly Learn Word Embeddings?",
    ),
    "iclr-2022-10-papers": (
        10,
        0,
        7,
        "Autoregressive Diffusion Models",
        "Autonomous Reinforcement Learning: Formalism and Benchmarking",
    ),
    "neurips-2023-highlights": (
        81,
        30,
        0,
        "Tree-of-Thoughts",
        "The Tunnel Effect: Building Data Representations in Deep Neural Networks",
    ),
}
# The ICLR 2021 post cites [5], [8], [9] and [10] but its reference list lacks them,
# and lists [4] (Big Bird) without citing it: the seed keeps the post as it was.
SOURCE_GAPS = {"iclr-2021-10-papers": ({5, 8, 9, 10}, {4})}
MODELS = [
    User,
    Conference,
    Author,
    Authorship,
    Paper,
    Tag,
    Guide,
    Section,
    Pick,
    Reference,
    Webinar,
    Figure,
]


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_loads_into_an_empty_database(db):
    assert set(counts().values()) == {0}
    call_command("loaddata", "seed", verbosity=0)
    assert counts()["Guide"] == 5
    assert counts()["Conference"] == 5
    assert counts()["Webinar"] == 2


def test_loading_twice_adds_nothing(seed):
    before = counts()
    call_command("loaddata", "seed", verbosity=0)
    assert counts() == before


def test_the_posts_captions_are_figures_awaiting_their_images(seed):
    figures = Figure.objects.select_related("guide", "pick", "credit_paper").order_by("pk")
    assert figures.count() == 14 == figures.awaiting_image().count()
    cover = figures.get(guide__slug="neurips-2020-10-essentials", place="cover")
    assert (cover.caption, cover.credit_text) == (
        "Vancouver, Canada.",
        "Photo by Mike Benna on Unsplash",
    )
    under_picks = figures.filter(place="pick")
    assert [(f.pick.rank, f.caption) for f in under_picks][:3] == [
        (1, "High level diagram of the training procedure."),
        (1, "Linear classification ImageNet performance."),
        (2, "High level overview of consistency Training."),
    ]
    assert all(f.credit_paper == f.pick.paper for f in under_picks)  # "Source: <the paper>"
    assert under_picks.count() == 11
    assert [
        (f.guide.slug, f.place, f.caption, f.credit_text) for f in figures.exclude(place="pick")
    ] == [
        (
            "neurips-2020-10-essentials",
            "cover",
            "Vancouver, Canada.",
            "Photo by Mike Benna on Unsplash",
        ),
        (
            "neurips-2021-10-papers",
            "intro",
            "NeurIPS number of publications for the past decade in the main track.",
            "",
        ),
        ("iclr-2022-10-papers", "cover", "", "Image by Zeta Alpha."),
    ]


def test_loading_again_restores_edited_rows(seed):
    Pick.objects.filter(guide__slug="iclr-2021-10-papers", rank=1).update(why="vandalised")
    call_command("loaddata", "seed", verbosity=0)
    pick = Pick.objects.get(guide__slug="iclr-2021-10-papers", rank=1)
    assert pick.why.startswith("First paper to show how pure Transformers")


@pytest.mark.parametrize("slug", GUIDES)
def test_each_guide_has_its_picks_in_order(seed, slug):
    n_picks, n_sections, n_references, first, last = GUIDES[slug]
    guide = Guide.objects.get(slug=slug)
    picks = list(guide.picks.select_related("paper", "section"))
    assert [pick.rank for pick in picks] == list(range(1, n_picks + 1))
    assert (picks[0].paper.title, picks[-1].paper.title) == (first, last)
    assert guide.sections.count() == n_sections
    assert guide.references.count() == n_references
    assert guide.status == Status.PUBLISHED
    assert guide in Guide.objects.public()
    for pick in picks:
        assert pick.why.strip(), f"pick {pick.rank} of {slug} has no why"
        assert pick.paper.conference_id == guide.conference_id
        assert pick.section is None or pick.section.guide_id == guide.pk


@pytest.mark.parametrize("slug", GUIDES)
def test_every_footnote_marker_has_its_reference(seed, slug):
    guide = Guide.objects.get(slug=slug)
    texts = [guide.intro, guide.outro, *guide.sections.values_list("intro", flat=True)]
    for why, insights in guide.picks.values_list("why", "key_insights"):
        texts += [why, insights]
    markers = {int(n) for text in texts for n in re.findall(r"\[\^(\d+)\]", text)}
    numbers = set(guide.references.values_list("number", flat=True))
    assert (markers - numbers, numbers - markers) == SOURCE_GAPS.get(slug, (set(), set()))


def test_picks_of_the_titled_posts_have_authors_and_commentary(seed):
    pick = Pick.objects.get(guide__slug="neurips-2021-10-papers", rank=3)
    assert pick.paper.title == "Multimodal Few-Shot Learning with Frozen Language Models"
    authors = [a.author.name for a in pick.paper.authorships.select_related("author")]
    assert authors[0] == "Maria Tsimpoukelli"
    assert pick.paper.tldr
    assert pick.key_insights


def test_related_papers_come_from_the_others_lists(seed):
    pick = Pick.objects.get(guide__slug="iclr-2022-10-papers", rank=4)
    assert pick.related_papers.exists()


def test_shared_authors_are_one_author(seed):
    # Sashank J. Reddi wrote an ICLR 2021 pick and is cited elsewhere: one author row.
    assert Author.objects.filter(name__icontains="Reddi").count() == 1


def test_conference_stats_say_what_the_posts_say(seed):
    stats = dict(Conference.objects.get(slug="neurips-2021").stats())
    assert stats["accepted papers"] == "2,334"
    assert stats["attendees"] == "15,000+"
    assert dict(Conference.objects.get(slug="iclr-2022").stats())["accepted papers"] == "1,000+"


def test_webinars_keep_their_announced_time(seed):
    iclr = Webinar.objects.get(slug="iclr-2022-webinar")
    assert iclr.starts_at == dt.datetime(2022, 4, 25, 13, tzinfo=dt.UTC)
    assert iclr.local_start.strftime("%H:%M %Z") == "15:00 CEST"
    neurips = Webinar.objects.get(slug="neurips-2021-webinar")
    assert (neurips.starts_on, neurips.starts_at) == (dt.date(2021, 12, 3), None)


def test_bylines(seed):
    assert [
        u.byline_name for u in Guide.objects.get(slug="neurips-2023-highlights").bylines.all()
    ] == ["Alex Zhang"]
    byline = User.objects.get(username="castella2")
    assert not byline.has_usable_password()


def test_a_bad_fixture_is_refused_and_writes_nothing(seed, tmp_path):
    before = counts()
    good = {
        "model": "papers.author",
        "fields": {
            "name": "Ada Lovelace",
            "slug": "ada-lovelace",
            "homepage": "",
            "affiliation": "",
        },
    }
    bad = {
        "model": "guides.pick",
        "fields": {"guide": ["neurips-2021-10-papers"], "paper": ["no-such-paper"], "rank": 99},
    }
    path = tmp_path / "bad.json"
    path.write_text(json.dumps([good, bad]))
    with pytest.raises(DeserializationError, match=r"bad\.json.*Pick has no paper"):
        call_command("loaddata", str(path), verbosity=0)
    assert counts() == before
    assert not Author.objects.filter(slug="ada-lovelace").exists()
