"""Renditions from local storage, when the site serves its own images (no S3 bucket).

Only renditions are ever served: originals live in another storage that has no URL.
Their names are never reused, so browsers and proxies keep them for a year.
"""

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse, Http404
from django.utils._os import safe_join

from images.storage import renditions
from images.uploads import FORMATS

TYPES = {extension: mime_type for extension, mime_type, _ in FORMATS.values()}


def rendition(request, name):
    storage = renditions()
    if not isinstance(storage, FileSystemStorage):
        raise Http404  # served by the bucket or its CDN
    try:
        path = safe_join(storage.location, name)  # no way out of the folder
    except ValueError as error:
        raise Http404 from error
    content_type = TYPES.get(name.rsplit(".", 1)[-1])
    if content_type is None:
        raise Http404
    try:
        response = FileResponse(open(path, "rb"), content_type=content_type)  # noqa: SIM115
    except (FileNotFoundError, IsADirectoryError) as error:
        raise Http404 from error
    response["Cache-Control"] = settings.RENDITION_CACHE_CONTROL
    response["X-Content-Type-Options"] = "nosniff"
    return response
