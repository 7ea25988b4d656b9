"""The public request browser's filters: agency, technology, status, law and title words."""

import django_filters
from django import forms
from django.db.models import Q
from django.http import QueryDict

from rtcc_requests.agencies.filtering import agency_field_choices, agency_matches
from rtcc_requests.agencies.models import Technology
from rtcc_requests.common.params import db_id, search_text
from rtcc_requests.common.widgets import use_fast_selects
from rtcc_requests.laws.models import Law

from .choices import Status
from .filters import AGENCY_MENU_LIMIT
from .models import RecordsRequest
from .selectors import public_agency_menu, public_requests_listed

# A draft is never public, so it is no status to filter the public by.
PUBLIC_STATUSES = [c for c in Status.choices if c[0] != Status.DRAFT]
# Longer than any title (200 characters): typed beyond this, the words are cut.
TITLE_SEARCH_LIMIT = 200


class PublicRequestFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Title contains",
        method="filter_title",
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    agency = django_filters.CharFilter(label="Agency", method="filter_agency")
    technology = django_filters.ModelChoiceFilter(
        field_name="technologies",
        label="Technology",
        queryset=Technology.objects.order_by("name"),
        to_field_name="slug",
        empty_label="Any technology",
    )
    status = django_filters.ChoiceFilter(choices=PUBLIC_STATUSES, empty_label="Any status")
    law = django_filters.ModelChoiceFilter(
        queryset=Law.objects.order_by("name"), to_field_name="code", empty_label="Any law"
    )

    class Meta:
        model = RecordsRequest
        fields = ["q", "agency", "technology", "status", "law"]

    def __init__(self, *args, today, menus: bool = True, **kwargs):
        """`menus=False` (the feed, which draws no form) skips the agency menu's queries."""
        super().__init__(*args, **kwargs)
        if menus:
            menu = public_agency_menu(today=today, limit=AGENCY_MENU_LIMIT)
            agency_field_choices(self.form.fields["agency"], menu)
            use_fast_selects(self.form)

    def filter_agency(self, queryset, name, value):
        """A slug (the menu, a link from the agency page), part of a name, or a number: an
        agency's id (or a slug of digits), never every name with that digit in it."""
        agency_id = db_id(value)
        if agency_id is not None:
            return queryset.filter(Q(agency_id=agency_id) | Q(agency__slug=value.strip()))
        matches = agency_matches(value)
        return queryset.filter(matches) if matches else queryset

    def filter_title(self, queryset, name, value):
        words = search_text(value, limit=TITLE_SEARCH_LIMIT)
        return queryset.filter(title__icontains=words) if words else queryset


def public_filter(params: QueryDict, *, today, menus: bool = True) -> PublicRequestFilter:
    """The public set filtered by these query parameters (without `page`), newest filed first."""
    return PublicRequestFilter(
        params, queryset=public_requests_listed(today=today), today=today, menus=menus
    )
