"""Share cards: the picture of a guide without a cover, for social networks and search.

A 1200 x 630 PNG with the guide's title, its conference, its number of picks and the
site's name. It is drawn once and stored (website.models.ShareCard) with a fingerprint
of what it shows; when any of that changes, the next request draws it again.
"""

import hashlib
import io
import textwrap
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from .models import ShareCard

SIZE = (1200, 630)
# DejaVu (Debian's fonts-dejavu-core) has every glyph titles use; Pillow's own font
# lacks dashes and curly quotes, which are then drawn as their plain forms.
FONTS = {
    "regular": Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    "bold": Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
}
PLAIN = str.maketrans({"—": "-", "–": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "…": "..."})
SITE_NAME = "Conference guides"
VERSION = "1"  # of the drawing below: change it to redraw every card
INK, PAPER, ACCENT, MUTED = "#1d1d1f", "#fffefb", "#0b57b0", "#5a5a60"


def fingerprint(guide, pick_count):
    facts = "\n".join([VERSION, SITE_NAME, guide.title, str(guide.conference), str(pick_count)])
    return hashlib.sha256(facts.encode()).hexdigest()[:32]


def card_png(guide, pick_count):
    """The stored card of `guide`, drawn afresh first if what it shows has changed."""
    expected = fingerprint(guide, pick_count)
    stored = ShareCard.objects.filter(guide=guide).first()
    if stored is not None and stored.fingerprint == expected:
        return bytes(stored.png)
    png = draw(guide, pick_count)
    ShareCard.objects.update_or_create(guide=guide, defaults={"fingerprint": expected, "png": png})
    return png


def draw(guide, pick_count):
    card = Image.new("RGB", SIZE, PAPER)
    pen = ImageDraw.Draw(card)
    pen.rectangle([0, 0, SIZE[0], 16], fill=ACCENT)
    kicker, title_font, footer = font("bold", 34), font("bold", 60), font("regular", 30)
    text = str if FONTS["regular"].exists() else lambda value: str(value).translate(PLAIN)
    pen.text((72, 84), text(guide.conference).upper(), font=kicker, fill=ACCENT)
    wrapped = textwrap.wrap(text(guide.title), width=30)
    lines = wrapped[:4]
    if len(wrapped) > 4:
        lines[-1] = lines[-1].rstrip(" .,;:") + text("…")
    for number, line in enumerate(lines):
        pen.text((72, 150 + number * 80), line, font=title_font, fill=INK)
    picks = f"{pick_count} pick{'s' if pick_count != 1 else ''}"
    pen.line([72, 520, SIZE[0] - 72, 520], fill="#d9d9de", width=2)
    pen.text((72, 545), picks, font=footer, fill=MUTED)
    width = pen.textlength(SITE_NAME, font=footer)
    pen.text((SIZE[0] - 72 - width, 545), SITE_NAME, font=footer, fill=INK)
    out = io.BytesIO()
    card.save(out, format="PNG", optimize=True)
    return out.getvalue()


def font(weight, size):
    path = FONTS[weight]
    return ImageFont.truetype(str(path), size) if path.exists() else ImageFont.load_default(size)
