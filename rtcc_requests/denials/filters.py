"""The denial log's filters; their state lives in the URL so a filtered view can be shared."""

from dataclasses import dataclass

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from rtcc_requests.agencies.filtering import agency_field_choices, agency_matches
from rtcc_requests.agencies.models import Agency, AgencyKind, Technology, TechnologyCategory
from rtcc_requests.agencies.selectors import approved_agencies
from rtcc_requests.common.widgets import use_fast_selects
from rtcc_requests.laws.models import Exemption, Law
from rtcc_requests.requests.models import Determination, RecordsRequest

YES_NO = (("yes", "Yes"), ("no", "No"))
# More agencies than this with public denials (a statewide log has thousands): the agency
# filter is a search box, since a menu that long helps nobody and costs the page its speed.
AGENCY_MENU_LIMIT = 100
# A denial is deficient when it breaks a rule of the law (see requests.models.Deficiency).
DEFICIENT = ~Q(deficiencies=[])
# The years a denial in the log can be from: no request here is older, and next year is a
# year away at most. Any other year is a form error, not a query (year 0 or 10000 is no date).
EARLIEST_YEAR = 1990


@dataclass(frozen=True)
class MenuChoices:
    agencies: list[tuple[str, str]]
    years: list[int]


class YearFilter(django_filters.Filter):
    field_class = forms.IntegerField

    def bound(self, *, today) -> None:
        """Read only the years from EARLIEST_YEAR to next year (`today` is the log's day)."""
        message = f"Give a year from {EARLIEST_YEAR} to {today.year + 1}."
        self.extra.update(
            min_value=EARLIEST_YEAR,
            max_value=today.year + 1,
            error_messages={"min_value": message, "max_value": message},
        )


def _yes_no(queryset: QuerySet, value: str, q) -> QuerySet:
    if value == "yes":
        return queryset.filter(q)
    if value == "no":
        return queryset.exclude(q)
    return queryset


class DenialFilter(django_filters.FilterSet):
    # A slug (from the menu or a link) or, typed, part of an agency's name.
    agency = django_filters.CharFilter(label="Agency", method="filter_agency")
    agency_kind = django_filters.ChoiceFilter(
        label="Kind of agency",
        field_name="request__agency__kind",
        choices=AgencyKind.choices,
        empty_label="Any kind",
    )
    county = django_filters.ChoiceFilter(
        label="County", field_name="request__agency__county", empty_label="Any county"
    )
    technology = django_filters.ModelChoiceFilter(
        label="Technology",
        to_field_name="slug",
        queryset=Technology.objects.all(),
        method="filter_technology",
        empty_label="Any technology",
    )
    technology_category = django_filters.ChoiceFilter(
        label="Technology category",
        choices=TechnologyCategory.choices,
        method="filter_technology_category",
        empty_label="Any category",
    )
    exemption = django_filters.ModelChoiceFilter(
        label="Exemption cited",
        queryset=Exemption.objects.select_related("law"),
        method="filter_exemption",
        empty_label="Any exemption",
    )
    law = django_filters.ModelChoiceFilter(
        label="Law",
        field_name="request__law",
        to_field_name="code",
        queryset=Law.objects.all(),
        empty_label="Any law",
    )
    year = YearFilter(label="Year of the denial", field_name="date", lookup_expr="year")
    deficient = django_filters.ChoiceFilter(
        label="Deficient denial", choices=YES_NO, method="filter_deficient", empty_label="Either"
    )
    late = django_filters.ChoiceFilter(
        label="Late response", choices=YES_NO, method="filter_late", empty_label="Either"
    )

    class Meta:
        model = Determination
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, fixed=(), **kwargs):
        super().__init__(data, queryset=queryset, **kwargs)
        # A page fixed to one agency or exemption neither shows nor reads that filter.
        for name in fixed:
            self.filters.pop(name, None)
        if "county" in self.filters:
            self.filters["county"].extra["choices"] = self._counties
        if "year" in self.filters:
            self.filters["year"].bound(today=timezone.localdate())

    @staticmethod
    def _counties() -> list[tuple[str, str]]:
        counties = (
            approved_agencies()
            .exclude(county="")
            .order_by("county")
            .values_list("county", flat=True)
        )
        return [(c, c) for c in counties.distinct()]

    def menu_choices(self) -> "MenuChoices":
        """The agencies (slug, name) and years that have public denials: two queries.

        Validation still accepts any agency or year (a bookmarked filter stays valid after
        its last row turns private); exports skip these.
        """
        # One pass over the rows for both lists; agency names come from a small lookup.
        pairs = self.queryset.order_by().values_list("request__agency_id", "date__year").distinct()
        agency_ids, years = set(), set()
        for agency_id, year in pairs:
            agency_ids.add(agency_id)
            years.add(year)
        listed = Agency.objects.filter(pk__in=agency_ids).order_by("name")
        return MenuChoices(
            agencies=list(listed.values_list("slug", "name")),
            years=sorted(years, reverse=True),
        )

    def list_choices(self, menus: "MenuChoices | None" = None) -> None:
        """For the HTML form: offer only agencies and years with public denials."""
        menus = menus or self.menu_choices()
        form = self.form
        if "agency" in form.fields:
            many = len(menus.agencies) > AGENCY_MENU_LIMIT
            agency_field_choices(form.fields["agency"], None if many else menus.agencies)
        if "year" in form.fields:
            form.fields["year"].widget = forms.Select(
                choices=[("", "Any year")] + [(y, y) for y in menus.years]
            )
        use_fast_selects(form)

    def filter_agency(self, queryset, name, value):
        matches = agency_matches(value, prefix="request__")
        return queryset.filter(matches) if matches else queryset

    def filter_technology(self, queryset, name, value):
        return queryset.filter(
            Exists(
                RecordsRequest.technologies.through.objects.filter(
                    recordsrequest_id=OuterRef("request_id"), technology=value
                )
            )
        )

    def filter_technology_category(self, queryset, name, value):
        return queryset.filter(
            Exists(
                RecordsRequest.technologies.through.objects.filter(
                    recordsrequest_id=OuterRef("request_id"), technology__category=value
                )
            )
        )

    def filter_exemption(self, queryset, name, value):
        return queryset.filter(
            Exists(
                Determination.exemptions.through.objects.filter(
                    determination_id=OuterRef("pk"), exemption=value
                )
            )
        )

    def filter_deficient(self, queryset, name, value):
        return _yes_no(queryset, value, DEFICIENT)

    def filter_late(self, queryset, name, value):
        return _yes_no(queryset, value, Q(is_late=True))


def filter_in_words(filterset) -> list[tuple[str, str, object]]:
    """(name, label, value as a reader reads it) for each filter value that could be read."""
    filterset.is_valid()  # cleaned_data then holds the values that could be read
    form = filterset.form
    described = []
    for name, value in form.cleaned_data.items():
        if value in (None, ""):
            continue
        field = form.fields[name]
        shown = value
        if isinstance(value, str):
            shown = dict(getattr(field, "choices", ())).get(value, value)
        if name == "agency":
            # A slug shows as the agency's name; typed text as itself.
            named = Agency.objects.filter(slug=value).values_list("name", flat=True).first()
            shown = named or value
        described.append((name, field.label, shown))
    return described
