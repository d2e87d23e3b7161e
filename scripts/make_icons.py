"""Draw the site's icons into static/icons/: favicon.ico, the PNGs the web manifest and
Apple devices ask for, and an SVG for browsers that take one.

    .venv/bin/python scripts/make_icons.py

The mark is the site's accent colour with a white "G" (for guides). Run it again after
changing the colours or the letter; the files are committed.
"""

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

OUT = Path(__file__).resolve().parent.parent / "static" / "icons"
ACCENT, WHITE = "#0b57b0", "#ffffff"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
SVG = f"""<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">
<rect width="64" height="64" rx="14" fill="{ACCENT}"/>
<text x="32" y="46" font-family="DejaVu Sans, Verdana, sans-serif" font-weight="700"
 font-size="42" text-anchor="middle" fill="{WHITE}">G</text>
</svg>
"""


def mark(size, rounded=True, padding=0.0):
    """The mark at `size` pixels; `padding` leaves a safe zone (maskable icons)."""
    scale = 4  # drawn large, then reduced: smooth edges
    big = size * scale
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if rounded:
        draw.rounded_rectangle([0, 0, big - 1, big - 1], radius=big * 0.22, fill=ACCENT)
    else:
        draw.rectangle([0, 0, big, big], fill=ACCENT)
    font = ImageFont.truetype(FONT, int(big * 0.66 * (1 - padding)))
    draw.text((big / 2, big * 0.53), "G", font=font, fill=WHITE, anchor="mm")
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    mark(64).save(OUT / "favicon.ico", sizes=[(16, 16), (32, 32), (48, 48), (64, 64)])
    mark(180, rounded=False).convert("RGB").save(OUT / "apple-touch-icon.png", optimize=True)
    mark(192).save(OUT / "icon-192.png", optimize=True)
    mark(512).save(OUT / "icon-512.png", optimize=True)
    mark(512, rounded=False, padding=0.2).save(OUT / "icon-maskable-512.png", optimize=True)
    (OUT / "icon.svg").write_text(SVG, encoding="utf-8")
    print(f"Icons written to {OUT}")


if __name__ == "__main__":
    main()
