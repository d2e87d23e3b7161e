"""Only what changed: a change makes stale the cached pages that show what changed (a
new ETag at once) and leaves every other cached page and its ETag as it was."""

from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from discovery.fitting import fit_catalogue
from discovery.related import related_papers
from guides.models import Guide, Pick, Reference, Section, TaggedGuide, Webinar
from papers.models import Author, Authorship, Conference, Paper, Series, Tag

GUIDE = "neurips-2020-10-essentials"
OTHER = "iclr-2021-10-papers"


def guide(slug=GUIDE):
    return Guide.objects.get(slug=slug)


def picked_paper(rank=2):
    return Pick.objects.get(guide__slug=GUIDE, rank=rank).paper


@pytest.fixture
def outsider(seed):
    """A paper, its author and its topic that no guide shows (every seed paper is in
    one): made before the pages are first cached."""
    paper = Paper.objects.create(title="Shown by no guide", slug="shown-by-no-guide", year=2020)
    author = Author.objects.create(name="Nobody Cited", slug="nobody-cited")
    Authorship.objects.create(paper=paper, author=author, position=1)
    topic = Tag.objects.create(name="Unshown topic", slug="unshown-topic")
    paper.tags.add(topic)
    return SimpleNamespace(paper=paper, author=author, topic=topic)


def save(instance):
    instance.save()


# (kind, page, an edit of something the page shows, an edit of something it does not)
CASES = [
    ("paper", GUIDE, lambda o: save(picked_paper()), lambda o: save(o.paper)),
    (
        "author",
        GUIDE,
        lambda o: save(picked_paper(3).authorships.first().author),
        lambda o: save(o.author),
    ),
    ("topic", GUIDE, lambda o: save(picked_paper(1).tags.first()), lambda o: save(o.topic)),
    (
        "conference",
        GUIDE,
        lambda o: save(guide().conference),
        lambda o: save(Conference.objects.exclude(guides__slug=GUIDE).first()),
    ),
    (
        "series",
        GUIDE,
        lambda o: save(guide().conference.series),
        lambda o: save(Series.objects.exclude(conferences__guides__slug=GUIDE).first()),
    ),
    ("guide", GUIDE, lambda o: save(guide()), lambda o: save(guide(OTHER))),
    (
        "pick",
        GUIDE,
        lambda o: save(guide().picks.first()),
        lambda o: save(guide(OTHER).picks.first()),
    ),
    (
        "section",
        GUIDE,
        lambda o: save(Section.objects.filter(guide__slug=GUIDE).first()),
        lambda o: save(Section.objects.exclude(guide__slug=GUIDE).first()),
    ),
    (
        "reference",
        GUIDE,
        lambda o: save(Reference.objects.filter(guide__slug=GUIDE).first()),
        lambda o: save(Reference.objects.exclude(guide__slug=GUIDE).first()),
    ),
    (
        "guide topic",
        GUIDE,
        lambda o: save(TaggedGuide.objects.filter(content_object__slug=GUIDE).first()),
        lambda o: save(TaggedGuide.objects.exclude(content_object__slug=GUIDE).first()),
    ),
    (
        "webinar",
        "neurips-2021-10-papers",
        lambda o: save(Webinar.objects.get(guide__slug="neurips-2021-10-papers")),
        lambda o: save(Webinar.objects.get(guide__slug="iclr-2022-10-papers")),
    ),
    (
        "byline",
        GUIDE,
        lambda o: save(guide().bylines.first()),
        lambda o: save(User.objects.create_user("someone-else")),
    ),
    (
        "paper of a paper page",
        "paper:autoregressive-diffusion-models",
        lambda o: save(Paper.objects.get(slug="autoregressive-diffusion-models")),
        lambda o: save(o.paper),
    ),
    (
        "author of a paper page",
        "paper:autoregressive-diffusion-models",
        lambda o: save(Author.objects.filter(papers__slug="autoregressive-diffusion-models")[0]),
        lambda o: save(o.author),
    ),
]


def url_of(page):
    if page.startswith("paper:"):
        return f"/papers/{page.removeprefix('paper:')}/"
    return f"/guides/{page}/"


def fetch(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, len(queries)


@pytest.mark.parametrize("kind, page, shown, unshown", CASES, ids=[case[0] for case in CASES])
def test_a_change_makes_stale_only_the_pages_that_show_it(
    outsider, client, kind, page, shown, unshown
):
    url = url_of(page)
    first, _ = fetch(client, url)

    unshown(outsider)
    again, queries = fetch(client, url)
    assert queries == 2, "served from the cache"  # the site revision, the tags' stamps
    assert again["ETag"] == first["ETag"] and again.content == first.content

    shown(outsider)
    after, queries = fetch(client, url)
    assert after["ETag"] != first["ETag"]
    assert queries > 2, "rendered again"


def test_a_new_paper_changes_paper_lists_but_not_guides(seed, client):
    lists = ["/papers/?sort=title", "/tags/", "/authors/"]
    pages = {url: fetch(client, url)[0]["ETag"] for url in [*lists, f"/guides/{GUIDE}/"]}
    Paper.objects.create(title="A brand new paper", slug="a-brand-new-paper", year=2024)
    for url in lists:
        assert fetch(client, url)[0]["ETag"] != pages[url], url
    assert fetch(client, f"/guides/{GUIDE}/")[0]["ETag"] == pages[f"/guides/{GUIDE}/"]


def test_a_page_names_its_tags(outsider, client):
    g = guide()
    tags = client.get(f"/guides/{GUIDE}/")["Surrogate-Key"].split()
    assert {"site", f"guide-{g.pk}"} <= set(tags)
    assert f"paper-{outsider.paper.pk}" not in tags and "paper" not in tags  # not a list
    listing = client.get("/papers/?sort=title")["Surrogate-Key"].split()
    assert "paper" in listing  # a list of papers: any paper may join it


def test_a_page_with_too_many_objects_names_their_kind(seed, client):
    from website.cache_tags import MAX_TAGS, compact

    tags = compact({"site", *(f"paper-{n}" for n in range(MAX_TAGS + 5)), "guide-1"})
    assert tags == ["guide-1", "paper", "site"]


def test_a_pick_given_another_paper_leaves_the_old_papers_page(outsider, client):
    pick = Pick.objects.get(guide__slug=GUIDE, rank=1)
    old_page = pick.paper.get_absolute_url()
    before, _ = fetch(client, old_page)
    assert "No guide has picked this paper yet." not in before.content.decode()
    pick.paper = outsider.paper
    pick.save()
    after, _ = fetch(client, old_page)
    assert after["ETag"] != before["ETag"]
    assert "No guide has picked this paper yet." in after.content.decode()


def test_a_paper_page_with_its_stored_related_papers_still_names_them(outsider, client):
    """Rendered again after a guide picking it changed, the page serves its related
    papers as stored: it still carries their tags, so a change of one makes it stale."""
    fit_catalogue()
    paper = picked_paper()
    url = paper.get_absolute_url()
    related = [item.paper for item in related_papers(paper)]
    first, _ = fetch(client, url)
    save(Reference.objects.filter(guide__slug=GUIDE).first())  # stamps the guide only
    again, _ = fetch(client, url)
    assert again["ETag"] != first["ETag"]
    assert {f"paper-{p.pk}" for p in related} <= set(again["Surrogate-Key"].split())

    save(outsider.paper)
    cached, queries = fetch(client, url)
    assert queries == 2 and cached["ETag"] == again["ETag"], "served from the cache"

    save(related[0])
    after, queries = fetch(client, url)
    assert after["ETag"] != again["ETag"] and queries > 2
