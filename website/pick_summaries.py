"""The why and key insights of picks as lists of picks show them (topic, author and
paper pages), rendered from Markdown once and stored in `Pick.summary_html`: a topic
page of 24 picks would otherwise run Markdown and the sanitizer 48 times.

A summary depends on the pick's two texts alone. A save empties it
(website.pick_cards), and a rendering is stored only while the texts are still those
it was rendered from, so an edit made meanwhile is never hidden behind it.
"""

from django.db.models import Case, Q, Value, When
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from guides.models import Pick


def with_summaries(picks):
    """`picks` (from `Pick.objects.for_lists()`) as a list, each with its `summary`;
    missing ones are rendered and stored, in one statement."""
    picks = list(picks)
    rendered = []
    for pick in picks:
        if not pick.summary_html and (pick.why or pick.key_insights):
            pick.summary_html = render_to_string("guides/_pick_texts.html", {"pick": pick})
            rendered.append(pick)
        pick.summary = mark_safe(pick.summary_html)
    if rendered:
        unchanged = Q()
        for pick in rendered:
            unchanged |= Q(pk=pick.pk, why=pick.why, key_insights=pick.key_insights)
        summaries = [When(pk=pick.pk, then=Value(pick.summary_html)) for pick in rendered]
        Pick.objects.filter(unchanged).update(summary_html=Case(*summaries))
    return picks
