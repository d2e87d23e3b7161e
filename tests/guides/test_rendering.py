"""Editors' Markdown becomes safe HTML, whatever was typed."""

import json

import pytest
from bs4 import BeautifulSoup

from guides.rendering import FootnoteLinker, render_markdown
from tests.factories import GuideFactory, PickFactory

HOSTILE = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<iframe src="https://evil.example"></iframe>',
    '<p onclick="alert(1)" style="color:red">x</p>',
    "<svg><script>alert(1)</script></svg>",
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "[x](vbscript:msgbox(1))",
]


def elements(html):
    return BeautifulSoup(str(html), "html.parser").find_all(True)


@pytest.mark.parametrize("payload", HOSTILE)
def test_nothing_executable_survives(payload):
    html = render_markdown(f"Intro\n\n{payload}\n\nOutro")
    for element in elements(html):
        assert element.name not in {"script", "iframe", "img", "svg", "style"}
        for attribute, value in element.attrs.items():
            assert not attribute.startswith("on")
            assert attribute != "style"
            if attribute == "href":
                assert (
                    value.split(":")[0].lower() in {"http", "https", "mailto"} or ":" not in value
                )


def test_markdown_renders_lists_emphasis_links_and_code():
    html = str(
        render_markdown(
            "Some *emphasis*.\n\n- one\n- two\n\n[paper](https://arxiv.org/abs/1)\n\n```bibtex\n@a{b}\n```"
        )
    )
    soup = BeautifulSoup(html, "html.parser")
    assert soup.em.get_text() == "emphasis"
    assert [li.get_text() for li in soup.select("ul li")] == ["one", "two"]
    link = soup.select_one("a")
    assert link["href"] == "https://arxiv.org/abs/1" and "noopener" in link["rel"]
    assert soup.select_one("pre code.language-bibtex").get_text().strip() == "@a{b}"


def test_footnotes_link_to_known_references_once():
    render = FootnoteLinker([1, 2])
    first = BeautifulSoup(
        render("BERT[^1] and GPT[^2], then BERT[^1] again, and [^9]."), "html.parser"
    )
    links = first.select("sup.cite a")
    assert [a["href"] for a in links] == ["#ref-1", "#ref-2", "#ref-1"]
    assert [a.get("id") for a in links] == ["cite-1", "cite-2", None]
    assert "[9]" in first.get_text() and not first.select('a[href="#ref-9"]')
    later = BeautifulSoup(render("Once more[^2]."), "html.parser")
    assert later.select_one("sup.cite a").get("id") is None


@pytest.mark.django_db
def test_hostile_pick_text_is_escaped_on_the_guide_page(client):
    pick = PickFactory(
        guide=GuideFactory(title="<script>alert('title')</script>", intro=HOSTILE[1]),
        why=HOSTILE[0],
        key_insights=HOSTILE[2],
        paper__title='"><img src=x onerror=alert(1)>',
    )
    soup = BeautifulSoup(client.get(pick.guide.get_absolute_url()).content, "html.parser")
    assert not soup.find_all(["img", "iframe"])
    # The only scripts: the site's own file, and JSON-LD data that stays data.
    for script in soup.find_all("script"):
        if script.get("src"):
            assert script["src"].startswith("/static/")
        else:
            assert script["type"] == "application/ld+json"
            assert json.loads(script.string)["headline"] == "<script>alert('title')</script>"
            assert "</script" not in script.string
    assert not soup.select('[href^="javascript"]')
    assert not [el for el in soup.find_all(True) if any(a.startswith("on") for a in el.attrs)]
    assert soup.h1.get_text() == "<script>alert('title')</script>"
