from django.apps import AppConfig


class GuidesConfig(AppConfig):
    name = "guides"
    verbose_name = "Guides"

    def ready(self):
        from . import markdown_images

        markdown_images.connect()  # the index of images shown inside Markdown
