"""Safe uploads: what is refused (with what message) and what an accepted file becomes."""

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from PIL import ExifTags
from PIL import Image as PILImage

from images.uploads import FORMATS, clean_upload
from tests.factories import image_file


def refusal(upload):
    with pytest.raises(ValidationError) as caught:
        clean_upload(upload)
    return caught.value.messages[0]


def png_header_only(width, height):
    """A PNG whose header claims width x height, with a tiny (truncated) body."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\0" * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat)


def jpeg_with_gps():
    exif = PILImage.Exif()
    exif[ExifTags.Base.Make] = "SpyCam"
    exif[ExifTags.Base.Orientation] = 6  # rotate 90° to display upright
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (52.0, 22.0, 12.0)
    out = io.BytesIO()
    PILImage.new("RGB", (400, 200), "red").save(out, "JPEG", exif=exif)
    return SimpleUploadedFile("holiday.jpg", out.getvalue())


def test_a_truncated_jpeg_is_refused_as_damaged():
    data = image_file(800, 600).read()
    message = refusal(SimpleUploadedFile("cut.jpg", data[: len(data) // 2]))
    assert message.startswith("The image could not be read to the end: the file is damaged")


def test_an_svg_with_a_script_is_refused():
    svg = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    message = refusal(SimpleUploadedFile("logo.svg", svg, content_type="image/svg+xml"))
    assert message.startswith("SVG files are not accepted: they can contain scripts.")


def test_an_svg_renamed_to_png_is_still_refused():
    svg = b"\n  <svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"
    assert refusal(SimpleUploadedFile("logo.png", svg)).startswith("SVG files are not accepted")


def test_a_30000_pixel_square_png_is_refused_before_it_is_decoded():
    message = refusal(SimpleUploadedFile("huge.png", png_header_only(30_000, 30_000)))
    assert message.startswith("The image is more than 50 megapixels") or message.startswith(
        "The image is 30,000 × 30,000 pixels"
    )
    assert "at most 50 megapixels" in message


def test_a_picture_over_our_own_pixel_limit_names_its_size():
    message = refusal(SimpleUploadedFile("big.png", png_header_only(9_000, 6_000)))
    assert message.startswith("The image is 9,000 × 6,000 pixels; images may have at most 50")


@override_settings(IMAGE_MAX_BYTES=1024 * 1024)
def test_a_file_over_the_size_limit_is_refused_with_both_sizes():
    upload = SimpleUploadedFile("big.jpg", b"\xff\xd8" + b"0" * (1024 * 1024 + 10))
    message = refusal(upload)
    assert message.startswith("The file is 1.0\xa0MB; images may be at most 1.0\xa0MB.")


def test_a_text_file_is_refused_as_not_an_image():
    message = refusal(SimpleUploadedFile("notes.jpg", b"just some notes"))
    assert message == (
        "This file is not an image we can read. Upload a "
        + ", ".join(name for _, _, name in list(FORMATS.values())[:-1])
        + f" or {list(FORMATS.values())[-1][2]} file."
    )


def test_a_tiff_is_refused_by_its_format():
    assert refusal(image_file(10, 10, format="TIFF")).startswith("TIFF images are not accepted")


def test_gps_and_camera_metadata_are_stripped_and_orientation_applied():
    clean = clean_upload(jpeg_with_gps())
    stored = PILImage.open(io.BytesIO(clean.content))
    assert stored.getexif() == {}
    assert "exif" not in stored.info
    assert b"SpyCam" not in clean.content
    assert (clean.width, clean.height) == (200, 400)  # turned upright
    assert stored.size == (200, 400)


@pytest.mark.parametrize(
    ("format", "expected"), [("JPEG", "JPEG"), ("PNG", "PNG"), ("WEBP", "WEBP"), ("GIF", "GIF")]
)
def test_accepted_formats_are_re_encoded_in_their_own_format(format, expected):
    clean = clean_upload(image_file(320, 200, format=format))
    assert (clean.format, clean.width, clean.height) == (expected, 320, 200)
    assert PILImage.open(io.BytesIO(clean.content)).format == expected


@pytest.mark.skipif("AVIF" not in FORMATS, reason="this Pillow has no AVIF")
def test_avif_is_accepted_where_pillow_reads_it():
    assert clean_upload(image_file(64, 64, format="AVIF")).format == "AVIF"


def test_an_animated_gif_keeps_its_frames():
    out = io.BytesIO()
    frames = [PILImage.new("RGB", (50, 40), color) for color in ("red", "green", "blue")]
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=120, loop=0)
    clean = clean_upload(SimpleUploadedFile("spin.gif", out.getvalue()))
    assert clean.animated
    assert PILImage.open(io.BytesIO(clean.content)).n_frames == 3
