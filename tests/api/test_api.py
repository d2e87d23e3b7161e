"""The read API: its OpenAPI schema validates, and every endpoint shows published content only."""

import pytest
import yaml
from openapi_spec_validator import validate

from guides.models import Guide, Status
from images.models import PaperImage
from tests.factories import ImageFactory

pytestmark = pytest.mark.django_db

LISTS = ["guides", "papers", "authors", "conferences", "tags", "webinars"]


def get(client, url, status=200, **params):
    response = client.get(url, params)
    assert response.status_code == status, (url, response.status_code, response.content[:300])
    return response.json()


def test_the_schema_is_valid_openapi_and_documents_every_endpoint(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    validate(schema)
    assert schema["openapi"].startswith("3.")
    for name in LISTS:
        assert f"/api/{name}/" in schema["paths"] and f"/api/{name}/{{slug}}/" in schema["paths"]
    paper_params = {p["name"] for p in schema["paths"]["/api/papers/"]["get"]["parameters"]}
    assert {"q", "conference", "year", "tag", "author", "sort", "page"} <= paper_params
    assert client.get("/api/docs/").status_code == 200


@pytest.mark.parametrize("name", LISTS)
def test_every_list_paginates_and_every_item_has_a_detail(seed, client, name):
    page = get(client, f"/api/{name}/")
    assert page["count"] >= 1 and len(page["results"]) <= 20
    first = page["results"][0]
    assert get(client, f"/api/{name}/{first['slug']}/")["slug"] == first["slug"]
    assert first["url"].startswith("http://testserver/")


def test_a_guide_with_its_sections_picks_and_references(seed, client):
    guide = get(client, "/api/guides/neurips-2020-10-essentials/")
    assert [s["slug"] for s in guide["sections"]][:1] == ["semi-and-self-supervision"]
    assert [p["rank"] for p in guide["picks"]] == list(range(1, 11))
    first = guide["picks"][0]
    assert (
        first["paper"]["title"]
        == "Bootstrap Your Own Latent, A New Approach to Self-Supervised Learning"
    )
    assert (
        first["paper"]["authors"][0]["name"] == "Jean-Bastien Grill"
        and first["paper"]["authors_et_al"]
    )
    assert first["why"] and first["section"] == "semi-and-self-supervision"
    assert len(guide["references"]) == 9
    assert guide["bylines"] == ["Sergi Castella i Sapé"]


def test_conference_stats_say_how_exact_they_are(seed, client):
    stats = {s["name"]: s for s in get(client, "/api/conferences/neurips-2021/")["stats"]}
    assert stats["attendees"] == {
        "name": "attendees",
        "value": 15000,
        "approximation": "at_least",
        "display": "15,000+",
    }


def test_filters(seed, client):
    titles = [
        p["title"]
        for p in get(client, "/api/papers/", q="reddi", conference="iclr-2021")["results"]
    ]
    assert titles == ["Adaptive Federated Optimization"]
    iclr = get(client, "/api/guides/", series="iclr")["results"]
    assert {g["conference"] for g in iclr} == {"iclr-2021", "iclr-2022"}
    assert get(client, "/api/webinars/", conference="iclr-2022")["count"] == 1
    assert get(client, "/api/webinars/", upcoming="true")["count"] == 0
    assert get(client, "/api/papers/", status=400, year="abc") == {
        "year": ["Enter a whole number."]
    }
    assert client.get("/api/papers/", {"page": "999"}).status_code == 404


def test_published_only(seed, client):
    Guide.objects.filter(slug="iclr-2022-10-papers").update(status=Status.IN_REVIEW)
    assert "iclr-2022-10-papers" not in [g["slug"] for g in get(client, "/api/guides/")["results"]]
    get(client, "/api/guides/iclr-2022-10-papers/", status=404)
    assert "iclr-2022-webinar" not in [w["slug"] for w in get(client, "/api/webinars/")["results"]]
    get(client, "/api/webinars/iclr-2022-webinar/", status=404)


def test_the_api_is_read_only(seed, client):
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)("/api/guides/iclr-2022-10-papers/", {})
        assert response.status_code == 405, method


def test_guide_detail_queries_do_not_grow_with_picks(seed, client, django_assert_max_num_queries):
    with django_assert_max_num_queries(14):
        get(client, "/api/guides/neurips-2023-highlights/")  # 81 picks
    with django_assert_max_num_queries(14):
        get(client, "/api/papers/")


def test_figures_and_pictures_come_with_their_rendition_urls(seed, client):
    image = ImageFactory(width=900, height=600, alt_text="The harbour", credit_text="Photo: Mike")
    guide = Guide.objects.get(slug="neurips-2020-10-essentials")
    guide.figures.filter(number__in=[1, 2]).update(image=image)
    pick = guide.picks.get(rank=3)
    pick.why += f"\n\n{image.markdown}"
    pick.save()
    PaperImage.objects.create(paper=pick.paper, image=image)

    data = get(client, "/api/guides/neurips-2020-10-essentials/")
    cover = data["cover"]
    assert (cover["number"], cover["place"], cover["caption"]) == (1, "cover", "Vancouver, Canada.")
    assert cover["credit"] == {"text": "Photo by Mike Benna on Unsplash", "url": ""}
    renditions = cover["image"]["renditions"]
    assert {(r["width"], r["type"]) for r in renditions} == {
        (r["width"], r["type"]) for r in image.renditions
    }
    for rendition in renditions:
        assert rendition["url"].startswith("http://testserver/media/renditions/")
        assert client.get(rendition["url"]).status_code == 200
    first = data["picks"][0]
    assert [(f["number"], f["pick"], f["image"]["alt_text"]) for f in first["figures"]] == [
        (2, 1, "The harbour")
    ]
    assert first["figures"][0]["credit"]["text"].startswith("Source: Bootstrap Your Own Latent")
    assert [i["key"] for i in data["images"]] == [image.key]
    assert data["picks"][2]["paper"]["picture"]["key"] == image.key
    assert get(client, f"/api/papers/{pick.paper.slug}/")["picture"]["credit"] == {
        "text": "Photo: Mike",
        "url": "",
    }
    assert get(client, "/api/guides/iclr-2021-10-papers/")["cover"] is None
