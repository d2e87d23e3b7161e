"""The preview beside the text: the public page's pipeline, for one text or a whole form."""

import json

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse

from tests.browser_forms import form_data
from tests.factories import (
    GuideFactory,
    ImageFactory,
    PickFactory,
    ReferenceFactory,
    UnpublishedGuideFactory,
)

pytestmark = pytest.mark.django_db
URL = reverse("admin:guides_guide_preview_markdown")


def test_one_text_is_rendered_as_on_the_public_page(staff_client):
    guide = GuideFactory()
    ReferenceFactory(guide=guide, number=1)
    image = ImageFactory(alt_text="A diagram")
    text = f"**Bold**[^1] and [^2]<script>alert(1)</script>\n\n{image.markdown}"
    response = staff_client.post(URL, {"text": text, "preview_guide": guide.pk})
    soup = BeautifulSoup(json.loads(response.content)["html"], "html.parser")
    assert soup.strong.get_text() == "Bold"
    assert soup.select_one("sup.cite a")["href"] == "#ref-1"  # the guide has [1]
    assert soup.select("sup")[1].get_text() == "[2]" and not soup.select("sup")[1].a
    assert soup.script is None
    assert soup.select_one("figure picture img")["alt"] == "A diagram"


def test_without_a_guide_markers_stay_plain(staff_client):
    html = json.loads(staff_client.post(URL, {"text": "Text[^1]"}).content)["html"]
    assert html == "<p>Text<sup>[1]</sup></p>"


def test_the_preview_button_renders_every_text_of_the_form(staff_client):
    pick = PickFactory(
        guide=UnpublishedGuideFactory(), why="The *why*.", key_insights="- one\n- two"
    )
    url = reverse("admin:guides_pick_change", args=[pick.pk])
    page = staff_client.get(url)
    button = BeautifulSoup(page.content, "html.parser").select_one("button[formaction]")
    assert (button["formaction"], button["formtarget"]) == (URL, "_blank")
    data = form_data(page) | {"preview_guide": [str(pick.guide_id)]}
    soup = BeautifulSoup(staff_client.post(URL, data).content, "html.parser")
    sections = soup.select("section.markdown-preview-page")
    assert [s.h2.get_text() for s in sections] == ["Why", "Key insights"]
    assert sections[0].select_one(".markdown-preview em").get_text() == "why"
    assert [li.get_text() for li in sections[1].select("li")] == ["one", "two"]


def test_readers_cannot_use_it():
    response = Client().post(URL, {"text": "x"})
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_text_areas_announce_the_preview(staff_client):
    guide = UnpublishedGuideFactory()
    page = staff_client.get(reverse("admin:guides_guide_change", args=[guide.pk]))
    areas = BeautifulSoup(page.content, "html.parser").select("textarea[data-markdown-preview]")
    assert sorted(a["name"] for a in areas) == ["intro", "outro"]
    assert {a["data-markdown-preview"] for a in areas} == {URL}
