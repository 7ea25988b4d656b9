"""The agency filter of the request list and the denial log: a menu, or a name search.

A single requester has asked a handful of agencies; a newsroom or a statewide log has
thousands, for which a menu helps nobody and costs the page its speed. Either way the value
is a slug (from the menu or a link to the page) or, typed, part of an agency's name.
"""

from django import forms
from django.db.models import Q


def agency_field_choices(field: forms.Field, choices: list[tuple[str, str]] | None) -> None:
    """A menu of (slug, name) choices, or, given None (too many), a search box."""
    if choices is None:
        field.label = "Agency name contains"
        field.widget = forms.TextInput(attrs={"type": "search"})
    else:
        field.widget = forms.Select(choices=[("", "Any agency"), *choices])


def agency_matches(value: str, *, prefix: str = "") -> Q | None:
    """Rows whose agency has this slug or a name containing this text; None for no filter."""
    value = value.strip()
    if not value:
        return None
    return Q(**{f"{prefix}agency__slug": value}) | Q(**{f"{prefix}agency__name__icontains": value})
