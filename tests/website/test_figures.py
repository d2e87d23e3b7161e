"""Figures on public pages: where they show, how they are offered, and that an edit shows."""

import io

import pytest
from bs4 import BeautifulSoup
from django.test import override_settings
from PIL import Image as PILImage

from guides.models import Figure, Guide
from images.models import ConferenceImage, PaperImage
from images.renditions import SIZES
from images.storage import originals
from tests.factories import ImageFactory

pytestmark = pytest.mark.usefixtures("seed")
SLUG = "neurips-2020-10-essentials"
GUIDE = f"/guides/{SLUG}/"


@pytest.fixture(autouse=True)
def _page_cache_off():
    with override_settings(PAGE_CACHE=False):
        yield


def soup_of(client, url=GUIDE):
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def guide():
    return Guide.objects.get(slug=SLUG)


def attach(number, image):
    """Give a seed figure (waiting for an image) its image, as an editor would."""
    figure = Figure.objects.get(guide__slug=SLUG, number=number)
    figure.image = image
    figure.save()
    return figure


def test_figures_awaiting_an_image_are_not_shown(client):
    soup = soup_of(client)
    assert guide().figures.count() == 12
    assert soup.select("figure.figure") == []
    assert "High level diagram of the training procedure" not in str(soup)


def test_the_cover_shows_first_loaded_eagerly_with_its_credit(client):
    image = ImageFactory(alt_text="Vancouver's harbour at dusk")
    attach(1, image)
    cover = soup_of(client).select_one("article.guide > figure.figure")
    img = cover.select_one("img")
    assert img["alt"] == "Vancouver's harbour at dusk"
    assert (img["width"], img["height"]) == ("1600", "900")
    assert "loading" not in img.attrs  # above the fold: not lazy
    assert img["decoding"] == "async"
    assert cover.figcaption.get_text(" ", strip=True) == (
        "Vancouver, Canada. Photo by Mike Benna on Unsplash"
    )


def test_a_pick_figure_shows_under_its_pick_lazily_with_its_source(client):
    image = ImageFactory(alt_text="Two encoders and the loss between them")
    attach(2, image)
    pick = soup_of(client).select_one("#pick-1")
    figure = pick.select_one("figure.figure")
    img = figure.select_one("img")
    assert img["loading"] == "lazy" and img["sizes"] == SIZES
    assert figure.figcaption.get_text(" ", strip=True) == (
        "High level diagram of the training procedure. Source: Bootstrap Your Own Latent, "
        "A New Approach to Self-Supervised Learning"
    )
    assert figure.select_one(".credit a")["href"] == pick.select_one("h3 a")["href"]


def test_every_srcset_lists_the_renditions_and_the_original_is_never_linked(client):
    image = ImageFactory(width=2000, height=1000)
    attach(1, image)
    html = str(soup_of(client))
    picture = soup_of(client).select_one("picture")
    offered = {
        candidate.strip().split(" ")[0]
        for tag in picture.select("source, img")
        for candidate in tag["srcset"].split(",")
    }
    assert offered == {image.rendition_url(r) for r in image.renditions}
    assert image.file.name not in html


def test_every_rendition_address_serves_the_image_cached_for_a_year(client):
    image = ImageFactory(width=500, height=400)
    attach(1, image)
    for rendition in image.renditions:
        response = client.get(image.rendition_url(rendition))
        assert response.status_code == 200
        assert response["Content-Type"] == rendition["type"]
        assert response["Cache-Control"] == "public, max-age=31536000, immutable"
        body = b"".join(response.streaming_content)
        assert PILImage.open(io.BytesIO(body)).size == (rendition["width"], rendition["height"])


@pytest.mark.parametrize(
    "path",
    ["../originals/x.jpg", "..%2Foriginals%2Fx.jpg", "nothing/here.jpg", "a/b.txt", "a/b.svg"],
)
def test_nothing_but_renditions_is_served(client, path):
    image = ImageFactory(width=320, height=200)
    assert client.get(f"/media/renditions/{path}").status_code in (400, 404)
    assert client.get(originals().url(image.file.name)).status_code == 404


def test_an_image_inside_markdown_is_a_figure_with_its_alt_text_and_caption(client):
    image = ImageFactory(alt_text="The library's description", caption="The library's caption")
    pick = guide().picks.get(rank=3)
    pick.why += f'\n![A chart of views]({image.markdown[4:-1]} "Views and accuracy")\nMore text.'
    pick.save()
    section = soup_of(client).select_one("#pick-3 .why")
    figure = section.select_one("figure.figure")
    assert figure.select_one("img")["alt"] == "A chart of views"
    assert figure.figcaption.get_text(strip=True) == "Views and accuracy"
    assert section.find("p", string="More text.")  # the text after it stays a paragraph


def test_an_image_within_a_sentence_is_a_picture_in_the_paragraph(client):
    image = ImageFactory()
    intro = guide()
    intro.intro = f"Before {image.markdown} after."
    intro.save()
    paragraph = soup_of(client).select_one(".intro p")
    assert paragraph.select_one("picture img")["alt"] == "A teal rectangle"
    assert paragraph.get_text(" ", strip=True) == "Before after."


def test_an_outside_image_or_unknown_key_shows_nothing(client):
    pick = guide().picks.get(rank=2)
    why = "![x](https://tracker.example/pixel.gif) and ![y](image:nosuchkey)"
    type(pick).objects.filter(pk=pick.pk).update(why=why, card_html="")  # unvalidated, as SQL
    Guide.objects.filter(pk=pick.guide_id).update(article_html="")
    why = soup_of(client).select_one("#pick-2 .why")
    assert why.select("img, picture") == []
    assert "tracker.example" not in str(why)


def test_a_decorative_image_has_empty_alt_text(client):
    image = ImageFactory(alt_text="", decorative=True)
    attach(1, image)
    assert soup_of(client).select_one("figure img")["alt"] == ""


def test_editing_an_image_updates_every_guide_that_shows_it(client):
    image = ImageFactory(alt_text="Before")
    attach(2, image)
    other = Guide.objects.get(slug="iclr-2022-10-papers")
    other_pick = other.picks.first()
    other_pick.key_insights += f"\n\n{image.markdown}"
    other_pick.save()
    assert soup_of(client).select_one("#pick-1 figure img")["alt"] == "Before"
    soup_of(client, "/guides/iclr-2022-10-papers/")  # stored
    image.alt_text, image.caption = "After", "A new caption"
    image.save()
    assert soup_of(client).select_one("#pick-1 figure img")["alt"] == "After"
    other_page = soup_of(client, "/guides/iclr-2022-10-papers/")
    assert other_page.select_one(f"#pick-{other_pick.rank} figure img")["alt"] == "After"
    assert other_page.select_one(f"#pick-{other_pick.rank} figcaption").get_text() == (
        "A new caption"
    )


def test_moving_a_figure_to_another_pick_updates_both(client):
    figure = attach(2, ImageFactory())
    assert soup_of(client).select("#pick-1 figure")
    figure.pick = guide().picks.get(rank=4)
    figure.save()
    soup = soup_of(client)
    assert soup.select("#pick-1 figure") == [] and len(soup.select("#pick-4 figure")) == 1


def test_a_cover_is_the_guides_social_image(client):
    image = ImageFactory(width=2400, height=1200, alt_text="The harbour")
    attach(1, image)
    soup = soup_of(client)
    og = soup.select_one('meta[property="og:image"]')["content"]
    assert og == f"http://testserver{image.rendition_url(image.share_rendition())}"
    assert og.endswith("/1440.jpg")
    assert soup.select_one('meta[property="og:image:alt"]')["content"] == "The harbour"
    assert soup.select_one('meta[name="twitter:image"]')["content"] == og


def test_a_guide_without_a_cover_gets_its_share_card(client):
    response = client.get("/guides/iclr-2021-10-papers/card.png")
    card = PILImage.open(io.BytesIO(response.content))
    assert (response["Content-Type"], card.format, card.size) == ("image/png", "PNG", (1200, 630))


def test_the_share_card_is_drawn_again_when_the_title_changes(client):
    first = client.get("/guides/iclr-2021-10-papers/card.png").content
    assert client.get("/guides/iclr-2021-10-papers/card.png").content == first
    Guide.objects.filter(slug="iclr-2021-10-papers").update(title="A very different title")
    assert client.get("/guides/iclr-2021-10-papers/card.png").content != first


def test_a_draft_has_no_share_card(client):
    Guide.objects.filter(slug="iclr-2021-10-papers").update(status="draft", published_at=None)
    assert client.get("/guides/iclr-2021-10-papers/card.png").status_code == 404


def test_a_paper_and_a_conference_show_their_pictures(client):
    image = ImageFactory(alt_text="The poster")
    PaperImage.objects.create(paper_id=guide().picks.get(rank=1).paper_id, image=image)
    ConferenceImage.objects.create(conference=guide().conference, image=image)
    paper = soup_of(client, guide().picks.get(rank=1).paper.get_absolute_url())
    assert paper.select_one("figure img")["alt"] == "The poster"
    assert paper.select_one('meta[property="og:image"]')["content"].endswith("/1440.jpg")
    conference = soup_of(client, guide().conference.get_absolute_url())
    assert conference.select_one("figure img")["alt"] == "The poster"


def test_ten_figures_add_no_query_to_the_guide_page(client, django_assert_num_queries):
    for number in range(2, 12):
        attach(number, ImageFactory(width=400, height=300))
    client.get(GUIDE)  # renders and stores the article
    with django_assert_num_queries(3):  # the site revision, the stored article, tag stamps
        soup = soup_of(client)
    assert len(soup.select("figure.figure")) == 10
