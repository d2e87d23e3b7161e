"""Uploaded files made safe: checked, decoded once, re-encoded without their metadata.

An upload is refused, with a message an editor can act on, when it is too large in
bytes or in pixels (Pillow's decompression-bomb guard, with our own limit), not an
image, an SVG (it can carry scripts), a format we do not serve, or damaged. What is
accepted is decoded, turned upright by its EXIF orientation and written afresh: EXIF
(GPS included), XMP, comments and colour profiles are left behind (colours are first
converted to sRGB, so they look the same without the profile).
"""

import io
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from PIL import Image as PILImage
from PIL import ImageCms, ImageOps, ImageSequence, UnidentifiedImageError, features

# Pillow's format name -> (the extension we store it under, its MIME type, its name).
FORMATS = {
    "JPEG": ("jpg", "image/jpeg", "JPEG"),
    "PNG": ("png", "image/png", "PNG"),
    "WEBP": ("webp", "image/webp", "WebP"),
    "GIF": ("gif", "image/gif", "GIF"),
}
if features.check("avif"):  # Pillow's wheels bring libavif since 11.2
    FORMATS["AVIF"] = ("avif", "image/avif", "AVIF")

NAMES = [name for _, _, name in FORMATS.values()]
ACCEPTED = ", ".join(NAMES[:-1]) + " or " + NAMES[-1]


@dataclass
class CleanImage:
    """A decoded, upright image without metadata, ready to store."""

    content: bytes
    format: str  # a key of FORMATS
    width: int
    height: int
    frames: list  # the decoded frames (one unless an animation), for renditions
    durations: list  # per frame, in milliseconds (animations)

    @property
    def extension(self):
        return FORMATS[self.format][0]

    @property
    def animated(self):
        return len(self.frames) > 1


def clean_upload(upload):
    """A CleanImage from an uploaded file, or a ValidationError that says what is wrong."""
    limit = settings.IMAGE_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            f"The file is {filesizeformat(upload.size)}; images may be at most "
            f"{filesizeformat(limit)}. Export it smaller and upload it again.",
            code="too_large",
        )
    upload.seek(0)
    data = upload.read()
    if looks_like_svg(data):
        raise ValidationError(
            "SVG files are not accepted: they can contain scripts. Export the drawing as "
            "PNG (or WebP) and upload that.",
            code="svg",
        )
    try:
        source = PILImage.open(io.BytesIO(data))
    except UnidentifiedImageError as error:
        raise ValidationError(
            f"This file is not an image we can read. Upload a {ACCEPTED} file.",
            code="not_an_image",
        ) from error
    except PILImage.DecompressionBombError as error:  # its header alone is far too big
        raise too_many_pixels() from error
    if source.format not in FORMATS:
        raise ValidationError(
            f"{source.format} images are not accepted. Upload a {ACCEPTED} file.",
            code="format",
        )
    width, height = source.size
    if width * height > settings.IMAGE_MAX_PIXELS:
        raise too_many_pixels(width, height)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            frames, durations = decode(source)
    except (OSError, SyntaxError, ValueError, EOFError, PILImage.DecompressionBombWarning) as e:
        raise ValidationError(
            "The image could not be read to the end: the file is damaged or incomplete. "
            "Export it again and upload the new file.",
            code="damaged",
        ) from e
    return encode(frames, durations, source.format)


def looks_like_svg(data):
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<?xml", b"<svg", b"<!doctype svg")) or b"<svg" in head


def too_many_pixels(width=None, height=None):
    limit = f"{settings.IMAGE_MAX_PIXELS / 1e6:,.0f} megapixels"
    size = f"{width:,} × {height:,} pixels" if width else f"more than {limit}"
    return ValidationError(
        f"The image is {size}; images may have at most {limit}. Scale it down and upload it again.",
        code="too_many_pixels",
    )


def decode(source):
    """Every frame, decoded, upright and in sRGB; and the frames' durations."""
    profile = source.info.get("icc_profile")
    frames, durations = [], []
    for frame in ImageSequence.Iterator(source):
        frame.load()
        durations.append(frame.info.get("duration", 100))
        frames.append(to_srgb(ImageOps.exif_transpose(frame.copy()), profile))
    return frames, durations


def to_srgb(frame, profile):
    if frame.mode not in ("RGB", "RGBA", "L", "LA"):
        frame = frame.convert("RGBA" if has_alpha(frame) else "RGB")
    if profile:
        try:
            source_profile = ImageCms.ImageCmsProfile(io.BytesIO(profile))
            frame = ImageCms.profileToProfile(
                frame, source_profile, ImageCms.createProfile("sRGB"), outputMode=frame.mode
            )
        except (ImageCms.PyCMSError, OSError):
            pass  # an unreadable profile: keep the pixels as they are
    frame.info = {}
    return frame


def has_alpha(frame):
    return frame.mode in ("RGBA", "LA", "PA") or "transparency" in frame.info


def encode(frames, durations, format_name):
    """The frames written afresh in their format, with nothing but pixels."""
    out = io.BytesIO()
    first = frames[0]
    options = {"JPEG": {"quality": 90, "optimize": True}, "WEBP": {"quality": 90}}
    if format_name == "JPEG" and first.mode not in ("RGB", "L"):
        frames = [frame.convert("RGB") for frame in frames]
        first = frames[0]
    extra = options.get(format_name, {})
    if len(frames) > 1:
        extra = {**extra, "save_all": True, "append_images": frames[1:], "duration": durations}
        extra["loop"] = 0
    first.save(out, format=format_name, **extra)
    return CleanImage(
        content=out.getvalue(),
        format=format_name,
        width=first.width,
        height=first.height,
        frames=frames,
        durations=durations,
    )
