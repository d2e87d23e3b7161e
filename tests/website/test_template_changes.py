"""A deploy that changes the templates empties the stored renderings when it migrates
(website.template_changes): no page keeps the old markup."""

import io
import shutil

import pytest
from django.core.management import call_command

from guides.models import Guide
from website.models import SiteRevision, StoredSection

pytestmark = pytest.mark.django_db

GUIDE = "/guides/neurips-2020-10-essentials/"
MARK = "<!-- the deployed article template -->"


def migrate():
    call_command("migrate", verbosity=0, stdout=io.StringIO())


def stored_renderings(client):
    assert client.get(GUIDE).status_code == 200
    assert client.get("/conferences/neurips-2023/").status_code == 200
    return Guide.objects.exclude(article_html="").count(), StoredSection.objects.count()


@pytest.fixture
def templates(settings, tmp_path):
    """The site's templates in a folder of their own, which the test changes."""
    folder = tmp_path / "templates"
    shutil.copytree(settings.BASE_DIR / "templates", folder)
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [folder]}]
    return folder


def test_a_migrate_after_a_template_changed_empties_what_was_rendered_from_it(
    seed, client, settings, templates
):
    migrate()  # the fingerprint of these templates, as a deploy's migrate stores it
    articles, sections = stored_renderings(client)
    assert articles and sections
    fingerprint = SiteRevision.objects.get().templates_fingerprint

    migrate()  # the same templates: nothing to render again
    assert stored_renderings(client) == (articles, sections)
    assert MARK not in client.get(GUIDE).content.decode()

    article = templates / "guides" / "_article.html"
    article.write_text(MARK + article.read_text())
    settings.TEMPLATES = [{**settings.TEMPLATES[0]}]  # restarted: no template cached
    migrate()
    assert not Guide.objects.exclude(article_html="").exists()
    assert not StoredSection.objects.exists()
    assert SiteRevision.objects.get().templates_fingerprint not in ("", fingerprint)
    assert MARK in client.get(GUIDE).content.decode()  # the cached page is stale too
