"""Where image files live: two storages, configured in settings.STORAGES.

`originals`: the cleaned uploads, kept to make new renditions from; never served
(on S3 they are private). `renditions`: what readers download, public and cached for
a year. Locally both are folders under MEDIA_ROOT; in production, S3 (README).
"""

from django.core.files.storage import storages


def originals():
    return storages["originals"]


def renditions():
    return storages["renditions"]
