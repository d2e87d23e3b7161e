"""The media library in the admin: upload, describe, refuse bad files, see and protect uses."""

import json

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from guides.models import Figure, FigurePlace, Pick
from images.models import Image, PaperImage
from tests.browser_forms import errors_of, post_guide
from tests.factories import (
    FigureFactory,
    ImageFactory,
    PickFactory,
    UnpublishedGuideFactory,
    image_file,
)

pytestmark = pytest.mark.django_db
ADD = reverse("admin:images_image_add")


def upload(client, file, **fields):
    data = {"title": "Vancouver", "alt_text": "The harbour at dusk", "caption": "", **fields}
    return client.post(ADD, {**data, "file": file})


def errors(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return [li.get_text(" ", strip=True) for li in soup.select(".errorlist li")]


def test_an_editor_uploads_an_image_with_alt_text_and_credit(editor, client):
    client.force_login(editor)
    response = upload(
        client,
        image_file(2400, 1600),
        credit_text="Photo by Mike Benna on Unsplash",
        credit_url="https://unsplash.com/@mbenna",
    )
    image = Image.objects.get()
    assert response.status_code == 302
    assert (image.title, image.alt_text, image.width, image.height) == (
        "Vancouver",
        "The harbour at dusk",
        2400,
        1600,
    )
    assert image.uploaded_by == editor
    assert image.credit() == ("Photo by Mike Benna on Unsplash", "https://unsplash.com/@mbenna")
    assert len(image.renditions) == 6 * len({r["type"] for r in image.renditions})


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (
            SimpleUploadedFile("cut.jpg", image_file(900, 600).read()[:3000]),
            "damaged or incomplete",
        ),
        (
            SimpleUploadedFile("x.svg", b"<svg xmlns='http://www.w3.org/2000/svg'><script/></svg>"),
            "SVG files are not accepted",
        ),
        (SimpleUploadedFile("notes.png", b"hello"), "This file is not an image we can read"),
    ],
    ids=["truncated", "svg", "text"],
)
def test_a_bad_file_is_a_form_error_and_nothing_is_stored(staff_client, file, message):
    response = upload(staff_client, file)
    assert response.status_code == 200
    assert any(message in error for error in errors(response))
    assert Image.objects.count() == 0


def test_alt_text_is_required_unless_the_image_is_decorative(staff_client):
    response = upload(staff_client, image_file(), alt_text="")
    assert errors(response) == [
        "Describe what the image shows for readers who cannot see it, or tick “decorative” "
        "if it adds nothing to the text."
    ]
    response = upload(staff_client, image_file(), alt_text="", decorative="on")
    assert response.status_code == 302
    assert Image.objects.get().decorative


def test_a_decorative_image_may_not_have_alt_text(staff_client):
    response = upload(staff_client, image_file(), decorative="on")
    assert errors(response) == [
        "A decorative image has no alt text: empty it, or untick “decorative”."
    ]


def test_changing_the_text_keeps_the_file_and_renditions(staff_client):
    image = ImageFactory()
    before = (image.file.name, image.renditions)
    url = reverse("admin:images_image_change", args=[image.pk])
    response = staff_client.post(
        url, {"title": image.title, "alt_text": "A new description", "caption": "Now captioned"}
    )
    assert response.status_code == 302
    image.refresh_from_db()
    assert (image.alt_text, image.caption) == ("A new description", "Now captioned")
    assert (image.file.name, image.renditions) == before


def test_the_change_page_shows_the_markdown_and_every_use(staff_client):
    image = ImageFactory()
    figure = FigureFactory(image=image, place=FigurePlace.COVER)
    pick = PickFactory(guide=figure.guide, why=f"See this:\n\n![](image:{image.key})")
    paper_picture = PaperImage.objects.create(paper=pick.paper, image=image)
    page = staff_client.get(reverse("admin:images_image_change", args=[image.pk]))
    soup = BeautifulSoup(page.content, "html.parser")
    assert soup.select_one("code.image-markdown").get_text() == f"![](image:{image.key})"
    uses = {a.get_text(): a["href"] for a in soup.select(".field-uses li a")}
    assert uses == {
        str(figure): reverse("admin:guides_figure_change", args=[figure.pk]),
        f"In the text of pick {pick.rank} of {pick.guide}": reverse(
            "admin:guides_guide_change", args=[pick.guide.pk]
        ),
        str(paper_picture): reverse("admin:papers_paper_change", args=[pick.paper.pk]),
    }


def test_an_image_in_use_cannot_be_deleted(staff_client):
    image = ImageFactory()
    PickFactory(why=f"![](image:{image.key})")
    url = reverse("admin:images_image_delete", args=[image.pk])
    page = staff_client.get(url)
    assert "would require deleting the following protected related objects" in page.content.decode()
    staff_client.post(url, {"post": "yes"})
    assert Image.objects.filter(pk=image.pk).exists()


def test_an_image_no_longer_in_the_text_can_be_deleted(staff_client):
    image = ImageFactory()
    pick = PickFactory(why=f"![](image:{image.key})")
    pick.why = "No picture any more."
    pick.save()
    staff_client.post(reverse("admin:images_image_delete", args=[image.pk]), {"post": "yes"})
    assert not Image.objects.filter(pk=image.pk).exists()


def test_the_library_lists_filters_and_searches(staff_client):
    used, unused = ImageFactory(title="Harbour"), ImageFactory(title="Mountain")
    FigureFactory(image=used)
    changelist = reverse("admin:images_image_changelist")

    def titles(**query):
        soup = BeautifulSoup(staff_client.get(changelist, query).content, "html.parser")
        return sorted(a.get_text() for a in soup.select("td.field-title a, th.field-title a"))

    assert titles() == ["Harbour", "Mountain"]
    assert titles(used="yes") == ["Harbour"]
    assert titles(used="no") == ["Mountain"]
    assert titles(q="mount") == ["Mountain"]
    assert unused.pk


def test_the_chooser_finds_images_for_the_markdown_button(staff_client, client):
    image = ImageFactory(title="Training diagram")
    ImageFactory(title="Something else")
    url = reverse("admin:images_image_choose")
    found = json.loads(staff_client.get(url, {"q": "diagram"}).content)["results"]
    assert [(r["key"], r["markdown"]) for r in found] == [(image.key, f"![](image:{image.key})")]
    assert found[0]["thumbnail"].endswith("/320.jpg")
    assert Client().get(url).status_code == 302  # to the log-in page


def test_a_figure_awaiting_an_image_is_listed_for_editors(seed, staff_client):
    url = reverse("admin:guides_figure_changelist")
    soup = BeautifulSoup(staff_client.get(url, {"awaiting": "yes"}).content, "html.parser")
    assert (
        len(soup.select("#result_list tbody tr")) == 14 == Figure.objects.awaiting_image().count()
    )


def test_a_pick_page_adds_a_figure_under_that_pick(staff_client):
    pick = PickFactory(guide=UnpublishedGuideFactory())
    FigureFactory(guide=pick.guide, number=1, place=FigurePlace.COVER)
    image = ImageFactory()
    url = reverse("admin:guides_pick_change", args=[pick.pk])
    data = {
        "guide": pick.guide.pk,
        "paper": pick.paper.pk,
        "rank": pick.rank,
        "why": pick.why,
        "figures-TOTAL_FORMS": 1,
        "figures-INITIAL_FORMS": 0,
        "figures-0-image": image.pk,
        "figures-0-caption": "The architecture.",
    }
    response = staff_client.post(url, data)
    assert response.status_code == 302, errors(response)
    figure = Figure.objects.get(pick=pick)
    assert (figure.guide, figure.place, figure.number) == (pick.guide, FigurePlace.PICK, 2)
    assert Pick.objects.get(pk=pick.pk).card_html == ""


def test_figures_need_distinct_numbers_and_one_cover(staff_client):
    guide, image = UnpublishedGuideFactory(), ImageFactory()
    two_covers = {
        "figures-TOTAL_FORMS": "2",
        **{f"figures-{n}-place": "cover" for n in (0, 1)},
        **{f"figures-{n}-image": str(image.pk) for n in (0, 1)},
    }
    assert errors_of(post_guide(staff_client, guide, **two_covers)) == [
        "A guide has one cover: make the other figures intro or pick figures."
    ]
    assert not guide.figures.exists()


def test_figures_get_the_next_free_numbers(staff_client):
    guide, image = UnpublishedGuideFactory(), ImageFactory()
    FigureFactory(guide=guide, number=1, place=FigurePlace.COVER)
    response = post_guide(
        staff_client,
        guide,
        **{
            "figures-TOTAL_FORMS": "3",
            "figures-1-place": "intro",
            "figures-1-image": str(image.pk),
            "figures-2-place": "intro",
            "figures-2-image": str(image.pk),
            "figures-2-number": "7",
        },
    )
    assert response.status_code == 302
    assert list(guide.figures.values_list("number", "place")) == [
        (1, "cover"),
        (2, "intro"),
        (7, "intro"),
    ]
