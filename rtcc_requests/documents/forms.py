"""The search box and its filters: a filter that cannot be read is ignored (and said so),
never an error page, and never loses the words typed."""

from django import forms

from rtcc_requests.agencies.filtering import agency_field_choices
from rtcc_requests.agencies.models import Technology
from rtcc_requests.common.params import bounded_int, search_text
from rtcc_requests.common.widgets import use_fast_selects
from rtcc_requests.requests.filters import AGENCY_MENU_LIMIT
from rtcc_requests.requests.public_filters import PUBLIC_STATUSES
from rtcc_requests.requests.selectors import public_agency_menu

from .search import KINDS, QUERY_LIMIT, SearchFilters

FIRST_YEAR = 2015  # the legal clock counts nothing earlier


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Search released records, requests and letters",
        required=False,
        widget=forms.TextInput(attrs={"type": "search"}),
        help_text='Words, "an exact phrase", or -word to leave a word out.',
    )
    kind = forms.ChoiceField(
        choices=[(kind, kind) for kind in KINDS], required=False, widget=forms.HiddenInput
    )
    agency = forms.CharField(label="Agency", required=False)
    technology = forms.ModelChoiceField(
        queryset=Technology.objects.order_by("name"),
        required=False,
        to_field_name="slug",
        empty_label="Any technology",
    )
    year = forms.IntegerField(required=False, min_value=FIRST_YEAR, max_value=2100)
    status = forms.ChoiceField(
        label="Determination",
        choices=[("", "Any determination"), *PUBLIC_STATUSES],
        required=False,
    )

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        agency_field_choices(
            self.fields["agency"], public_agency_menu(today=today, limit=AGENCY_MENU_LIMIT)
        )
        use_fast_selects(self)

    def _valid(self) -> dict:
        self.is_valid()  # what is valid is kept; what is not is reported beside its field
        return getattr(self, "cleaned_data", {})  # none on an empty (unbound) form

    def query(self) -> str:
        return search_text(self.data.get("q"), limit=QUERY_LIMIT)

    def filters(self) -> SearchFilters:
        data = self._valid()
        technology = data.get("technology")
        return SearchFilters(
            agency=data.get("agency") or "",
            technology_id=technology.pk if technology else None,
            year=data.get("year"),
            status=data.get("status") or "",
        )

    def result_kind(self) -> str:
        return self._valid().get("kind") or KINDS[0]


def page_number(value) -> int:
    return bounded_int(value, low=1, high=10_000) or 1
