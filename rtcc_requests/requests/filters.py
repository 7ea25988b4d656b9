"""The request list's filters: every one reads a stored, indexed field."""

import django_filters
from django import forms
from django.db.models import F
from django.utils import timezone

from rtcc_requests.agencies.filtering import agency_field_choices, agency_matches
from rtcc_requests.agencies.models import Agency, Technology
from rtcc_requests.common.widgets import use_fast_selects
from rtcc_requests.laws.models import Law

from .choices import Status
from .models import RecordsRequest

DUE_WINDOWS = [("7", "Next 7 days"), ("14", "Next 14 days"), ("30", "Next 30 days")]

# Whitelisted ?sort= values -> ORDER BY; deadlines without a date go last either way.
SORTS = {
    "due": (F("next_due").asc(nulls_last=True), "-created_at", "-pk"),
    "-due": (F("next_due").desc(nulls_last=True), "-created_at", "-pk"),
    "newest": ("-created_at", "-pk"),
    "oldest": ("created_at", "pk"),
    "title": ("title", "pk"),
    "agency": ("agency__name", "-created_at", "-pk"),
    "status": ("status", F("next_due").asc(nulls_last=True), "-pk"),
}
SORT_CHOICES = [
    ("due", "Next deadline, soonest first"),
    ("-due", "Next deadline, latest first"),
    ("newest", "Newest first"),
    ("oldest", "Oldest first"),
    ("title", "Title"),
    ("agency", "Agency"),
    ("status", "Status"),
]
DEFAULT_SORT = "due"


# Above this many agencies a menu is no help (a newsroom asks hundreds): the agency filter
# becomes a text box matching names, and the page never lists them all.
AGENCY_MENU_LIMIT = 50


def agency_menu(user) -> list[tuple[str, str]] | None:
    """(slug, name) of the agencies the user has asked (staff: anyone has), or None if more
    than AGENCY_MENU_LIMIT. Two queries; the first stops at AGENCY_MENU_LIMIT + 1 agencies."""
    asked = (
        RecordsRequest.objects.all() if user.is_staff else RecordsRequest.objects.worked_on_by(user)
    )
    ids = list(
        asked.order_by("agency_id")
        .values_list("agency_id", flat=True)
        .distinct()[: AGENCY_MENU_LIMIT + 1]
    )
    if len(ids) > AGENCY_MENU_LIMIT:
        return None
    return list(
        Agency.objects.filter(pk__in=ids).order_by("name", "pk").values_list("slug", "name")
    )


class RecordsRequestFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Title contains",
        method="filter_title",
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    status = django_filters.ChoiceFilter(choices=Status.choices, empty_label="Any status")
    agency = django_filters.CharFilter(label="Agency", method="filter_agency")
    technology = django_filters.ModelChoiceFilter(
        field_name="technologies",
        label="Technology",
        queryset=Technology.objects.order_by("name"),
        to_field_name="slug",
        empty_label="Any technology",
    )
    law = django_filters.ModelChoiceFilter(
        queryset=Law.objects.order_by("name"), to_field_name="code", empty_label="Any law"
    )
    due = django_filters.ChoiceFilter(
        label="Deadline within",
        choices=DUE_WINDOWS,
        method="filter_due",
        empty_label="Any time",
    )
    overdue = django_filters.BooleanFilter(
        label="Overdue", method="filter_overdue", widget=forms.CheckboxInput
    )
    deficient = django_filters.BooleanFilter(
        label="Deficient denial", method="filter_deficient", widget=forms.CheckboxInput
    )
    late = django_filters.BooleanFilter(
        label="Answered late", method="filter_late", widget=forms.CheckboxInput
    )
    sort = django_filters.ChoiceFilter(
        label="Sort by", choices=SORT_CHOICES, method="sort_by", empty_label=None
    )

    class Meta:
        model = RecordsRequest
        fields = ["q", "status", "agency", "technology", "law", "due"]

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        request = kwargs.get("request")
        menu = agency_menu(request.user) if request is not None else []
        agency_field_choices(self.form.fields["agency"], menu)
        use_fast_selects(self.form)

    def filter_agency(self, queryset, name, value):
        matches = agency_matches(value)
        return queryset.filter(matches) if matches else queryset

    def filter_title(self, queryset, name, value):
        return queryset.filter(title__icontains=value.strip()) if value.strip() else queryset

    def filter_due(self, queryset, name, value):
        return queryset.due_within(self.today, int(value))

    def filter_overdue(self, queryset, name, value):
        return queryset.overdue(self.today) if value else queryset

    def filter_deficient(self, queryset, name, value):
        return queryset.filter(is_deficient=True) if value else queryset

    def filter_late(self, queryset, name, value):
        return queryset.filter(is_late=True) if value else queryset

    def sort_by(self, queryset, name, value):
        return queryset.order_by(*SORTS.get(value, SORTS[DEFAULT_SORT]))

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        # With no (valid) ?sort= the list still has a stable, useful order.
        if not self.form.cleaned_data.get("sort"):
            queryset = queryset.order_by(*SORTS[DEFAULT_SORT])
        return queryset
