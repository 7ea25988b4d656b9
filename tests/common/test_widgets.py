"""FastSelect renders what Django's Select renders: the same options, labels and choice."""

import re
from html import unescape

import pytest
from django import forms

from rtcc_requests.agencies.models import Technology
from rtcc_requests.common.widgets import FastSelect, use_fast_selects

OPTION = re.compile(r'<option value="([^"]*)"( selected)?>([^<]*)</option>')


def _options(html: str) -> list[tuple[str, bool, str]]:
    return [(unescape(v), bool(s), unescape(label)) for v, s, label in OPTION.findall(html)]


@pytest.mark.parametrize("value", [None, "", "a", 1, "1", "missing"])
def test_matches_django_select(value):
    choices = [("", "Any"), ("a", 'A & B <"x">'), (1, "One")]
    attrs = {"id": "id_x", "aria-describedby": "x-help"}
    fast = FastSelect(choices=choices, attrs=attrs).render("x", value)
    slow = forms.Select(choices=choices, attrs=attrs).render("x", value)
    assert _options(fast) == _options(slow)
    assert fast.startswith("<select") and 'name="x"' in fast and 'id="id_x"' in fast
    assert 'aria-describedby="x-help"' in fast and "<x>" not in fast


@pytest.mark.django_db
def test_a_form_keeps_its_model_choices_and_bound_value():
    class TechForm(forms.Form):
        technology = forms.ModelChoiceField(
            Technology.objects.order_by("name"), to_field_name="slug", required=False
        )
        kind = forms.ChoiceField(choices=[("a", "A")], widget=forms.RadioSelect)

    form = TechForm({"technology": "drones"})
    before = str(form["technology"])
    use_fast_selects(form)
    assert isinstance(form.fields["technology"].widget, FastSelect)
    assert not isinstance(form.fields["kind"].widget, FastSelect)  # only plain selects
    after = str(form["technology"])
    assert _options(after) == _options(before)
    assert ("drones", True, "Drones") in [(v, s, label) for v, s, label in _options(after)]
