"""The public request browser's filters: agency, technology, status, law and title words."""

import django_filters
from django import forms

from rtcc_requests.agencies.filtering import agency_field_choices, agency_matches
from rtcc_requests.agencies.models import Technology
from rtcc_requests.common.widgets import use_fast_selects
from rtcc_requests.laws.models import Law

from .choices import Status
from .filters import AGENCY_MENU_LIMIT
from .models import RecordsRequest
from .selectors import public_agency_menu

# A draft is never public, so it is no status to filter the public by.
PUBLIC_STATUSES = [c for c in Status.choices if c[0] != Status.DRAFT]


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

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        menu = public_agency_menu(today=today, limit=AGENCY_MENU_LIMIT)
        agency_field_choices(self.form.fields["agency"], menu)
        use_fast_selects(self.form)

    def filter_agency(self, queryset, name, value):
        matches = agency_matches(value)
        return queryset.filter(matches) if matches else queryset

    def filter_title(self, queryset, name, value):
        return queryset.filter(title__icontains=value.strip()) if value.strip() else queryset
