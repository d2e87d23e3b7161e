"""Images inside a guide's Markdown: `![](image:KEY)`, or `![alt](image:KEY "caption")`.

KEY names an image of the library (images.Image.key). The alt text and the caption
written here replace the image's own for this use. `validate_image_references` refuses
a key the library does not have; the receivers at the bottom keep `EmbeddedImage`, the
index of which texts show which images, in step with the text (loaddata included).
"""

import re

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models.signals import post_save

IMAGE_REFERENCE = re.compile(r"!\[[^\]]*\]\(\s*<?image:(?P<key>[\w-]+)")


def image_keys(*texts):
    """The image keys the Markdown `texts` refer to, in order of first appearance."""
    keys = {}
    for text in texts:
        for match in IMAGE_REFERENCE.finditer(text or ""):
            keys.setdefault(match["key"], None)
    return list(keys)


def validate_image_references(text):
    keys = image_keys(text)
    if not keys:
        return
    image_model = apps.get_model("images", "Image")
    known = set(image_model.objects.filter(key__in=keys).values_list("key", flat=True))
    missing = [key for key in keys if key not in known]
    if missing:
        raise ValidationError(
            "No image with the key %(keys)s in the library: upload it first, or copy its "
            "Markdown from its page in the library.",
            params={"keys": ", ".join(missing)},
            code="unknown_image",
        )


# --- the index of which texts show which images --------------------------------

TEXT_FIELDS = {"Guide": ("intro", "outro"), "Section": ("intro",), "Pick": ("why", "key_insights")}


def reindex(sender, instance, **kwargs):
    """post_save of a guide, section or pick: its rows of EmbeddedImage, anew."""
    embedded = apps.get_model("guides", "EmbeddedImage")
    name = sender.__name__
    if name == "Guide":
        where = {"guide": instance, "section": None, "pick": None}
    else:
        where = {"guide_id": instance.guide_id, name.lower(): instance}
    keys = image_keys(*(getattr(instance, field) for field in TEXT_FIELDS[name]))
    existing = set(embedded.objects.filter(**where).values_list("image__key", flat=True).distinct())
    if existing == set(keys):
        return
    embedded.objects.filter(**where).delete()
    images = apps.get_model("images", "Image").objects.filter(key__in=keys)
    embedded.objects.bulk_create([embedded(**where, image=image) for image in images])


def connect():
    for name in TEXT_FIELDS:
        model = apps.get_model("guides", name)
        post_save.connect(reindex, sender=model, dispatch_uid=f"embedded-images-{name}")
