"""Forms of the guide editing page, with the messages editors see."""

import hashlib
import json

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from reversion.models import Version

from papers.widgets import QuickSelect

from .models import Figure, FigurePlace, Guide, Pick, Status


class GuideAdminForm(forms.ModelForm):
    may_publish = False  # set per request by GuideAdmin.get_form
    # The version the editor opened; a save based on an older one is refused.
    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    seen_fingerprint = forms.CharField(widget=forms.HiddenInput, required=False)
    publish_despite_problems = forms.BooleanField(
        required=False,
        label="Publish even with the problems listed",
        help_text="Without it, a guide with problems is saved but not published.",
    )

    class Meta:
        model = Guide
        fields = [
            *("title", "slug", "conference", "bylines", "tags", "status", "published_at"),
            *("source_url", "standfirst", "intro", "outro"),
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.pick_order = PickOrder(self) if self.instance.pk else None
        self.fields["seen_version"].initial = self.instance.version
        self.fields["seen_fingerprint"].initial = json.dumps(fingerprint(self.instance))
        if not self.may_publish and "status" in self.fields:
            # Contributors write and submit; only editors publish or schedule.
            self.fields["status"].choices = [
                (Status.DRAFT, Status.DRAFT.label),
                (Status.IN_REVIEW, Status.IN_REVIEW.label),
            ]
            self.fields["published_at"].disabled = True

    def clean_published_at(self):
        # The date-and-time widget shows whole seconds: an untouched time stays as it was.
        at, before = self.cleaned_data.get("published_at"), self.instance.published_at
        if at and before and at == before.replace(microsecond=0):
            return before
        return at

    def clean(self):
        cleaned = super().clean()
        if self.pick_order:
            self.pick_order.clean()
        if self.instance.pk:
            refuse_stale_save(self, cleaned.get("seen_version"), cleaned.get("seen_fingerprint"))
        if cleaned.get("status") != Status.PUBLISHED:
            return cleaned
        at = cleaned.get("published_at")
        if at is None:
            cleaned["published_at"] = timezone.now()  # publish now
        elif at != self.instance.published_at and at < timezone.now():
            self.add_error(
                "published_at",
                "A scheduled publication time must be in the future. "
                "Leave it empty to publish now.",
            )
        return cleaned


class PickOrder:
    """The picks of a guide on its page, compact: each is two fields of the guide's form,
    its number and its section, in reading order (the picks without a section first,
    then each section's). The texts of a pick are edited on its own page; here editors
    reorder them and move them between sections (static/guides/admin/pick_order.js
    adds dragging and ↑ ↓; without JavaScript the fields work as they are)."""

    def __init__(self, form):
        self.form = form
        guide = form.instance
        self.sections = list(guide.sections.all())
        self.picks = list(
            guide.picks.select_related("paper")
            .annotate(figure_count=Count("figures"))
            .only("guide", "rank", "section", "why", "key_insights", "paper__title")
        )
        choices = [("", "(no section)"), *((s.pk, s.title) for s in self.sections)]
        for pick in self.picks:
            title = pick.paper.title
            form.fields[self.rank_name(pick)] = forms.IntegerField(
                min_value=1,
                max_value=9999,
                required=False,  # left out (a page without the list): unchanged
                initial=pick.rank,
                label=f"Number of “{title}”",
                widget=forms.NumberInput(attrs={"class": "pick-rank"}),
            )
            form.fields[self.section_name(pick)] = forms.TypedChoiceField(
                choices=choices,
                coerce=int,
                empty_value=None,
                required=False,
                initial=pick.section_id,
                label=f"Section of “{title}”",
                widget=QuickSelect(attrs={"class": "pick-section"}),
            )

    @property
    def next_rank(self):
        return max((pick.rank for pick in self.picks), default=0) + 1

    @staticmethod
    def rank_name(pick):
        return f"pick-{pick.pk}-rank"

    @staticmethod
    def section_name(pick):
        return f"pick-{pick.pk}-section"

    def groups(self):
        """[(section or None, [(pick, rank field, section field)])] in reading order."""
        rows = {}
        for pick in sorted(self.picks, key=lambda p: p.rank):
            row = (pick, self.form[self.rank_name(pick)], self.form[self.section_name(pick)])
            rows.setdefault(pick.section_id, []).append(row)
        return [(None, rows.get(None, [])), *((s, rows.get(s.pk, [])) for s in self.sections)]

    def submitted(self, pick):
        """(rank, section id) as sent; what the pick has where nothing was sent."""
        data = self.form.cleaned_data
        if self.rank_name(pick) not in self.form.data:
            return pick.rank, pick.section_id
        rank = data.get(self.rank_name(pick)) or pick.rank
        return rank, data.get(self.section_name(pick))

    def clean(self):
        taken = {}
        for pick in self.picks:
            rank, _ = self.submitted(pick)
            if rank in taken:
                self.form.add_error(
                    None,
                    f"Picks “{taken[rank].paper.title}” and “{pick.paper.title}” have the "
                    f"same number, {rank}. Each needs its own.",
                )
            taken[rank] = pick

    def changes(self):
        """{pick: (rank, section id)} for the picks whose number or section changed."""
        changed = {}
        for pick in self.picks:
            submitted = self.submitted(pick)
            if submitted != (pick.rank, pick.section_id):
                changed[pick] = submitted
        return changed


TRACKED_FIELDS = [
    *("title", "slug", "conference", "standfirst", "intro", "outro"),
    *("status", "published_at", "source_url"),
]


def fingerprint(guide):
    """A short hash of each tracked field, to tell later which ones someone else changed."""
    return {
        name: hashlib.sha256(str(_stored(guide, name)).encode()).hexdigest()[:16]
        for name in TRACKED_FIELDS
    }


def refuse_stale_save(form, seen_version, seen_fingerprint):
    """Refuse a save based on an older version than the one stored, saying what changed.

    The row stays locked until the save commits (PostgreSQL; SQLite writes one at a time),
    so two editors saving at the same moment are ordered, and the second is refused.
    """
    current = Guide.objects.select_for_update().filter(pk=form.instance.pk).first()
    if current is None or seen_version is None or current.version == seen_version:
        return
    try:
        opened = json.loads(seen_fingerprint or "{}")
    except ValueError:
        opened = {}
    now = fingerprint(current)
    changed = [
        str(Guide._meta.get_field(name).verbose_name)
        for name in TRACKED_FIELDS
        if opened.get(name) != now[name]
    ]
    latest = Version.objects.get_for_object(current).select_related("revision__user").first()
    who = ""
    if latest is not None:
        user, saved = latest.revision.user, latest.revision.date_created
        who = f" ({user or 'someone'}, {timezone.localtime(saved):%d %b %Y %H:%M})"
    what = ", ".join(changed) if changed else "its sections, picks or references"
    raise ValidationError(
        f"Someone else saved this guide after you opened it{who}. Changed: {what}. "
        "Your changes were not saved: keep a copy of them, reload the page, and apply them "
        "again."
    )


def _stored(guide, name):
    return guide.conference_id if name == "conference" else getattr(guide, name)


class NumberedPartForm(forms.ModelForm):
    """A pick or reference row whose number may change with its neighbours' in one save.

    Its number is checked across the whole formset (`NumberedInlineFormSet`), not
    against the rows as they are now in the database, so that swapping two is allowed.
    """

    number_field = None

    def _get_validation_exclusions(self):
        return super()._get_validation_exclusions() | {self.number_field}


class PickInlineForm(NumberedPartForm):
    number_field = "rank"
    rank = forms.IntegerField(min_value=1, max_value=9999, help_text="The pick's number, from 1.")


class ReferenceInlineForm(NumberedPartForm):
    number_field = "number"
    number = forms.IntegerField(min_value=1, max_value=9999)


class PreloadedAutocompleteSelect(AutocompleteSelect):
    """The admin's autocomplete, showing a chosen object from `labels` when its formset
    loaded them (`PreloadedAutocompletes`): one query for all rows, not one per row."""

    labels = None  # {str(pk): label}

    def optgroups(self, name, value, attr=None):
        if self.labels is None:
            return super().optgroups(name, value, attr)
        chosen = [str(v) for v in value if str(v) not in self.choices.field.empty_values]
        options = [] if self.is_required else [self.create_option(name, "", "", False, 0)]
        for key in chosen:
            if key in self.labels:
                options.append(self.create_option(name, key, self.labels[key], True, len(options)))
        return [(None, options, 0)]


class PreloadedAutocompletes:
    """An inline formset whose autocomplete fields (PreloadedAutocompleteSelect) get their
    chosen objects in one query per field, and whose plain selects list their choices
    once: a guide's page runs as many queries with one figure as with twenty."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for form in self.forms:  # Django sets the id only: each row would fetch its parent
            setattr(form.instance, self.fk.name, self.instance)
        fields = self.form.base_fields if not self.forms else self.forms[0].fields
        for name, field in fields.items():
            widget = getattr(field.widget, "widget", field.widget)
            if isinstance(widget, PreloadedAutocompleteSelect):
                self._preload(name, field)
            elif isinstance(field, forms.ModelChoiceField) and type(widget) is forms.Select:
                choices = list(field.choices)
                for form in self.forms:
                    form.fields[name].choices = choices

    def _preload(self, name, field):
        keys = {str(form[name].value()) for form in self.forms} - {"", "None"}
        chosen = field.queryset.filter(pk__in=[k for k in keys if k.isdigit()]) if keys else []
        labels = {str(obj.pk): field.label_from_instance(obj) for obj in chosen}
        for form in self.forms:
            widget = form.fields[name].widget
            getattr(widget, "widget", widget).labels = labels


class NumberedInlineFormSet(BaseInlineFormSet):
    noun = "rows"

    def live_forms(self):
        return [
            form
            for form in self.forms
            if form.is_valid() and form.cleaned_data and form not in self.deleted_forms
        ]

    def clean(self):
        field = self.form.number_field
        seen = {}
        for form in self.live_forms():
            number = form.cleaned_data[field]
            if number in seen:
                raise ValidationError(
                    f"Two {self.noun} have the number {number}. Each needs its own."
                )
            seen[number] = form
        super().clean()


class PickInlineFormSet(NumberedInlineFormSet):
    noun = "picks"

    def clean(self):
        picked = {}
        for form in self.live_forms():
            paper = form.cleaned_data.get("paper")
            if paper in picked:
                raise ValidationError(
                    f"“{paper}” is picked twice in this guide "
                    f"(picks {picked[paper]} and {form.cleaned_data['rank']}). "
                    "Pick each paper once."
                )
            picked[paper] = form.cleaned_data["rank"]
        super().clean()


class ReferenceInlineFormSet(PreloadedAutocompletes, NumberedInlineFormSet):
    noun = "references"


class FigureInlineForm(NumberedPartForm):
    number_field = "number"
    number = forms.IntegerField(
        min_value=1,
        max_value=9999,
        required=False,
        help_text="Empty: the next free number.",
    )


class FigureInlineFormSet(PreloadedAutocompletes, NumberedInlineFormSet):
    """The figures of a guide (on its page) or of one pick (on the pick's page).

    Numbers are unique in the whole guide: a row left without one gets the next number
    no other figure of the guide has."""

    noun = "figures"

    def guide(self):
        return self.instance if isinstance(self.instance, Guide) else self.instance.guide

    def clean(self):
        live = self.live_forms()
        covers = [f for f in live if f.cleaned_data.get("place") == FigurePlace.COVER]
        if len(covers) > 1:
            raise ValidationError(
                "A guide has one cover: make the other figures intro or pick figures."
            )
        in_formset = [f.instance.pk for f in self.forms if f.instance.pk]
        elsewhere = (
            set(
                Figure.objects.filter(guide=self.guide())
                .exclude(pk__in=in_formset)
                .values_list("number", flat=True)
            )
            if self.guide().pk
            else set()
        )
        taken = set(elsewhere)
        for form in live:
            number = form.cleaned_data.get("number")
            if number in elsewhere:
                raise ValidationError(
                    f"This guide already has a figure {number}. Leave the number empty "
                    "to take the next free one."
                )
            if number:
                taken.add(number)
        next_free = 1
        for form in live:
            if not form.cleaned_data.get("number"):
                while next_free in taken:
                    next_free += 1
                form.cleaned_data["number"] = form.instance.number = next_free
                taken.add(next_free)
        super().clean()

    def save_new(self, form, commit=True):
        if isinstance(self.instance, Pick):  # a figure added on a pick's own page
            form.instance.guide_id, form.instance.place = self.instance.guide_id, FigurePlace.PICK
        return super().save_new(form, commit)
