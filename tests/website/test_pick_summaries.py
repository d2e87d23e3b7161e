"""Picks' why and key insights on topic, author and paper pages: rendered once, stored,
rendered again after an edit."""

import pytest
from django.test import override_settings

from guides.models import Pick
from website.models import StoredSection
from website.pick_summaries import with_summaries

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seed")]

PAGES = ["/tags/{tag}/", "/authors/{author}/", "/papers/{paper}/"]


def pages_of(pick):
    paper = pick.paper
    return [
        page.format(
            tag=paper.tags.order_by("paper_count").first().slug,  # its pick among the latest
            author=paper.authorships.first().author.slug,
            paper=paper.slug,
        )
        for page in PAGES
    ]


@override_settings(PAGE_CACHE=False)
def test_a_summary_is_stored_shown_and_rendered_again_after_an_edit(client):
    pick = (
        Pick.objects.public()
        .exclude(why="")
        .filter(paper__tags__isnull=False, paper__authorships__isnull=False)
        .order_by("-guide__published_at", "rank")[0]
    )
    pages = pages_of(pick)
    assert all(client.get(page).status_code == 200 for page in pages)
    pick.refresh_from_db()
    assert "<p>" in pick.summary_html and "Why" in pick.summary_html
    # Shown from storage: a marked summary appears on every page (the topic page's
    # stored section of picks made again from it).
    Pick.objects.filter(pk=pick.pk).update(summary_html='<p class="stored">kept</p>')
    StoredSection.objects.all().delete()
    assert all(b'class="stored"' in client.get(page).content for page in pages)
    # An edit: rendered again, with the new text as Markdown.
    pick.why = "Now *emphasised*."
    pick.save()
    for page in pages:
        content = client.get(page).content.decode()
        assert "stored" not in content and "Now <em>emphasised</em>." in content, page


def test_a_rendering_of_old_texts_is_not_stored_over_an_edit():
    pick = Pick.objects.public().exclude(why="").for_lists().first()
    Pick.objects.filter(pk=pick.pk).update(why="Edited meanwhile.", summary_html="")
    [shown] = with_summaries([pick])  # rendered from the text it read before the edit
    assert "Edited" not in shown.summary
    assert Pick.objects.get(pk=pick.pk).summary_html == ""  # not stored


def test_markup_in_a_why_is_sanitized_in_the_stored_summary(client):
    pick = Pick.objects.public().for_lists().first()
    pick.why = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    pick.save()
    content = client.get(f"/papers/{pick.paper.slug}/").content.decode()
    assert "<script>alert(1)" not in content and "onerror" not in content
    assert "<script>" not in Pick.objects.get(pk=pick.pk).summary_html
