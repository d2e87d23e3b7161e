"""Renditions: the sized copies readers are served; the original never is.

Each image gets the widths below that are smaller than it (and its own width, up to
the largest), each in AVIF (where Pillow has it), WebP and a fallback every browser
reads (JPEG, or PNG for images with transparency). An animation keeps moving: WebP
and GIF. Pages offer them through <picture> with srcset and sizes
(templates/images/_picture.html), so a browser downloads the smallest one that fills
its layout. Renditions are written once, on upload, under names never used before,
so they can be cached for a year.
"""

import io
import secrets

from django.core.files.base import ContentFile
from PIL import Image as PILImage

from .uploads import FORMATS

# The reading column is 44rem (704 CSS pixels); 1440 covers it on a 2x screen.
WIDTHS = (320, 480, 640, 800, 1080, 1440)
# The width an image takes in the reading column (static/css/site.css): the viewport
# less the page's padding on phones, else 44rem.
SIZES = "(max-width: 40rem) calc(100vw - 2rem), (max-width: 46.5rem) calc(100vw - 2.5rem), 44rem"
# Quality settings a reader cannot tell from the original at the size shown.
ENCODING = {
    "AVIF": {"quality": 60, "speed": 8},
    "WEBP": {"quality": 80, "method": 4},
    "JPEG": {"quality": 82, "optimize": True, "progressive": True},
    "PNG": {"optimize": True},
    "GIF": {"optimize": True},
}


def widths_for(width):
    """The rendition widths of an image `width` pixels wide, smallest first."""
    return sorted({w for w in WIDTHS if w < width} | {min(width, WIDTHS[-1])})


def formats_for(clean):
    """The formats to write, best first; the last is the fallback."""
    if clean.animated:
        return ["WEBP", "GIF"]
    fallback = "PNG" if any(has_alpha(frame) for frame in clean.frames) else "JPEG"
    return [*(["AVIF"] if "AVIF" in FORMATS else []), "WEBP", fallback]


def has_alpha(frame):
    if frame.mode not in ("RGBA", "LA"):
        return False
    return frame.getchannel("A").getextrema()[0] < 255  # some pixel is see-through


def generate(clean, storage):
    """Write the renditions of `clean` (a CleanImage) to `storage`; their descriptions."""
    folder = secrets.token_hex(8)
    renditions = []
    for width in widths_for(clean.width):
        height = max(1, round(clean.height * width / clean.width))
        frames = [resize(frame, width, height) for frame in clean.frames]
        for format_name in formats_for(clean):
            data = encode(frames, clean.durations, format_name)
            extension, mime_type, _ = FORMATS.get(format_name, ("png", "image/png", "PNG"))
            name = storage.save(f"{folder}/{width}.{extension}", ContentFile(data))
            renditions.append(
                {
                    "width": width,
                    "height": height,
                    "type": mime_type,
                    "name": name,
                    "size": len(data),
                }
            )
    return renditions


def resize(frame, width, height):
    if (width, height) == frame.size:
        return frame
    return frame.resize((width, height), PILImage.Resampling.LANCZOS, reducing_gap=3.0)


def encode(frames, durations, format_name):
    first = frames[0]
    if format_name == "JPEG" and first.mode != "RGB":
        frames = [frame.convert("RGB") for frame in frames]
        first = frames[0]
    options = dict(ENCODING[format_name])
    if len(frames) > 1:
        options.update(save_all=True, append_images=frames[1:], duration=durations, loop=0)
    out = io.BytesIO()
    first.save(out, format=format_name, **options)
    return out.getvalue()


def picture(renditions, url):
    """What <picture> needs: `sources` [(type, srcset)], best first, and the fallback
    `img` (src, srcset, type); `url` turns a rendition name into its address."""
    by_type = {}
    for rendition in sorted(renditions, key=lambda r: r["width"]):
        by_type.setdefault(rendition["type"], []).append(rendition)
    if not by_type:
        return None
    fallback = fallback_type(list(by_type))
    srcsets = {
        mime_type: ", ".join(f"{url(r['name'])} {r['width']}w" for r in items)
        for mime_type, items in by_type.items()
    }
    # The fallback's src, for browsers without srcset: a middle width.
    fallback_items = by_type[fallback]
    middle = next((r for r in fallback_items if r["width"] >= 640), fallback_items[-1])
    return {
        "sources": [(t, srcsets[t]) for t in PREFERENCE if t in srcsets and t != fallback],
        "src": url(middle["name"]),
        "srcset": srcsets[fallback],
    }


PREFERENCE = ["image/avif", "image/webp", "image/gif", "image/png", "image/jpeg"]


def fallback_type(types):
    """The type every browser reads among `types`."""
    for mime_type in ("image/jpeg", "image/png", "image/gif"):
        if mime_type in types:
            return mime_type
    return types[-1]


def smallest_fallback(renditions):
    """The narrowest rendition every reader understands (a thumbnail), or None."""
    if not renditions:
        return None
    fallback = fallback_type([r["type"] for r in renditions])
    return min((r for r in renditions if r["type"] == fallback), key=lambda r: r["width"])


def largest_fallback(renditions):
    """The widest rendition every reader understands (for og:image and JSON-LD), or None."""
    if not renditions:
        return None
    fallback = fallback_type([r["type"] for r in renditions])
    return max((r for r in renditions if r["type"] == fallback), key=lambda r: r["width"])
