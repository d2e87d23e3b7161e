"""Sections stored whole (website.stored_sections): the latest picks of a topic and of a
conference, served as stored until anything they show changes, and on time for a
scheduled guide."""

import datetime as dt

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.test import override_settings

from guides.models import Guide, Pick
from papers.models import Author
from website.models import StoredSection

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seed")]

MARK = '<section><h2 id="picks-title">Picks</h2><p id="stored">as stored</p></section>'


def picks_section(client, url):
    response = client.get(url)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    return soup.find(id="picks-title").find_parent("section")


def latest_pick_on_a_topic():
    pick = (
        Pick.objects.public()
        .exclude(why="")
        .filter(paper__tags__isnull=False)
        .order_by("-guide__published_at", "rank")
        .select_related("paper", "guide")[0]
    )
    return pick, pick.paper.tags.order_by("paper_count").first()


@override_settings(PAGE_CACHE=False)
def test_a_topics_picks_are_stored_and_rendered_again_after_an_edit(client):
    pick, topic = latest_pick_on_a_topic()
    url = topic.get_absolute_url()
    assert pick.paper.title in picks_section(client, url).text
    stored = StoredSection.objects.get(key=f"topic-picks-{topic.pk}")
    assert pick.paper.title in stored.html
    StoredSection.objects.filter(pk=stored.pk).update(html=MARK)
    assert picks_section(client, url).find(id="stored")  # served as stored
    pick.why = "Edited *today*."
    pick.save()
    section = picks_section(client, url)
    assert section.find(id="stored") is None
    assert "Edited today." in section.text and section.find("em").text == "today"


@override_settings(PAGE_CACHE=False)
def test_a_topic_at_one_conference_is_rendered_for_it_and_stores_nothing(client):
    pick, topic = latest_pick_on_a_topic()
    url = topic.get_absolute_url()
    client.get(url)
    StoredSection.objects.filter(key=f"topic-picks-{topic.pk}").update(html=MARK)
    conference = pick.guide.conference
    at = picks_section(client, f"{url}?conference={conference.slug}")
    assert at.find(id="stored") is None and pick.paper.title in at.text
    theirs = {g.get_absolute_url() for g in Guide.objects.filter(conference=conference)}
    links = [a["href"].partition("#")[0] for a in at.select("article h3 a")]
    assert links and set(links) <= theirs
    assert StoredSection.objects.get(key=f"topic-picks-{topic.pk}").html == MARK


@override_settings(PAGE_CACHE=False)
def test_a_conferences_picks_show_an_authors_new_name_at_once(client):
    guide = Guide.objects.public().filter(conference__slug="neurips-2021").first()
    url = guide.conference.get_absolute_url()
    pick = guide.picks.select_related("paper").order_by("rank").first()
    assert pick.paper.title in picks_section(client, url).text
    assert StoredSection.objects.filter(key=f"conference-picks-{guide.conference_id}").exists()
    author = Author.objects.filter(authorships__paper=pick.paper).first()
    author.name = "Ada Renamed-Lovelace"
    author.save()  # its papers' cards are forgotten; the section is rendered again
    assert "Ada Renamed-Lovelace" in picks_section(client, url).text


@override_settings(PAGE_CACHE=False)
def test_a_scheduled_guides_picks_join_the_topic_page_when_its_time_comes(client):
    pick, topic = latest_pick_on_a_topic()
    guide = pick.guide
    url = topic.get_absolute_url()
    guide.published_at, guide.updated_at = dt.datetime(2031, 3, 1, 9, 0, tzinfo=dt.UTC), None
    guide.save()
    link = f"{guide.get_absolute_url()}#pick-{pick.rank}"
    with time_machine.travel(dt.datetime(2031, 3, 1, 8, 59, tzinfo=dt.UTC), tick=False):
        assert not picks_section(client, url).select(f'a[href="{link}"]')
    with time_machine.travel(dt.datetime(2031, 3, 1, 9, 0, 1, tzinfo=dt.UTC), tick=False):
        assert picks_section(client, url).select(f'a[href="{link}"]')
