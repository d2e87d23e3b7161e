"""Form widgets: a <select> and <input>s fast enough for long lists and many rows."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape
from django.utils.safestring import mark_safe


class QuickSelect(forms.Select):
    """A <select> built in Python. Django renders every option through a template (and
    a dict of attributes copied per option), which costs milliseconds on every page
    whose filters list a hundred conferences and topics. Options escaped once
    (`options_of`) can be given instead of choices: `options`."""

    options = None  # options_of(choices): rendered with these, not self.choices

    def render(self, name, value, attrs=None, renderer=None):
        values = {str(v) for v in self.format_value(value)}
        options, selected = [], False
        for choice, start, end in self.options or options_of(self.choices):
            # As Django's: only the first option of the value, unless multiple.
            chosen = choice in values and (self.allow_multiple_selected or not selected)
            selected |= chosen
            options.append(f"{start} selected{end}" if chosen else f"{start}{end}")
        attrs = flatatt(self.build_attrs(self.attrs, attrs))
        return mark_safe(f'<select name="{escape(name)}"{attrs}>{"".join(options)}</select>')


def options_of(choices):
    """[(value as text, the option's HTML before where "selected" goes, after)] of
    (value, label) `choices`: escaped once, for a select's options read once per site
    revision (website.listing.remember_options)."""
    return [
        (str(choice), f'<option value="{escape(choice)}"', f">{escape(label)}</option>")
        for choice, label in choices
    ]


class QuickInput(forms.widgets.Input):
    """An <input> built in Python, as QuickSelect: Django renders one through three
    templates (the input, its attributes), a millisecond for a page's filters."""

    def render(self, name, value, attrs=None, renderer=None):
        value = self.format_value(value)
        shown = "" if value is None else f' value="{escape(value)}"'
        attrs = flatatt(self.build_attrs(self.attrs, attrs))
        return mark_safe(
            f'<input type="{escape(self.input_type)}" name="{escape(name)}"{shown}{attrs}>'
        )


class QuickTextInput(QuickInput, forms.TextInput):
    pass


class QuickNumberInput(QuickInput, forms.NumberInput):
    pass
