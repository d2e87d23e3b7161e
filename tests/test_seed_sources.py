"""The committed seed fixture is exactly what the source documents give."""

import importlib.util
import json
import re
from pathlib import Path

import pytest

BUILDER = Path(__file__).resolve().parent.parent / "fixtures" / "build_seed.py"


@pytest.fixture(scope="module")
def builder():
    spec = importlib.util.spec_from_file_location("build_seed", BUILDER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def plain(text):
    """Text without Markdown list marks, footnote markers or spacing differences."""
    text = re.sub(r"\[\^?\d+\]|[⁰¹²³⁴⁵⁶⁷⁸⁹]", "", text)
    text = re.sub(r"^\s*(?:- |•|\d+\. )", "", text, flags=re.MULTILINE)
    return re.sub(r"\s+", " ", text).strip()


def test_seed_json_is_up_to_date_with_its_sources(builder):
    rebuilt = builder.as_json(builder.build(builder.SOURCES))
    assert rebuilt == builder.SEED.read_text(encoding="utf-8"), (
        "fixtures/seed.json is stale: run .venv/bin/python fixtures/build_seed.py"
    )


def test_every_pick_comment_is_the_posts_own_text(builder):
    sources = {
        path.name: plain(path.read_text(encoding="utf-8")) for path in builder.SOURCES.glob("*.txt")
    }
    everything = " ".join(sources.values())
    picks = [
        o["fields"] for o in json.loads(builder.SEED.read_text()) if o["model"] == "guides.pick"
    ]
    checked = 0
    for pick in picks:
        for field in ("why", "key_insights"):
            for paragraph in pick[field].split("\n\n"):
                assert plain(paragraph) in everything, (pick["guide"], pick["rank"], paragraph[:80])
                checked += 1
    assert checked > 200
