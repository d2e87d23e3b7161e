"""Renditions: the widths and formats written, where, and how pages offer them."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage

from images.library import store_file
from images.models import Image
from images.renditions import WIDTHS, widths_for
from images.storage import originals, renditions
from images.uploads import FORMATS, clean_upload
from tests.factories import ImageFactory, image_file

pytestmark = pytest.mark.django_db
STILL_TYPES = {"image/webp", "image/jpeg", *(["image/avif"] if "AVIF" in FORMATS else [])}


def read(name):
    with renditions().open(name) as file:
        return PILImage.open(io.BytesIO(file.read()))


@pytest.mark.parametrize(
    ("width", "expected"),
    [(3000, list(WIDTHS)), (700, [320, 480, 640, 700]), (200, [200]), (1440, list(WIDTHS))],
)
def test_widths_never_exceed_the_image(width, expected):
    assert widths_for(width) == expected


def test_a_photo_gets_every_width_in_every_format_each_decodable():
    image = ImageFactory(width=2000, height=1000)
    assert {r["type"] for r in image.renditions} == STILL_TYPES
    assert sorted({r["width"] for r in image.renditions}) == list(WIDTHS)
    for rendition in image.renditions:
        decoded = read(rendition["name"])
        assert decoded.size == (rendition["width"], rendition["height"])
        assert rendition["height"] == round(1000 * rendition["width"] / 2000)
        assert renditions().size(rendition["name"]) == rendition["size"]


def test_a_transparent_png_falls_back_to_png_not_jpeg():
    upload = image_file(500, 300, format="PNG", color=(0, 0, 0, 0), alpha=True)
    image = store_file(Image(title="Logo", alt_text="Our logo"), clean_upload(upload))
    assert {r["type"] for r in image.renditions} == STILL_TYPES - {"image/jpeg"} | {"image/png"}
    assert (
        read(next(r for r in image.renditions if r["type"] == "image/png")["name"]).mode == "RGBA"
    )


def test_an_animation_stays_animated():
    out = io.BytesIO()
    frames = [PILImage.new("RGB", (600, 300), c) for c in ("red", "blue")]
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    image = store_file(
        Image(title="Spin", alt_text="A spinning thing"),
        clean_upload(SimpleUploadedFile("spin.gif", out.getvalue())),
    )
    assert {r["type"] for r in image.renditions} == {"image/webp", "image/gif"}
    assert all(read(r["name"]).n_frames == 2 for r in image.renditions)


def test_the_original_is_stored_under_a_random_name_outside_the_renditions():
    image = ImageFactory()
    assert "upload" not in image.file.name and len(image.file.name) == len("0" * 32 + ".jpg")
    assert originals().exists(image.file.name)
    assert not renditions().exists(image.file.name)
    assert image.file_size == originals().size(image.file.name)


def test_picture_offers_the_best_formats_first_and_the_fallback_as_img():
    picture = ImageFactory(width=900, height=600).picture()
    assert [t for t, _ in picture["sources"]] == [
        t for t in ["image/avif", "image/webp"] if t in STILL_TYPES
    ]
    assert picture["srcset"].count("w, ") == 4 and picture["srcset"].endswith(".jpg 900w")
    assert picture["src"].endswith("/640.jpg")


def test_replacing_the_file_deletes_the_old_files_after_commit(django_capture_on_commit_callbacks):
    image = ImageFactory()
    old = [image.file.name, *(r["name"] for r in image.renditions)]
    with django_capture_on_commit_callbacks(execute=True):
        store_file(image, clean_upload(image_file(500, 500)))
    assert not originals().exists(old[0])
    assert not any(renditions().exists(name) for name in old[1:])
    assert all(renditions().exists(r["name"]) for r in image.renditions)


def test_deleting_an_unused_image_deletes_its_files(django_capture_on_commit_callbacks):
    image = ImageFactory()
    names = [r["name"] for r in image.renditions]
    with django_capture_on_commit_callbacks(execute=True):
        image.delete()
    assert not any(renditions().exists(name) for name in names)
