from django.apps import AppConfig
from django.db.models.signals import post_delete


class ImagesConfig(AppConfig):
    name = "images"
    verbose_name = "Media library"

    def ready(self):
        from .library import image_deleted
        from .models import Image

        post_delete.connect(image_deleted, sender=Image, dispatch_uid="image-files")
