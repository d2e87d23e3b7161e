"""The quick widgets render what Django's own widgets render, escaped as they are."""

import pytest
from bs4 import BeautifulSoup
from django import forms

from papers.widgets import QuickNumberInput, QuickSelect, QuickTextInput, options_of

HOSTILE = '"><script>alert(1)</script>&amp;'


def parsed(html):
    [element] = BeautifulSoup(html, "html.parser").contents
    options = [(o.get("value"), o.get_text(), o.has_attr("selected")) for o in element("option")]
    return element.name, element.attrs, options


@pytest.mark.parametrize(
    "quick, django, value, attrs",
    [
        (QuickTextInput, forms.TextInput, "diffusion", {"id": "id_q", "maxlength": "200"}),
        (QuickTextInput, forms.TextInput, HOSTILE, {"id": "id_q", "required": True}),
        (QuickTextInput, forms.TextInput, None, {"id": "id_q", "disabled": False}),
        (QuickTextInput, forms.TextInput, "", {"list": "author-names", "data-x": HOSTILE}),
        (QuickNumberInput, forms.NumberInput, 2023, {"min": 1900, "max": 2100}),
        (QuickNumberInput, forms.NumberInput, None, {"id": "id_year"}),
    ],
)
def test_an_input_is_rendered_as_django_renders_it(quick, django, value, attrs):
    mine, theirs = quick().render("q", value, attrs), django().render("q", value, attrs)
    assert parsed(mine) == parsed(theirs)
    assert "<script>" not in mine


@pytest.mark.parametrize("value", ["b", HOSTILE, None, ["a", "b"]])
def test_a_select_is_rendered_as_django_renders_it(value):
    choices = [("", "Any"), ("a", "A & B"), ("b", "Bee"), (HOSTILE, HOSTILE)]
    attrs = {"id": "id_topic"}
    mine = QuickSelect(choices=choices).render("topic", value, attrs)
    theirs = forms.Select(choices=choices).render("topic", value, attrs)
    assert parsed(mine) == parsed(theirs)
    assert "<script>" not in mine


@pytest.mark.parametrize("value", ["b", HOSTILE, None])
def test_a_select_of_options_escaped_once_is_rendered_as_django_renders_it(value):
    choices = [("", "Any"), ("a", "A & B"), ("b", "Bee"), (HOSTILE, HOSTILE), ("b", "Again")]
    quick = QuickSelect()
    quick.options = options_of(choices)
    mine = quick.render("topic", value, {"id": "id_topic"})
    theirs = forms.Select(choices=choices).render("topic", value, {"id": "id_topic"})
    assert parsed(mine) == parsed(theirs)
    assert "<script>" not in mine
    # The escaped options are not changed by a rendering with a value selected.
    assert quick.render("topic", "no such value", {}).count(" selected") == 0
