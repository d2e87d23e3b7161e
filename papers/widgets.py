"""Form widgets: a <select> fast enough for long lists and many rows."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape
from django.utils.safestring import mark_safe


class QuickSelect(forms.Select):
    """A <select> built in Python. Django renders every option through a template (and
    a dict of attributes copied per option), which costs milliseconds on every page
    whose filters list a hundred conferences and topics."""

    def render(self, name, value, attrs=None, renderer=None):
        selected = {str(v) for v in self.format_value(value)}
        options = "".join(
            f'<option value="{escape(choice)}"{" selected" if str(choice) in selected else ""}>'
            f"{escape(label)}</option>"
            for choice, label in self.choices
        )
        attrs = flatatt(self.build_attrs(self.attrs, attrs))
        return mark_safe(f'<select name="{escape(name)}"{attrs}>{options}</select>')
