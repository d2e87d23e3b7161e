"""Form widgets: a <select> and <input>s fast enough for long lists and many rows."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape
from django.utils.safestring import mark_safe


class QuickSelect(forms.Select):
    """A <select> built in Python. Django renders every option through a template (and
    a dict of attributes copied per option), which costs milliseconds on every page
    whose filters list a hundred conferences and topics."""

    def render(self, name, value, attrs=None, renderer=None):
        values = {str(v) for v in self.format_value(value)}
        options, selected = [], False
        for choice, label in self.choices:
            # As Django's: only the first option of the value, unless multiple.
            chosen = str(choice) in values and (self.allow_multiple_selected or not selected)
            selected |= chosen
            mark = " selected" if chosen else ""
            options.append(f'<option value="{escape(choice)}"{mark}>{escape(label)}</option>')
        attrs = flatatt(self.build_attrs(self.attrs, attrs))
        return mark_safe(f'<select name="{escape(name)}"{attrs}>{"".join(options)}</select>')


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
