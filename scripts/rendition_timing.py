"""How long an upload takes to become a library image with all its renditions.

    .venv/bin/python scripts/rendition_timing.py [--images 10] [--width 4000 --height 3000]

Photo-like test images (gradients with noise, which compress like photographs) are
cleaned and given their renditions one after the other, as ten uploads of a guide's
figures would be, in a throwaway SQLite database and media folder. Prints the time of
each step per image and the total.
"""

import argparse
import io
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def photo(width, height, seed):
    from PIL import Image, ImageChops

    gradient = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    noise = Image.effect_noise((width, height), 40 + seed).convert("RGB")
    tint = Image.new("RGB", (width, height), (40 * seed % 255, 120, 200))
    image = ImageChops.add(ImageChops.multiply(gradient, tint), noise, scale=1.4)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=10)
    parser.add_argument("--width", type=int, default=4000)
    parser.add_argument("--height", type=int, default=3000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        os.environ.update(
            DJANGO_SETTINGS_MODULE="config.settings",
            DJANGO_DEBUG="true",
            DATABASE_URL=f"sqlite:///{folder}/db.sqlite3",
            DJANGO_MEDIA_ROOT=f"{folder}/media",
        )
        import django

        django.setup()
        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.core.management import call_command

        from images.library import store_file
        from images.models import Image
        from images.uploads import clean_upload

        call_command("migrate", verbosity=0)
        files = [photo(args.width, args.height, n) for n in range(args.images)]
        total = time.perf_counter()
        for number, data in enumerate(files, start=1):
            start = time.perf_counter()
            clean = clean_upload(SimpleUploadedFile(f"photo-{number}.jpg", data))
            cleaned = time.perf_counter()
            image = store_file(Image(title=f"Photo {number}", alt_text="A photo"), clean)
            done = time.perf_counter()
            print(
                f"image {number}: {len(data) / 1e6:.1f} MB, checked and re-encoded in "
                f"{cleaned - start:.2f} s, {len(image.renditions)} renditions in "
                f"{done - cleaned:.2f} s"
            )
        elapsed = time.perf_counter() - total
        print(f"{args.images} images of {args.width} x {args.height}: {elapsed:.1f} s in all")


if __name__ == "__main__":
    main()
