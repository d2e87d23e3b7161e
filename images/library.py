"""Putting files into the library and taking them out: the writes to storage.

`store_file` gives an Image (new or replacing its file) the cleaned upload and its
renditions; the files of a deleted or replaced image are removed once the database
has committed, so a rolled-back save never loses the files its rows still name.
"""

import logging

from django.core.files.base import ContentFile
from django.db import transaction

from . import renditions as sized
from .models import original_name
from .storage import originals, renditions

log = logging.getLogger(__name__)


def store_file(image, clean, *, uploaded_by=None):
    """Save `image` with the CleanImage `clean` as its file, and its renditions."""
    old_files = files_of(image) if image.pk else []
    # Through the storage itself: a model field keeps the storage it had at start-up.
    name = original_name(image, f"upload.{clean.extension}")
    image.file.name = originals().save(name, ContentFile(clean.content))
    image.width, image.height, image.file_size = clean.width, clean.height, len(clean.content)
    image.renditions = sized.generate(clean, renditions())
    if uploaded_by is not None and not image.pk:
        image.uploaded_by = uploaded_by
    image.save()
    if old_files:
        transaction.on_commit(lambda: delete_files(old_files))
    return image


def files_of(image):
    """[(storage, name)] of an image's stored files, as the database has them."""
    stored = type(image).objects.filter(pk=image.pk).values("file", "renditions").first()
    if not stored:
        return []
    return [(originals(), stored["file"])] + [
        (renditions(), r["name"]) for r in stored["renditions"]
    ]


def delete_files(files):
    for storage, name in files:
        try:
            storage.delete(name)
        except OSError:  # already gone, or the storage is down: an orphan, not an error
            log.warning("Could not delete image file %s", name, exc_info=True)


def image_deleted(sender, instance, **kwargs):
    """post_delete of an Image: its files go once the deletion is committed."""
    files = [(originals(), instance.file.name)] if instance.file.name else []
    files += [(renditions(), r["name"]) for r in instance.renditions]
    transaction.on_commit(lambda: delete_files(files))
