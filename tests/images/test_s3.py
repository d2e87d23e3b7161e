"""Images on an S3-compatible bucket: a real server (moto's, on loopback) over HTTP.

The settings are those `config/settings.py` builds from DJANGO_MEDIA_S3_* variables.
"""

import io
import urllib.request

import boto3
import pytest
from django.test import override_settings
from moto.server import ThreadedMotoServer
from PIL import Image as PILImage

from guides.models import Figure
from images.library import store_file
from images.models import Image
from images.uploads import clean_upload
from tests.factories import image_file

BUCKET = "guides-media"
CREDENTIALS = {"access_key": "test-key", "secret_key": "test-secret"}


@pytest.fixture(scope="module")
def s3_endpoint():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=CREDENTIALS["access_key"],
        aws_secret_access_key=CREDENTIALS["secret_key"],
    )
    client.create_bucket(Bucket=BUCKET)
    yield endpoint, client
    server.stop()


@pytest.fixture
def s3_storages(s3_endpoint, settings):
    endpoint, client = s3_endpoint
    common = {
        "bucket_name": BUCKET,
        "endpoint_url": endpoint,
        "region_name": "us-east-1",
        "file_overwrite": False,
        **CREDENTIALS,
    }
    storages = {
        **settings.STORAGES,
        "originals": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {**common, "location": "originals", "default_acl": "private"},
        },
        "renditions": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                **common,
                "location": "renditions",
                "default_acl": "public-read",
                "querystring_auth": False,
                "object_parameters": {"CacheControl": settings.RENDITION_CACHE_CONTROL},
            },
        },
    }
    with override_settings(STORAGES=storages, PAGE_CACHE=False):
        yield client


@pytest.mark.django_db
def test_an_upload_goes_to_the_bucket_with_public_renditions_and_a_private_original(s3_storages):
    image = store_file(
        Image(title="Harbour", alt_text="The harbour"), clean_upload(image_file(1000, 500))
    )
    keys = {o["Key"] for o in s3_storages.list_objects_v2(Bucket=BUCKET)["Contents"]}
    assert f"originals/{image.file.name}" in keys
    assert {f"renditions/{r['name']}" for r in image.renditions} <= keys

    rendition = next(r for r in image.renditions if r["type"] == "image/webp")
    head = s3_storages.head_object(Bucket=BUCKET, Key=f"renditions/{rendition['name']}")
    assert head["CacheControl"] == "public, max-age=31536000, immutable"
    assert head["ContentType"] == "image/webp"

    url = image.rendition_url(rendition)
    assert url.startswith("http://127.0.0.1:") and "Signature" not in url
    with urllib.request.urlopen(url) as response:  # anonymous, as a browser
        decoded = PILImage.open(io.BytesIO(response.read()))
    assert decoded.size == (rendition["width"], rendition["height"])

    grants = s3_storages.get_object_acl(Bucket=BUCKET, Key=f"originals/{image.file.name}")
    assert [g["Permission"] for g in grants["Grants"]] == ["FULL_CONTROL"]  # the owner only
    public = s3_storages.get_object_acl(Bucket=BUCKET, Key=f"renditions/{rendition['name']}")
    assert "READ" in {g["Permission"] for g in public["Grants"]}


@pytest.mark.django_db
def test_a_guide_page_points_to_the_bucket(seed, client, s3_storages):
    image = store_file(Image(title="Diagram", alt_text="A diagram"), clean_upload(image_file()))
    Figure.objects.filter(guide__slug="neurips-2020-10-essentials", number=2).update(image=image)
    Figure.objects.get(guide__slug="neurips-2020-10-essentials", number=2).save()  # signals
    html = client.get("/guides/neurips-2020-10-essentials/").content.decode()
    endpoint = image.rendition_url(image.renditions[0]).split("/renditions/")[0]
    assert f'src="{endpoint}/renditions/' in html


@pytest.mark.django_db
def test_replacing_a_file_removes_the_old_objects(s3_storages, django_capture_on_commit_callbacks):
    image = store_file(Image(title="Old", alt_text="Old"), clean_upload(image_file(400, 300)))
    old = [f"originals/{image.file.name}", *(f"renditions/{r['name']}" for r in image.renditions)]
    with django_capture_on_commit_callbacks(execute=True):
        store_file(image, clean_upload(image_file(500, 300)))
    keys = {o["Key"] for o in s3_storages.list_objects_v2(Bucket=BUCKET)["Contents"]}
    assert not set(old) & keys
