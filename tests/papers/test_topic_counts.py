"""Each topic's stored paper count matches its papers after every kind of write."""

from django.core.management import call_command
from django.db.models import Count

from papers.models import Paper, Tag, TaggedPaper
from tests.papers.test_paper_import import ROWS, jsonl, run


def counted():
    """{slug: papers}, counted the slow way."""
    return dict(Tag.objects.annotate(n=Count("tagged_papers")).values_list("slug", "n"))


def stored():
    return dict(Tag.objects.values_list("slug", "paper_count"))


def test_the_seed_has_its_counts(seed):
    assert stored() == counted()
    assert max(stored().values()) > 1


def test_adding_and_removing_topics_recounts_them(seed):
    paper = Paper.objects.get(slug="autoregressive-diffusion-models")
    topic = Tag.objects.create(name="Counting", slug="counting")
    paper.tags.add(topic)
    assert Tag.objects.get(pk=topic.pk).paper_count == 1
    Paper.objects.exclude(pk=paper.pk).first().tags.add(topic)
    assert Tag.objects.get(pk=topic.pk).paper_count == 2
    paper.tags.remove(topic)
    assert Tag.objects.get(pk=topic.pk).paper_count == 1
    unpicked = Paper.objects.create(title="Deleted soon", slug="deleted-soon", year=2020)
    unpicked.tags.add(topic)
    assert Tag.objects.get(pk=topic.pk).paper_count == 2
    unpicked.delete()  # its links go with it
    assert Tag.objects.get(pk=topic.pk).paper_count == 1 and stored() == counted()


def test_an_import_recounts_in_bulk(seed, tmp_path):
    path = tmp_path / "papers.jsonl"
    path.write_text(jsonl(ROWS))
    run(path)
    assert stored() == counted()
    assert stored()["data-loading"] == 2


def test_loading_the_seed_again_keeps_the_counts(seed):
    TaggedPaper.objects.filter(tag__slug="transformers").first().delete()
    call_command("loaddata", "seed", verbosity=0)  # puts the link back, rows carry no count
    assert stored() == counted()


def test_the_home_page_and_topics_list_show_the_stored_counts(seed, client):
    topic = Tag.objects.order_by("-paper_count").first()
    Tag.objects.filter(pk=topic.pk).update(paper_count=987)  # what is stored is shown
    for url in ("/", "/tags/"):
        assert "987" in client.get(url).content.decode(), url
