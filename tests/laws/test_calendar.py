"""Tests for the legal calendar. Expected dates were worked out by hand from a printed calendar
and cpra.md; none is computed with the code under test."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rtcc_requests.laws.calendar import (
    HOLIDAY_CALENDARS,
    Deadline,
    DeadlineRule,
    OutsideCalendar,
    SkippedDay,
    UnknownHolidayCalendar,
    add_working_days,
    days_between,
    days_late,
    determination_due,
    extended_due,
    holiday_names,
    is_business_day,
    next_business_day_on_or_after,
    non_business_reason,
    working_days_between,
)

CPRA = DeadlineRule(
    response_days=10, day_type="calendar", extension_days=14, holiday_calendar="ca-judicial"
)
FOIA = DeadlineRule(
    response_days=20, day_type="business", extension_days=10, holiday_calendar="us-federal"
)
ILLINOIS = DeadlineRule(
    response_days=5, day_type="business", extension_days=5, holiday_calendar="us-il"
)


def case(*values, label: str):
    """A parametrize row whose id reads as the situation it covers."""
    return pytest.param(*values, id=label)


# Day 10 (received + 10) lands on each California judicial holiday of 2025-2027.
CPRA_AROUND_HOLIDAYS = [
    # 2025
    case(date(2024, 12, 22), date(2025, 1, 2), label="2025-new-year-wed-1-jan"),
    case(date(2025, 1, 10), date(2025, 1, 21), label="2025-mlk-mon-20-jan"),
    case(date(2025, 2, 2), date(2025, 2, 13), label="2025-lincoln-wed-12-feb"),
    case(date(2025, 2, 7), date(2025, 2, 18), label="2025-presidents-mon-17-feb"),
    case(date(2025, 3, 21), date(2025, 4, 1), label="2025-cesar-chavez-mon-31-mar"),
    case(date(2025, 5, 16), date(2025, 5, 27), label="2025-memorial-mon-26-may"),
    case(date(2025, 6, 9), date(2025, 6, 20), label="2025-juneteenth-thu-19-jun"),
    case(date(2025, 6, 24), date(2025, 7, 7), label="2025-independence-fri-4-jul-then-weekend"),
    case(date(2025, 8, 22), date(2025, 9, 2), label="2025-labor-mon-1-sep"),
    case(date(2025, 9, 16), date(2025, 9, 29), label="2025-native-american-fri-26-sep"),
    case(date(2025, 11, 1), date(2025, 11, 12), label="2025-veterans-tue-11-nov"),
    case(date(2025, 11, 17), date(2025, 12, 1), label="2025-thanksgiving-thu-27-nov"),
    case(date(2025, 11, 18), date(2025, 12, 1), label="2025-day-after-thanksgiving-fri-28-nov"),
    case(date(2025, 12, 15), date(2025, 12, 26), label="2025-christmas-thu-25-dec"),
    # 2026
    case(date(2025, 12, 22), date(2026, 1, 2), label="2026-new-year-thu-1-jan"),
    case(date(2026, 1, 9), date(2026, 1, 20), label="2026-mlk-mon-19-jan"),
    case(date(2026, 2, 2), date(2026, 2, 13), label="2026-lincoln-thu-12-feb"),
    case(date(2026, 2, 6), date(2026, 2, 17), label="2026-presidents-mon-16-feb"),
    case(date(2026, 3, 21), date(2026, 4, 1), label="2026-cesar-chavez-tue-31-mar"),
    case(date(2026, 5, 15), date(2026, 5, 26), label="2026-memorial-mon-25-may"),
    case(date(2026, 6, 9), date(2026, 6, 22), label="2026-juneteenth-fri-19-jun-then-weekend"),
    case(date(2026, 6, 23), date(2026, 7, 6), label="2026-independence-observed-fri-3-jul"),
    case(date(2026, 6, 24), date(2026, 7, 6), label="2026-independence-sat-4-jul"),
    case(date(2026, 8, 28), date(2026, 9, 8), label="2026-labor-mon-7-sep"),
    case(date(2026, 9, 15), date(2026, 9, 28), label="2026-native-american-fri-25-sep"),
    case(date(2026, 11, 1), date(2026, 11, 12), label="2026-veterans-wed-11-nov"),
    case(date(2026, 11, 16), date(2026, 11, 30), label="2026-thanksgiving-thu-26-nov"),
    case(date(2026, 11, 17), date(2026, 11, 30), label="2026-day-after-thanksgiving-fri-27-nov"),
    case(date(2026, 12, 15), date(2026, 12, 28), label="2026-christmas-fri-25-dec-then-weekend"),
    # 2027
    case(date(2026, 12, 22), date(2027, 1, 4), label="2027-new-year-fri-1-jan-then-weekend"),
    case(date(2027, 1, 8), date(2027, 1, 19), label="2027-mlk-mon-18-jan"),
    case(date(2027, 2, 2), date(2027, 2, 16), label="2027-lincoln-fri-12-feb-weekend-presidents"),
    case(date(2027, 2, 5), date(2027, 2, 16), label="2027-presidents-mon-15-feb"),
    case(date(2027, 3, 21), date(2027, 4, 1), label="2027-cesar-chavez-wed-31-mar"),
    case(date(2027, 5, 21), date(2027, 6, 1), label="2027-memorial-mon-31-may"),
    case(date(2027, 6, 8), date(2027, 6, 21), label="2027-juneteenth-observed-fri-18-jun"),
    case(date(2027, 6, 9), date(2027, 6, 21), label="2027-juneteenth-sat-19-jun"),
    case(date(2027, 6, 24), date(2027, 7, 6), label="2027-independence-sun-4-jul"),
    case(date(2027, 6, 25), date(2027, 7, 6), label="2027-independence-observed-mon-5-jul"),
    case(date(2027, 8, 27), date(2027, 9, 7), label="2027-labor-mon-6-sep"),
    case(date(2027, 9, 14), date(2027, 9, 27), label="2027-native-american-fri-24-sep"),
    case(date(2027, 11, 1), date(2027, 11, 12), label="2027-veterans-thu-11-nov"),
    case(date(2027, 11, 15), date(2027, 11, 29), label="2027-thanksgiving-thu-25-nov"),
    case(date(2027, 11, 16), date(2027, 11, 29), label="2027-day-after-thanksgiving-fri-26-nov"),
    case(date(2027, 12, 14), date(2027, 12, 27), label="2027-christmas-observed-fri-24-dec"),
    case(date(2027, 12, 15), date(2027, 12, 27), label="2027-christmas-sat-25-dec"),
    case(date(2027, 12, 21), date(2028, 1, 3), label="2027-new-year-2028-observed-fri-31-dec"),
]

CPRA_ORDINARY_DAYS = [
    case(date(2026, 10, 5), date(2026, 10, 15), label="day-10-is-a-thursday"),
    case(date(2026, 10, 14), date(2026, 10, 26), label="day-10-is-a-saturday"),
    case(date(2026, 10, 15), date(2026, 10, 26), label="day-10-is-a-sunday"),
    case(date(2026, 1, 7), date(2026, 1, 20), label="saturday-sunday-then-mlk"),
    case(date(2026, 10, 17), date(2026, 10, 27), label="received-on-a-saturday-still-counts"),
    case(date(2026, 8, 21), date(2026, 8, 31), label="lands-on-month-end"),
    case(date(2026, 8, 22), date(2026, 9, 1), label="crosses-month-end"),
    case(date(2026, 12, 21), date(2026, 12, 31), label="lands-on-year-end"),
    case(date(2026, 12, 23), date(2027, 1, 4), label="crosses-year-end-onto-weekend"),
    case(date(2028, 2, 19), date(2028, 2, 29), label="leap-day-2028-is-day-10"),
    case(date(2028, 2, 20), date(2028, 3, 1), label="counts-leap-day-2028"),
    case(date(2026, 2, 19), date(2026, 3, 2), label="no-leap-day-2026"),
    case(date(2028, 2, 1), date(2028, 2, 14), label="lincoln-2028-sat-observed-fri-11-feb"),
]


class TestCpraDeterminationDue:
    @pytest.mark.parametrize(("received", "due"), CPRA_AROUND_HOLIDAYS)
    def test_day_ten_on_a_judicial_holiday_rolls_to_the_next_court_day(self, received, due):
        deadline = determination_due(CPRA, received)
        assert deadline.due == due
        assert deadline.skipped, "day 10 is a holiday, so the count must roll forward"

    @pytest.mark.parametrize(("received", "due"), CPRA_ORDINARY_DAYS)
    def test_weekends_month_and_year_ends_and_leap_days(self, received, due):
        assert determination_due(CPRA, received).due == due

    def test_thanksgiving_example_from_cpra_md(self):
        deadline = determination_due(CPRA, date(2026, 11, 16))
        assert deadline == Deadline(
            received=date(2026, 11, 16),
            due=date(2026, 11, 30),
            days=10,
            day_type="calendar",
            extended=False,
            skipped=(
                SkippedDay(date(2026, 11, 26), "Thanksgiving"),
                SkippedDay(date(2026, 11, 27), "Day after Thanksgiving"),
                SkippedDay(date(2026, 11, 28), "Saturday"),
                SkippedDay(date(2026, 11, 29), "Sunday"),
            ),
        )

    def test_no_roll_forward_skips_nothing(self):
        deadline = determination_due(CPRA, date(2026, 10, 5))
        assert deadline.skipped == ()
        assert deadline.days == 10

    @pytest.mark.parametrize(
        ("received", "due"),
        [
            case(date(2026, 11, 16), date(2026, 12, 10), label="24-days-on-a-thursday"),
            case(date(2026, 12, 1), date(2026, 12, 28), label="24-days-on-christmas-then-weekend"),
            case(date(2026, 12, 8), date(2027, 1, 4), label="24-days-on-new-year-then-weekend"),
        ],
    )
    def test_extended_counts_twenty_four_calendar_days(self, received, due):
        deadline = determination_due(CPRA, received, extended=True)
        assert (deadline.due, deadline.days, deadline.extended) == (due, 24, True)


class TestExtendedDue:
    def test_without_notice_is_the_maximum(self):
        assert extended_due(CPRA, date(2026, 12, 1)) == (date(2026, 12, 28), False)

    def test_notice_naming_a_later_date_is_flagged_and_capped(self):
        result = extended_due(CPRA, date(2026, 12, 1), notice_date=date(2026, 12, 30))
        assert result == (date(2026, 12, 28), True)

    def test_notice_naming_an_earlier_date_binds_the_agency(self):
        result = extended_due(CPRA, date(2026, 12, 1), notice_date=date(2026, 12, 18))
        assert result == (date(2026, 12, 18), False)

    def test_notice_naming_the_maximum_is_not_over_long(self):
        result = extended_due(CPRA, date(2026, 12, 1), notice_date=date(2026, 12, 28))
        assert result == (date(2026, 12, 28), False)

    def test_notice_date_between_day_24_and_the_rolled_maximum_is_allowed(self):
        # Day 24 is Christmas (Fri 25 Dec 2026); §12a carries the limit to Mon 28 Dec.
        result = extended_due(CPRA, date(2026, 12, 1), notice_date=date(2026, 12, 26))
        assert result == (date(2026, 12, 26), False)

    def test_law_without_extension_keeps_the_unextended_due_date(self):
        no_extension = DeadlineRule(10, "calendar", 0, "ca-judicial")
        result = extended_due(no_extension, date(2026, 11, 16), notice_date=date(2026, 12, 10))
        assert result == (date(2026, 11, 30), True)


class TestBusinessDayLaws:
    def test_foia_twenty_working_days_skip_veterans_day_and_thanksgiving(self):
        deadline = determination_due(FOIA, date(2026, 11, 2))
        assert deadline.due == date(2026, 12, 2)
        holidays_skipped = [s for s in deadline.skipped if s.reason not in ("Saturday", "Sunday")]
        assert holidays_skipped == [
            SkippedDay(date(2026, 11, 11), "Veterans Day"),
            SkippedDay(date(2026, 11, 26), "Thanksgiving Day"),
        ]
        assert len(deadline.skipped) == 10  # plus four weekends

    def test_foia_day_after_thanksgiving_is_a_federal_working_day(self):
        assert is_business_day(date(2026, 11, 27), "us-federal")

    def test_foia_extension_adds_ten_working_days(self):
        deadline = determination_due(FOIA, date(2026, 11, 2), extended=True)
        assert (deadline.due, deadline.days) == (date(2026, 12, 16), 30)
        assert extended_due(FOIA, date(2026, 11, 2)) == (date(2026, 12, 16), False)

    def test_foia_skips_the_observed_independence_day(self):
        assert determination_due(FOIA, date(2026, 6, 19)).due == date(2026, 7, 20)

    def test_illinois_five_business_days_skip_lincolns_birthday_and_presidents_day(self):
        assert determination_due(ILLINOIS, date(2026, 2, 6)).due == date(2026, 2, 17)
        assert determination_due(ILLINOIS, date(2026, 2, 6), extended=True).due == date(2026, 2, 24)


CA_JUDICIAL_2026 = {
    date(2026, 1, 1): "New Year's Day",
    date(2026, 1, 19): "Dr. Martin Luther King, Jr. Day",
    date(2026, 2, 12): "Lincoln Day",
    date(2026, 2, 16): "Presidents' Day",
    date(2026, 3, 31): "Cesar Chavez Day",
    date(2026, 5, 25): "Memorial Day",
    date(2026, 6, 19): "Juneteenth",
    date(2026, 7, 3): "Independence Day (observed)",
    date(2026, 7, 4): "Independence Day",
    date(2026, 9, 7): "Labor Day",
    date(2026, 9, 25): "Native American Day",
    date(2026, 11, 11): "Veterans Day",
    date(2026, 11, 26): "Thanksgiving",
    date(2026, 11, 27): "Day after Thanksgiving",
    date(2026, 12, 25): "Christmas Day",
}

# Every name on cpra.md's list that the code maps or adds; Juneteenth only from 2023.
CA_JUDICIAL_NAMES = {
    "New Year's Day",
    "Dr. Martin Luther King, Jr. Day",
    "Lincoln Day",
    "Presidents' Day",
    "Cesar Chavez Day",
    "Memorial Day",
    "Juneteenth",
    "Independence Day",
    "Labor Day",
    "Native American Day",
    "Veterans Day",
    "Thanksgiving",
    "Day after Thanksgiving",
    "Christmas Day",
}


def _names_in_force(year: int) -> set[str]:
    """cpra.md: Columbus Day through 2021 (AB 855), Native American Day from 2022 (AB 855),
    Juneteenth from 2023 (AB 1655); the rest of the list throughout 2015 on."""
    names = set(CA_JUDICIAL_NAMES)
    if year <= 2021:
        names = names - {"Native American Day"} | {"Columbus Day"}
    if year <= 2022:
        names -= {"Juneteenth"}
    return names


class TestCaJudicialHolidays:
    def test_2026_is_exactly_the_cpra_md_list(self):
        assert holiday_names("ca-judicial", 2026) == CA_JUDICIAL_2026

    def test_2027_observed_dates_follow_rule_1_11(self):
        names = holiday_names("ca-judicial", 2027)
        assert names[date(2027, 6, 18)] == "Juneteenth (observed)"
        assert names[date(2027, 7, 5)] == "Independence Day (observed)"
        assert names[date(2027, 12, 24)] == "Christmas Day (observed)"
        assert names[date(2027, 12, 31)] == "New Year's Day (observed)"
        assert len(names) == 18

    @pytest.mark.parametrize(
        ("day", "name"),
        [
            case(date(2023, 2, 13), "Lincoln Day (observed)", label="lincoln-sun-2023-to-monday"),
            case(date(2028, 2, 11), "Lincoln Day (observed)", label="lincoln-sat-2028-to-friday"),
            # The library moves Cesar Chavez Day only off a Sunday; rule 1.11 also off a Saturday.
            case(
                date(2029, 3, 30), "Cesar Chavez Day (observed)", label="chavez-sat-2029-to-friday"
            ),
            case(
                date(2024, 4, 1), "Cesar Chavez Day (observed)", label="chavez-sun-2024-to-monday"
            ),
            case(
                date(2028, 11, 10), "Veterans Day (observed)", label="veterans-sat-2028-to-friday"
            ),
            case(
                date(2023, 1, 2), "New Year's Day (observed)", label="new-year-sun-2023-to-monday"
            ),
        ],
    )
    def test_observed_dates_in_other_years(self, day, name):
        assert holiday_names("ca-judicial", day.year)[day] == name

    @pytest.mark.parametrize(
        ("day", "expected"),
        [
            case(date(2026, 2, 15), None, label="susan-b-anthony-sun-2026"),
            case(date(2027, 2, 15), "Presidents' Day", label="susan-b-anthony-on-presidents-2027"),
            case(date(2026, 11, 8), None, label="diwali-sun-2026"),
            case(date(2027, 10, 29), None, label="diwali-fri-2027"),
            case(date(2026, 10, 12), None, label="columbus-2026"),
            case(date(2026, 9, 9), None, label="admission-day-2026"),
            case(date(2026, 4, 24), None, label="genocide-remembrance-2026"),
            case(date(2026, 2, 17), None, label="lunar-new-year-2026"),
            case(date(2026, 4, 3), None, label="good-friday-2026"),
            case(date(2026, 11, 3), None, label="election-day-2026"),
        ],
    )
    def test_days_that_are_not_judicial_holidays_are_absent(self, day, expected):
        assert holiday_names("ca-judicial", day.year).get(day) == expected

    def test_no_name_outside_the_list_in_force_in_any_year(self):
        for year in range(2015, 2041):
            for combined in holiday_names("ca-judicial", year).values():
                for name in combined.split("; "):
                    assert name.removesuffix(" (observed)") in _names_in_force(year), (year, name)

    @pytest.mark.parametrize("year", range(2015, 2041))
    def test_every_judicial_holiday_in_force_is_present(self, year):
        found = {
            name.removesuffix(" (observed)")
            for combined in holiday_names("ca-judicial", year).values()
            for name in combined.split("; ")
        }
        assert found == _names_in_force(year)

    def test_juneteenth_is_a_judicial_holiday_only_from_2023(self):
        assert date(2022, 6, 20) not in holiday_names("ca-judicial", 2022)
        assert is_business_day(date(2022, 6, 20), "ca-judicial")
        assert holiday_names("ca-judicial", 2023)[date(2023, 6, 19)] == "Juneteenth"

    @pytest.mark.parametrize("year", range(2020, 2041))
    def test_weekend_holidays_are_observed_friday_or_monday(self, year):
        for day, name in holiday_names("ca-judicial", year).items():
            if "(observed)" in name:
                continue
            if day.weekday() == 5:
                assert non_business_reason(day - timedelta(days=1), "ca-judicial"), day
            if day.weekday() == 6:
                assert non_business_reason(day + timedelta(days=1), "ca-judicial"), day

    def test_result_is_a_copy_callers_cannot_corrupt_the_cache(self):
        holiday_names("ca-judicial", 2026).clear()
        assert holiday_names("ca-judicial", 2026) == CA_JUDICIAL_2026


class TestOtherHolidayCalendars:
    def test_us_federal_is_the_eleven_holidays_of_5_usc_6103(self):
        names = set(holiday_names("us-federal", 2026).values())
        assert names == {
            "New Year's Day",
            "Martin Luther King Jr. Day",
            "Washington's Birthday",
            "Memorial Day",
            "Juneteenth National Independence Day",
            "Independence Day",
            "Independence Day (observed)",
            "Labor Day",
            "Columbus Day",
            "Veterans Day",
            "Thanksgiving Day",
            "Christmas Day",
        }

    def test_us_federal_moves_new_year_2022_to_friday_31_december_2021(self):
        assert holiday_names("us-federal", 2021)[date(2021, 12, 31)] == "New Year's Day (observed)"

    def test_unknown_calendar_names_the_valid_ones(self):
        with pytest.raises(UnknownHolidayCalendar, match="ca-judicial, us-federal, us-il, us-tx"):
            holiday_names("ca-courts", 2026)
        with pytest.raises(ValueError, match="us-federal"):
            is_business_day(date(2026, 1, 1), "federal")

    def test_rule_with_unknown_calendar_is_rejected_when_built(self):
        with pytest.raises(UnknownHolidayCalendar):
            DeadlineRule(10, "calendar", 14, "california")


class TestBusinessDayHelpers:
    def test_non_business_reason_names_weekends_and_holidays(self):
        assert non_business_reason(date(2026, 11, 28), "ca-judicial") == "Saturday"
        assert non_business_reason(date(2026, 11, 29), "ca-judicial") == "Sunday"
        assert non_business_reason(date(2026, 7, 3), "ca-judicial") == (
            "Independence Day (observed)"
        )
        assert non_business_reason(date(2026, 11, 30), "ca-judicial") is None

    def test_next_business_day_on_or_after(self):
        assert next_business_day_on_or_after(date(2026, 11, 26), "ca-judicial") == date(
            2026, 11, 30
        )
        assert next_business_day_on_or_after(date(2026, 11, 30), "ca-judicial") == date(
            2026, 11, 30
        )
        assert next_business_day_on_or_after(date(2026, 11, 26), "us-federal") == date(2026, 11, 27)


class TestDayArithmetic:
    @pytest.mark.parametrize(
        ("due", "responded", "late"),
        [
            case(date(2026, 11, 30), date(2026, 11, 20), 0, label="early"),
            case(date(2026, 11, 30), date(2026, 11, 30), 0, label="on-the-due-date"),
            case(date(2026, 11, 30), date(2026, 12, 1), 1, label="next-day"),
            case(date(2026, 12, 28), date(2027, 1, 4), 7, label="across-new-year"),
        ],
    )
    def test_days_late(self, due, responded, late):
        assert days_late(due, responded) == late

    def test_days_between_is_end_minus_start(self):
        assert days_between(date(2028, 2, 28), date(2028, 3, 1)) == 2
        assert days_between(date(2026, 3, 1), date(2026, 2, 28)) == -1


class TestExplain:
    def test_names_the_skipped_holidays(self):
        text = determination_due(CPRA, date(2026, 11, 16)).explain()
        assert text == (
            "10 calendar days after received Mon 16 Nov 2026 is Thu 26 Nov 2026, a holiday "
            "(Thanksgiving); skipped Thanksgiving, Day after Thanksgiving, Saturday, Sunday; "
            "due Mon 30 Nov 2026."
        )

    def test_plain_when_nothing_is_skipped(self):
        text = determination_due(CPRA, date(2026, 10, 5)).explain()
        assert text == "10 calendar days after received Mon 5 Oct 2026: due Thu 15 Oct 2026."

    def test_weekend_landing(self):
        text = determination_due(CPRA, date(2026, 10, 14)).explain()
        assert "is Sat 24 Oct 2026, a Saturday; skipped Saturday, Sunday" in text

    def test_extended_is_said(self):
        text = determination_due(CPRA, date(2026, 12, 1), extended=True).explain()
        assert text.startswith("24 calendar days (extended) after received Tue 1 Dec 2026")
        assert "Christmas Day" in text

    def test_business_days_name_the_holidays_and_count_weekends(self):
        text = determination_due(FOIA, date(2026, 11, 2)).explain()
        assert text == (
            "20 business days after received Mon 2 Nov 2026, not counting 8 weekend days, "
            "Veterans Day (Wed 11 Nov 2026), Thanksgiving Day (Thu 26 Nov 2026): "
            "due Wed 2 Dec 2026."
        )


received_dates = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))
calendars = st.sampled_from(HOLIDAY_CALENDARS)


class TestProperties:
    @given(received=received_dates, calendar=calendars, extended=st.booleans())
    def test_calendar_day_due_is_the_first_business_day_from_day_n(
        self, received, calendar, extended
    ):
        rule = DeadlineRule(10, "calendar", 14, calendar)
        deadline = determination_due(rule, received, extended=extended)
        day_n = received + timedelta(days=24 if extended else 10)
        assert is_business_day(deadline.due, calendar)
        assert deadline.due >= day_n
        assert [s.day for s in deadline.skipped] == [
            day_n + timedelta(days=i) for i in range(days_between(day_n, deadline.due))
        ]
        assert all(not is_business_day(s.day, calendar) for s in deadline.skipped)

    @settings(max_examples=200)
    @given(a=received_dates, b=received_dates, calendar=calendars)
    def test_calendar_day_due_is_monotonic(self, a, b, calendar):
        rule = DeadlineRule(10, "calendar", 14, calendar)
        a, b = min(a, b), max(a, b)
        assert determination_due(rule, a).due <= determination_due(rule, b).due

    @given(
        received=received_dates,
        calendar=calendars,
        days=st.integers(min_value=1, max_value=30),
    )
    def test_business_day_due_is_the_nth_business_day(self, received, calendar, days):
        rule = DeadlineRule(days, "business", 0, calendar)
        deadline = determination_due(rule, received)
        assert is_business_day(deadline.due, calendar)
        between = [
            received + timedelta(days=i) for i in range(1, 1 + (deadline.due - received).days)
        ]
        assert sum(is_business_day(d, calendar) for d in between) == days
        assert [s.day for s in deadline.skipped] == [
            d for d in between if not is_business_day(d, calendar)
        ]

    @given(
        received=received_dates,
        notice=st.one_of(st.none(), st.dates(date(2020, 1, 1), date(2036, 3, 1))),
    )
    def test_extended_due_never_exceeds_the_statutory_maximum(self, received, notice):
        due, over_long = extended_due(CPRA, received, notice_date=notice)
        maximum = determination_due(CPRA, received, extended=True).due
        assert due <= maximum
        assert over_long == (notice is not None and notice > maximum)


# Requests from 2016-2022, counted by the judicial holidays in force on each day (cpra.md,
# "Before 2022 the list was different"). Worked out by hand: day 10 = received + 10; a day-10
# that is a Saturday, Sunday or judicial holiday (observed Friday/Monday, rule 1.11) moves on.
CPRA_HISTORIC = [
    # Columbus Day (2nd Monday of October) was a judicial holiday through 2021 ...
    case(date(2018, 9, 28), date(2018, 10, 9), label="2018-columbus-mon-8-oct-is-a-holiday"),
    case(date(2021, 10, 1), date(2021, 10, 12), label="2021-columbus-mon-11-oct-is-a-holiday"),
    # ... and not from 2022 (AB 855).
    case(date(2022, 9, 30), date(2022, 10, 10), label="2022-columbus-mon-10-oct-is-a-court-day"),
    # Native American Day (4th Friday of September) only from 2022.
    case(date(2018, 9, 18), date(2018, 9, 28), label="2018-native-american-fri-28-sep-court-day"),
    case(date(2022, 9, 13), date(2022, 9, 26), label="2022-native-american-fri-23-sep-holiday"),
    # Juneteenth: a California judicial holiday only from 2023 (AB 1655).
    case(date(2021, 6, 8), date(2021, 6, 18), label="2021-fri-18-jun-federal-only-court-day"),
    case(date(2022, 6, 9), date(2022, 6, 20), label="2022-juneteenth-sun-no-observed-monday"),
    case(date(2023, 6, 9), date(2023, 6, 20), label="2023-juneteenth-mon-19-jun-holiday"),
    # Lincoln Day, 12 February, throughout.
    case(date(2017, 2, 2), date(2017, 2, 14), label="2017-lincoln-sun-observed-mon-13-feb"),
    case(date(2019, 2, 2), date(2019, 2, 13), label="2019-lincoln-tue-12-feb"),
    # Cesar Chavez Day, 31 March, throughout; Saturday observed the Friday before.
    case(date(2018, 3, 20), date(2018, 4, 2), label="2018-chavez-sat-observed-fri-30-mar"),
    case(date(2019, 3, 21), date(2019, 4, 2), label="2019-chavez-sun-observed-mon-1-apr"),
    # Veterans Day, 11 November.
    case(date(2017, 10, 31), date(2017, 11, 13), label="2017-veterans-sat-observed-fri-10-nov"),
    case(date(2018, 11, 1), date(2018, 11, 13), label="2018-veterans-sun-observed-mon-12-nov"),
    # Year ends.
    case(date(2016, 12, 15), date(2016, 12, 27), label="2016-christmas-sun-observed-mon-26-dec"),
    case(date(2016, 12, 22), date(2017, 1, 3), label="2017-new-year-sun-observed-mon-2-jan"),
    case(date(2021, 12, 14), date(2021, 12, 27), label="2021-christmas-sat-observed-fri-24-dec"),
    case(date(2021, 12, 21), date(2022, 1, 3), label="2022-new-year-sat-observed-fri-31-dec"),
]


class TestHistoricDeadlines:
    @pytest.mark.parametrize(("received", "due"), CPRA_HISTORIC)
    def test_counted_by_the_holidays_in_force(self, received, due):
        assert determination_due(CPRA, received).due == due

    def test_the_skipped_columbus_day_is_named(self):
        deadline = determination_due(CPRA, date(2018, 9, 28))
        assert [s.reason for s in deadline.skipped] == ["Columbus Day"]

    def test_foia_counts_juneteenth_from_17_june_2021_observed_friday_18_june(self):
        # 20 working days after Fri 21 May 2021, not counting Memorial Day (Mon 31 May) and
        # Juneteenth observed (Fri 18 June; Pub. L. 117-17 of 17 June 2021): Tue 22 June.
        deadline = determination_due(FOIA, date(2021, 5, 21))
        assert deadline.due == date(2021, 6, 22)
        assert date(2021, 6, 18) in {s.day for s in deadline.skipped}

    def test_an_unsettled_native_american_day_is_said_in_words(self):
        # 2016: Native American Day was Fri 23 Sep; its judicial status then is unsettled.
        deadline = determination_due(CPRA, date(2016, 9, 13))
        assert deadline.due == date(2016, 9, 23)
        assert len(deadline.unsettled) == 1
        assert "unsettled" in deadline.explain()
        assert "if it was a holiday, the deadline is Mon 26 Sep 2016" in deadline.explain()

    def test_settled_years_carry_no_such_note(self):
        assert determination_due(CPRA, date(2018, 9, 18)).unsettled == ()
        assert determination_due(CPRA, date(2022, 9, 13)).unsettled == ()

    def test_california_before_2015_is_refused_not_guessed(self):
        with pytest.raises(OutsideCalendar, match="from Thu 1 Jan 2015 on; Mon 22 Dec 2014"):
            determination_due(CPRA, date(2014, 12, 22))
        with pytest.raises(OutsideCalendar):
            holiday_names("ca-judicial", 2014)

    def test_federal_counts_are_not_limited_to_2015(self):
        assert determination_due(FOIA, date(2014, 12, 1)).due == date(2014, 12, 30)


# Agency closure days (Code Civ. Proc. §12b: a day the office is closed all day is a holiday for
# the count). Autumn 2026 by hand: Sun 1 Nov; Veterans Day Wed 11 Nov; Thanksgiving Thu 26 Nov,
# the day after Fri 27 Nov (a judicial holiday, a federal working day); Christmas Fri 25 Dec.
FURLOUGH = "Furlough day"


class TestClosureDays:
    def test_a_closure_on_the_due_date_moves_it_to_the_next_open_day(self):
        # 16 Nov + 10 = Thu 26 Nov, rolled past the holidays and weekend to Mon 30 Nov; the agency
        # is closed that Monday too, so Tue 1 Dec.
        deadline = determination_due(
            CPRA, date(2026, 11, 16), closures={date(2026, 11, 30): FURLOUGH}
        )
        assert deadline.due == date(2026, 12, 1)
        assert deadline.skipped[-1] == SkippedDay(date(2026, 11, 30), "agency closed: Furlough day")

    def test_the_explanation_names_the_closure_and_why(self):
        # 3 Nov + 10 = Fri 13 Nov, a furlough day; then Saturday and Sunday: Mon 16 Nov.
        deadline = determination_due(
            CPRA, date(2026, 11, 3), closures={date(2026, 11, 13): FURLOUGH}
        )
        assert deadline.explain() == (
            "10 calendar days after received Tue 3 Nov 2026 is Fri 13 Nov 2026, a day the agency "
            "is closed (Furlough day); skipped agency closed: Furlough day, Saturday, Sunday; "
            "due Mon 16 Nov 2026."
        )

    def test_a_closure_inside_a_calendar_day_period_changes_nothing(self):
        # Calendar days count every day; only the last one moves (CCP §12a).
        deadline = determination_due(
            CPRA, date(2026, 11, 3), closures={date(2026, 11, 10): FURLOUGH}
        )
        assert deadline.due == date(2026, 11, 13)
        assert deadline.skipped == ()

    def test_business_days_do_not_count_a_closure(self):
        # FOIA: 20 working days after Mon 2 Nov are Wed 2 Dec (Veterans Day and Thanksgiving
        # not counted); a furlough on Fri 27 Nov, a federal working day, is not counted either:
        # Thu 3 Dec.
        deadline = determination_due(
            FOIA, date(2026, 11, 2), closures={date(2026, 11, 27): FURLOUGH}
        )
        assert deadline.due == date(2026, 12, 3)
        assert "agency closed: Furlough day (Fri 27 Nov 2026)" in deadline.explain()

    def test_a_closure_on_a_holiday_or_weekend_keeps_the_familiar_reason(self):
        closures = {date(2026, 11, 26): "City holiday", date(2026, 11, 28): FURLOUGH}
        assert non_business_reason(date(2026, 11, 26), "ca-judicial", closures) == "Thanksgiving"
        assert non_business_reason(date(2026, 11, 28), "ca-judicial", closures) == "Saturday"

    def test_helpers_take_closures(self):
        closures = {date(2026, 11, 30): FURLOUGH}
        assert non_business_reason(date(2026, 11, 30), "ca-judicial", closures) == (
            "agency closed: Furlough day"
        )
        assert not is_business_day(date(2026, 11, 30), "ca-judicial", closures)
        assert is_business_day(date(2026, 11, 30), "ca-judicial")
        assert next_business_day_on_or_after(date(2026, 11, 26), "ca-judicial", closures) == date(
            2026, 12, 1
        )

    def test_closures_are_not_remembered_by_the_next_count(self):
        closures = {date(2026, 11, 30): FURLOUGH}
        assert determination_due(CPRA, date(2026, 11, 16), closures=closures).due == date(
            2026, 12, 1
        )
        assert determination_due(CPRA, date(2026, 11, 16)).due == date(2026, 11, 30)
        assert date(2026, 11, 30) not in holiday_names("ca-judicial", 2026)

    def test_extended_due_counts_closures(self):
        # 16 Nov + 24 = Thu 10 Dec, a furlough day: Fri 11 Dec.
        closures = {date(2026, 12, 10): FURLOUGH}
        assert extended_due(CPRA, date(2026, 11, 16), closures=closures) == (
            date(2026, 12, 11),
            False,
        )
        assert extended_due(
            CPRA, date(2026, 11, 16), notice_date=date(2026, 12, 11), closures=closures
        ) == (date(2026, 12, 11), False)

    def test_the_unsettled_note_counts_closures_too(self):
        # 2016: Fri 23 Sep is the unsettled Native American Day; if it was a holiday the next
        # court day is Mon 26 Sep, but the agency was closed that Monday: Tue 27 Sep.
        deadline = determination_due(
            CPRA, date(2016, 9, 13), closures={date(2016, 9, 26): FURLOUGH}
        )
        assert deadline.due == date(2016, 9, 23)
        assert "if it was a holiday, the deadline is Tue 27 Sep 2016" in deadline.explain()


class TestSecondReadingOfTheExtension:
    """cpra.md: the 14 days may be added to the 10-day limit after §12a moved it."""

    def test_thanksgiving_example_reads_both_ways(self):
        # First reading: 16 Nov + 24 = Thu 10 Dec. Second: the limit, Mon 30 Nov, + 14 = Mon 14 Dec.
        deadline = determination_due(CPRA, date(2026, 11, 16), extended=True)
        assert deadline.due == date(2026, 12, 10)
        assert deadline.arguably == date(2026, 12, 14)

    def test_the_explanation_gives_the_other_date_and_when_the_agency_is_late(self):
        text = determination_due(CPRA, date(2026, 11, 16), extended=True).explain()
        assert text == (
            "24 calendar days (extended) after received Mon 16 Nov 2026: due Thu 10 Dec 2026. "
            "Read the other way (the 14 extension days added to the 10-day limit after it was "
            "moved past weekends and holidays), it is due Mon 14 Dec 2026; the agency is late "
            "only after both dates."
        )

    def test_a_limit_moved_past_a_holiday_weekend_reads_later(self):
        # 8 Jan 2026 + 10 = Sun 18 Jan; Mon 19 Jan is Dr. King Day: limit Tue 20 Jan, + 14 = Tue
        # 3 Feb. First reading: 8 Jan + 24 = Sun 1 Feb: Mon 2 Feb.
        deadline = determination_due(CPRA, date(2026, 1, 8), extended=True)
        assert (deadline.due, deadline.arguably) == (date(2026, 2, 2), date(2026, 2, 3))

    @pytest.mark.parametrize(
        ("received", "due"),
        [
            # 2 Nov + 10 = Thu 12 Nov, a court day; + 14 = Thu 26 Nov, as is 2 Nov + 24: both
            # roll past Thanksgiving to Mon 30 Nov.
            case(date(2026, 11, 2), date(2026, 11, 30), label="limit-not-moved"),
            # 7 Oct + 10 = Sat 17 Oct: limit Mon 19 Oct, + 14 = Mon 2 Nov; 7 Oct + 24 = Sat 31 Oct,
            # also Mon 2 Nov: a move over a weekend alone lands on the same day.
            case(date(2026, 10, 7), date(2026, 11, 2), label="limit-moved-over-a-weekend"),
        ],
    )
    def test_no_other_date_when_both_readings_agree(self, received, due):
        deadline = determination_due(CPRA, received, extended=True)
        assert (deadline.due, deadline.arguably) == (due, None)
        assert "Read the other way" not in deadline.explain()

    def test_a_closure_on_the_limit_makes_the_readings_differ(self):
        # 5 Oct + 10 = Thu 15 Oct, a furlough day: limit Fri 16 Oct, + 14 = Fri 30 Oct.
        # First reading: 5 Oct + 24 = Thu 29 Oct.
        closures = {date(2026, 10, 15): FURLOUGH}
        deadline = determination_due(CPRA, date(2026, 10, 5), extended=True, closures=closures)
        assert (deadline.due, deadline.arguably) == (date(2026, 10, 29), date(2026, 10, 30))

    def test_a_closure_on_the_second_date_moves_it(self):
        closures = {date(2026, 12, 14): FURLOUGH}
        deadline = determination_due(CPRA, date(2026, 11, 16), extended=True, closures=closures)
        assert (deadline.due, deadline.arguably) == (date(2026, 12, 10), date(2026, 12, 15))

    def test_only_an_extended_count_has_a_second_reading(self):
        assert determination_due(CPRA, date(2026, 11, 16)).arguably is None

    def test_business_day_laws_have_no_second_reading(self):
        # FOIA: 30 working days after Mon 2 Nov 2026 = Wed 16 Dec.
        deadline = determination_due(FOIA, date(2026, 11, 2), extended=True)
        assert (deadline.due, deadline.arguably) == (date(2026, 12, 16), None)

    @given(received=received_dates, calendar=calendars)
    def test_the_second_date_is_a_later_open_day(self, received, calendar):
        rule = DeadlineRule(10, "calendar", 14, calendar)
        deadline = determination_due(rule, received, extended=True)
        if deadline.arguably is not None:
            assert deadline.arguably > deadline.due
            assert is_business_day(deadline.arguably, calendar)
            limit = determination_due(rule, received).due
            assert deadline.arguably == next_business_day_on_or_after(
                limit + timedelta(days=14), calendar
            )


class TestWorkingDaysBetween:
    @pytest.mark.parametrize(
        ("start", "end", "count"),
        [
            case(date(2026, 11, 2), date(2026, 12, 2), 20, label="foia-twenty-working-days"),
            case(date(2026, 11, 9), date(2026, 11, 10), 1, label="end-counted-start-not"),
            case(date(2026, 11, 6), date(2026, 11, 8), 0, label="friday-to-sunday"),
            case(date(2026, 11, 6), date(2026, 11, 9), 1, label="friday-to-monday"),
            case(date(2026, 11, 10), date(2026, 11, 12), 1, label="over-veterans-day"),
            case(date(2026, 11, 10), date(2026, 11, 10), 0, label="same-day"),
            case(date(2026, 11, 12), date(2026, 11, 10), 0, label="end-before-start"),
        ],
    )
    def test_counts_business_days_after_start_up_to_end(self, start, end, count):
        assert working_days_between(start, end, "us-federal") == count

    def test_california_does_not_count_the_day_after_thanksgiving(self):
        # Wed 25 Nov to Mon 30 Nov: Thanksgiving, the day after, a weekend, then Monday.
        assert working_days_between(date(2026, 11, 25), date(2026, 11, 30), "ca-judicial") == 1
        assert working_days_between(date(2026, 11, 25), date(2026, 11, 30), "us-federal") == 2

    def test_closures_are_not_counted(self):
        closures = {date(2026, 11, 27): FURLOUGH}
        assert (
            working_days_between(date(2026, 11, 2), date(2026, 12, 2), "us-federal", closures) == 19
        )

    def test_california_before_2015_is_refused(self):
        with pytest.raises(OutsideCalendar):
            working_days_between(date(2014, 12, 1), date(2015, 1, 5), "ca-judicial")


class TestAddWorkingDays:
    @pytest.mark.parametrize(
        ("start", "n", "result"),
        [
            case(date(2026, 11, 2), 20, date(2026, 12, 2), label="foia-twenty-working-days"),
            case(date(2026, 11, 6), 1, date(2026, 11, 9), label="friday-plus-one-is-monday"),
            case(date(2026, 11, 10), 1, date(2026, 11, 12), label="over-veterans-day"),
            case(date(2026, 11, 7), 0, date(2026, 11, 7), label="zero-is-start-even-a-saturday"),
        ],
    )
    def test_the_nth_business_day_after_start(self, start, n, result):
        assert add_working_days(start, n, "us-federal") == result

    def test_closures_are_skipped(self):
        closures = {date(2026, 11, 27): FURLOUGH}
        assert add_working_days(date(2026, 11, 2), 20, "us-federal", closures) == date(2026, 12, 3)

    def test_a_negative_count_is_refused(self):
        with pytest.raises(ValueError, match="0 or more"):
            add_working_days(date(2026, 11, 2), -1, "us-federal")

    @given(start=received_dates, calendar=calendars, n=st.integers(min_value=0, max_value=40))
    def test_it_undoes_working_days_between(self, start, calendar, n):
        end = add_working_days(start, n, calendar)
        assert working_days_between(start, end, calendar) == n
        if n:
            assert is_business_day(end, calendar)
            assert working_days_between(start, end - timedelta(days=1), calendar) == n - 1
