"""Every public page runs the same number of queries however much it shows."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from discovery.models import ConferenceMap
from guides.models import FigurePlace, Guide, Webinar
from images.models import ConferenceImage, PaperImage
from papers.models import Authorship, Paper, Tag
from tests.factories import (
    AuthorFactory,
    ConferenceFactory,
    FigureFactory,
    GuideFactory,
    ImageFactory,
    PaperFactory,
    PickFactory,
    ReferenceFactory,
    SectionFactory,
    WebinarFactory,
)
from website.models import StoredSection
from website.page_cache import forget_recent_stamps

pytestmark = pytest.mark.django_db

MAX_QUERIES = 14


def build(size):
    """A conference with `size` guides of `size` picks; every paper has `size` authors
    (one shared by all) and `size` topics; related papers, references and webinars;
    `size` images: a cover per guide, a figure under every pick, images inside the
    intro and every why, pictures of the conference and a paper.
    Slugs end in the size, so a small and a large set live side by side."""
    conference = ConferenceFactory(year=2000 + size, slug=f"conf-{size}", accepted_papers=size)
    shared_author = AuthorFactory(slug=f"shared-author-{size}")
    shared_paper = PaperFactory(conference=conference, slug=f"paper-{size}", title=f"Paper {size}")
    images = [ImageFactory(width=400, height=300) for _ in range(size)]
    embeds = "\n\n".join(image.markdown for image in images)
    ConferenceImage.objects.create(conference=conference, image=images[0])
    PaperImage.objects.create(paper=shared_paper, image=images[-1])
    tags = [
        Tag.objects.create(name=f"Topic {size}-{i}", slug=f"topic-{size}-{i}") for i in range(size)
    ]
    for g in range(size):
        intro = f"Intro[^1]\n\n{embeds}"
        guide = GuideFactory(conference=conference, slug=f"guide-{size}-{g}", intro=intro)
        guide.tags.add(*tags)
        FigureFactory(guide=guide, number=1, place=FigurePlace.COVER, image=images[0])
        section = SectionFactory(guide=guide, intro="Overview")
        PickFactory(guide=guide, paper=shared_paper, rank=1, section=section)
        for rank in range(2, size + 2):
            paper = PaperFactory(conference=conference)
            paper.tags.add(*tags)
            authors = [shared_author, *AuthorFactory.create_batch(size - 1)]
            Authorship.objects.bulk_create(
                Authorship(paper=paper, author=author, position=i)
                for i, author in enumerate(authors, 1)
            )
            why = f"Why[^1]\n\n{embeds}"
            pick = PickFactory(guide=guide, paper=paper, rank=rank, section=section, why=why)
            pick.related_papers.add(shared_paper)
            image = images[rank % size]
            FigureFactory(guide=guide, number=rank, place=FigurePlace.PICK, pick=pick, image=image)
        for number in range(1, size + 1):
            ReferenceFactory(guide=guide, number=number, paper=shared_paper)
        WebinarFactory(guide=guide, conference=conference)


URLS = [
    "/",
    "/guides/",
    "/guides/guide-{size}-0/",
    "/conferences/",
    "/conferences/conf-{size}/",
    "/papers/",
    "/papers/?q=Paper&tag=topic-{size}-0&sort=-year",
    "/papers/paper-{size}/",
    "/papers/?similar_to=paper-{size}",
    "/authors/",
    "/authors/shared-author-{size}/",
    "/tags/",
    "/tags/topic-{size}-0/",
    "/tags/topic-{size}-0/?conference=conf-{size}",
    "/webinars/",
    "/webinars/{webinar}/",
]


def count_queries(client, size):
    """Queries per page as rendered (the page cache off): on the first view, which
    stores the guide's article, and on a repeat."""
    counts = {}
    webinar = Webinar.objects.filter(conference__slug=f"conf-{size}").first()
    # Each size's first views start with nothing stored (the number of authors, say),
    # not with what the other size stored, since then made stale.
    StoredSection.objects.all().delete()
    with override_settings(PAGE_CACHE=False):
        for url in URLS:
            forget_recent_stamps()  # as a process that read no stamps yet
            # No guide card stored: else which ones an earlier page stored would count.
            Guide.objects.update(card_html="")
            for view in ("first", "repeat"):
                with CaptureQueriesContext(connection) as queries:
                    response = client.get(url.format(size=size, webinar=webinar.slug))
                assert response.status_code == 200, url
                counts[url, view] = len(queries)
    return counts


def test_query_counts_do_not_grow_with_the_data(client):
    # Vectors and maps: related papers under picks and on paper pages, conference maps.
    build(2)
    call_command("fit_embeddings", stdout=io.StringIO())
    small = count_queries(client, 2)
    build(7)
    call_command("fit_embeddings", stdout=io.StringIO())
    assert ConferenceMap.objects.count() == 2
    large = count_queries(client, 7)
    assert large == small
    repeats = {url: n for (url, view), n in large.items() if view == "repeat"}
    assert max(repeats.values()) <= MAX_QUERIES, repeats
    # The site revision, the stored article, the revision again once rendered (the
    # stamps of the page's tags were read at that revision by the first view).
    assert repeats["/guides/guide-{size}-0/"] == 3


SEED_URLS = [
    "/",
    "/guides/",
    "/guides/neurips-2020-10-essentials/",
    "/guides/neurips-2023-highlights/",
    "/conferences/",
    "/conferences/neurips-2023/",
    "/papers/",
    "/papers/?conference=neurips-2023&tag=ai-for-science&sort=title",
    "/papers/?q=learning&sort=-title",
    "/papers/autoregressive-diffusion-models/",
    "/authors/",
    "/authors/yang-song/",
    "/tags/",
    "/tags/ai-for-science/",
    "/search/?q=diffusion",
    "/feeds/guides.atom",
    "/webinars/",
]


def rendering_queries(client):
    """Queries per page as rendered (the page cache off), after one view stored articles."""
    counts = {}
    with override_settings(PAGE_CACHE=False):
        for url in SEED_URLS:
            assert client.get(url).status_code == 200, url
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            counts[url] = len(queries)
    return counts


def test_query_counts_are_the_same_on_the_seed_and_on_a_large_corpus(seed, client):
    on_seed = rendering_queries(client)
    call_command("generate_demo_data", "--papers=4000", "--guides=40", stdout=io.StringIO())
    assert Paper.objects.count() > 4000
    assert rendering_queries(client) == on_seed
    assert max(on_seed.values()) <= MAX_QUERIES
