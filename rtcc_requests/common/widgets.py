"""A select rendered in Python: Django renders each <option> through a template.

The filter forms carry a few hundred options (counties, technologies, exemptions, years,
agencies); through templates they were a third of the denial log page's time.
"""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


class FastSelect(forms.Select):
    """A single-choice <select> with flat choices (no groups), the same HTML as Select's."""

    def render(self, name, value, attrs=None, renderer=None):
        final = {"name": name, **self.build_attrs(self.attrs, attrs)}
        chosen = "" if value is None else str(value)
        options = format_html_join(
            "\n",
            '<option value="{}"{}>{}</option>',
            (
                (str(key), mark_safe(" selected") if str(key) == chosen else "", label)
                for key, label in self._flat_choices()
            ),
        )
        return format_html("<select{}>\n{}\n</select>", flatatt(final), options)

    def _flat_choices(self):
        for key, label in self.choices:
            if isinstance(label, list | tuple):
                raise ValueError("FastSelect does not render option groups.")
            yield ("" if key is None else key), label


def use_fast_selects(form: forms.Form) -> None:
    """Swap each plain single-choice Select of a form for a FastSelect, keeping its choices."""
    for field in form.fields.values():
        widget = field.widget
        if type(widget) is forms.Select:
            fast = FastSelect(attrs=widget.attrs, choices=widget.choices)
            fast.is_required = widget.is_required
            field.widget = fast
