"""Site icons: the favicon where browsers look for it, and a web manifest whose icons exist."""

import io
import json

import pytest
from bs4 import BeautifulSoup
from PIL import Image as PILImage

pytestmark = pytest.mark.django_db


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_favicon_ico_answers_at_the_root(client):
    response = client.get("/favicon.ico", follow=True)
    assert response.redirect_chain == [("/static/icons/favicon.ico", 302)]
    assert (response.status_code, response["Content-Type"]) == (200, "image/x-icon")
    icon = PILImage.open(io.BytesIO(body(response)))
    assert icon.format == "ICO"
    assert {(16, 16), (32, 32), (48, 48)} <= set(icon.info["sizes"])


def test_the_manifest_names_icons_that_exist_in_their_sizes(client):
    response = client.get("/site.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert (manifest["name"], manifest["start_url"], manifest["display"]) == (
        "Conference guides",
        "/",
        "standalone",
    )
    pngs = [icon for icon in manifest["icons"] if icon["type"] == "image/png"]
    assert {icon["sizes"] for icon in pngs} == {"192x192", "512x512"}
    assert any(icon.get("purpose") == "maskable" for icon in pngs)
    for icon in pngs:
        image = PILImage.open(io.BytesIO(body(client.get(icon["src"]))))
        assert "x".join(map(str, image.size)) == icon["sizes"]


def test_every_page_links_its_icons_and_manifest(client):
    soup = BeautifulSoup(client.get("/").content, "html.parser")
    links = {link["rel"][0]: link["href"] for link in soup.select("link[rel]")}
    assert links["manifest"] == "/site.webmanifest"
    touch = PILImage.open(io.BytesIO(body(client.get(links["apple-touch-icon"]))))
    assert touch.size == (180, 180) and touch.mode == "RGB"  # Apple wants no transparency
    svg = body(client.get(soup.select_one('link[type="image/svg+xml"]')["href"])).decode()
    assert svg.startswith("<svg") and "<script" not in svg
