"""Submit admin forms the way a browser would: read the form from the page, change
some fields, post everything back (management forms and inlines included)."""

from bs4 import BeautifulSoup
from django.urls import reverse


def form_data(response, form_id=None):
    soup = BeautifulSoup(response.content, "html.parser")
    forms = soup.find_all("form", method="post")
    # The admin's main form is "<model>_form"; the header also holds a logout form.
    form = next(
        (
            f
            for f in forms
            if f.get("id") == form_id
            or (not form_id and f.get("id", "").endswith("_form") and f.get("id") != "logout-form")
        ),
        None,
    )
    assert form is not None, "no form on the page"
    data = {}
    for field in form.find_all(["input", "select", "textarea"]):
        name = field.get("name")
        if not name or field.get("disabled") is not None:
            continue
        if field.name == "input":
            kind = field.get("type", "text")
            if kind in ("submit", "button", "file", "image"):
                continue
            if kind in ("checkbox", "radio"):
                if field.get("checked") is not None:
                    data.setdefault(name, []).append(field.get("value", "on"))
                continue
            data.setdefault(name, []).append(field.get("value", ""))
        elif field.name == "textarea":
            data.setdefault(name, []).append(field.get_text().removeprefix("\n"))
        else:
            chosen = [
                o.get("value", o.get_text())
                for o in field.find_all("option")
                if o.get("selected") is not None
            ]
            if not chosen and field.get("multiple") is None:
                first = field.find("option")
                chosen = [first.get("value", "")] if first else []
            data.setdefault(name, []).extend(chosen)
    return data


def inline_prefix(data, model_name):
    """The formset prefix of an inline, e.g. "picks" for Pick rows."""
    for key in data:
        if key.endswith("-TOTAL_FORMS") and model_name in key:
            return key.removesuffix("-TOTAL_FORMS")
    raise KeyError(model_name)


def change_url(guide):
    return reverse("admin:guides_guide_change", args=[guide.pk])


def post_guide(client, guide, **changes):
    """Open the guide's editing page, change fields, save; the response of the save."""
    data = form_data(client.get(change_url(guide)))
    for name, value in changes.items():
        data[name] = value if isinstance(value, list) else [value]
    return client.post(change_url(guide), data)


def errors_of(response):
    """Every message of a failed save: the guide form's, and every inline's."""
    assert response.status_code == 200, "the save was expected to fail with messages"
    adminform = response.context["adminform"]
    messages = [str(e) for errors in adminform.form.errors.values() for e in errors]
    for formset in response.context["inline_admin_formsets"]:
        messages += [str(e) for e in formset.formset.non_form_errors()]
        for form_errors in formset.formset.errors:
            messages += [str(e) for errors in form_errors.values() for e in errors]
    return messages


def guide_action(guide, action):
    return reverse("admin:guides_guide_do", args=[guide.pk, action])


def edit_in_draft(client, guide):
    """Press “Edit in a draft” on a published guide's page: its draft of changes."""
    from guides.models import Guide

    response = client.post(guide_action(guide, "start"))
    draft = Guide.objects.get(draft_of=guide)
    assert response["Location"] == change_url(draft)
    return draft


def publish_changes(client, guide, despite_problems=True):
    """Press “Publish the changes now” on a published guide's page (ticking “Publish even
    with the problems listed”: a factory's picks have no “why”)."""
    data = {"publish_despite_problems": "on"} if despite_problems else {}
    response = client.post(guide_action(guide, "publish"), data)
    assert response["Location"] == change_url(guide)
