"""The legal calendar: when a public-records law's response is due.

Pure date functions (stdlib and the `holidays` package; nothing from Django) so the deadline
rules can be tested without a database. The legal facts are in cpra.md ("The CPRA clock"):
California counts calendar days under Code Civ. Proc. §§12 and 12a; FOIA, Illinois and Texas
count business days.

Every count takes an agency's own closure days (`closures`, day -> reason): Code Civ. Proc. §12b
makes a day the public office is closed for the whole day a holiday for the count. They are laid
over the cached holiday tables per call, never cached with them.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

import holidays

DayType = Literal["calendar", "business"]
Closures = Mapping[date, str]  # an agency's closure days: day -> reason ("Furlough day")

CLOSED = "agency closed: "  # how a skipped closure day's reason begins

CA_JUDICIAL = "ca-judicial"
# Holiday calendars taken from the `holidays` package as they are: name -> US subdivision.
_LIBRARY_CALENDARS: dict[str, str | None] = {"us-federal": None, "us-il": "IL", "us-tx": "TX"}
HOLIDAY_CALENDARS: tuple[str, ...] = (CA_JUDICIAL, *_LIBRARY_CALENDARS)

_MONDAY, _THURSDAY, _FRIDAY, _SATURDAY, _SUNDAY = 0, 3, 4, 5, 6
_WEEKEND = (_SATURDAY, _SUNDAY)
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# California judicial holidays (CCP §135, built on Gov. Code §6700), each with the dates it was
# in force (cpra.md, "California holidays for the count"). Our own table rather than the
# `holidays` package's US/CA calendar: that one lacks Lincoln Day and Native American Day, lists
# days that are not judicial holidays (Susan B. Anthony Day, Diwali) and knows nothing of the
# years a day was or was not one. A request is counted by the rules in force on each day.
CA_JUDICIAL_FROM = date(2015, 1, 1)  # the years the table is checked for; earlier is refused


@dataclass(frozen=True)
class HolidayRule:
    name: str
    on: Callable[[int], date]  # the holiday's own date in a year
    since: date | None = None  # first day the rule applies, if it began in our years
    until: date | None = None  # last day it applies, if it ended
    authority: str = ""  # the statute that began or ended it

    def in_force(self, day: date) -> bool:
        return (self.since is None or day >= self.since) and (
            self.until is None or day <= self.until
        )


def _fixed(month: int, day: int) -> Callable[[int], date]:
    return lambda year: date(year, month, day)


def _nth(month: int, weekday: int, n: int) -> Callable[[int], date]:
    return lambda year: _nth_weekday(year, month, weekday, n)


def _last_monday_of_may(year: int) -> date:
    last = date(year, 5, 31)
    return last - timedelta(days=(last.weekday() - _MONDAY) % 7)


CA_JUDICIAL_RULES: tuple[HolidayRule, ...] = (
    HolidayRule("New Year's Day", _fixed(1, 1)),
    HolidayRule("Dr. Martin Luther King, Jr. Day", _nth(1, _MONDAY, 3)),
    HolidayRule("Lincoln Day", _fixed(2, 12)),
    HolidayRule("Presidents' Day", _nth(2, _MONDAY, 3)),
    HolidayRule("Cesar Chavez Day", _fixed(3, 31)),
    HolidayRule("Memorial Day", _last_monday_of_may),
    HolidayRule(
        "Juneteenth", _fixed(6, 19), since=date(2023, 1, 1), authority="AB 1655, Stats. 2022"
    ),
    HolidayRule("Independence Day", _fixed(7, 4)),
    HolidayRule("Labor Day", _nth(9, _MONDAY, 1)),
    HolidayRule(
        "Native American Day",
        _nth(9, _FRIDAY, 4),
        since=date(2022, 1, 1),
        authority="AB 855, Stats. 2021 ch. 283",
    ),
    HolidayRule(
        "Columbus Day",
        _nth(10, _MONDAY, 2),
        until=date(2021, 12, 31),
        authority="AB 855, Stats. 2021 ch. 283",
    ),
    HolidayRule("Veterans Day", _fixed(11, 11)),
    HolidayRule("Thanksgiving", _nth(11, _THURSDAY, 4)),
    HolidayRule("Day after Thanksgiving", lambda year: _nth(11, _THURSDAY, 4)(year) + timedelta(1)),
    HolidayRule("Christmas Day", _fixed(12, 25)),
)


@dataclass(frozen=True)
class Unsettled:
    """A day whose status the law leaves open; the count says so in words."""

    name: str
    on: Callable[[int], date]
    years: range
    note: str


CA_JUDICIAL_UNSETTLED: tuple[Unsettled, ...] = (
    Unsettled(
        "Native American Day",
        _nth(9, _FRIDAY, 4),
        range(2015, 2017),
        "AB 1973 (Stats. 2014) made Native American Day a state holiday from 2015 and, for a "
        "while, arguably a judicial one; its status in 2015-2016 is unsettled. This count "
        "treats it as a court day",
    ),
)


class OutsideCalendar(ValueError):
    """A date the holiday calendar does not cover; the message says which dates it does."""


class UnknownHolidayCalendar(ValueError):
    def __init__(self, calendar: str) -> None:
        valid = ", ".join(HOLIDAY_CALENDARS)
        super().__init__(f"Unknown holiday calendar {calendar!r}; valid calendars: {valid}")


@dataclass(frozen=True)
class DeadlineRule:
    response_days: int
    day_type: DayType
    extension_days: int
    holiday_calendar: str

    def __post_init__(self) -> None:
        if self.holiday_calendar not in HOLIDAY_CALENDARS:
            raise UnknownHolidayCalendar(self.holiday_calendar)
        if self.day_type not in ("calendar", "business"):
            raise ValueError(f"day_type must be 'calendar' or 'business', not {self.day_type!r}")
        if self.response_days < 1 or self.extension_days < 0:
            raise ValueError("response_days must be at least 1 and extension_days at least 0")


@dataclass(frozen=True)
class SkippedDay:
    day: date
    reason: str


@dataclass(frozen=True)
class Deadline:
    received: date
    due: date
    days: int
    day_type: DayType
    extended: bool
    skipped: tuple[SkippedDay, ...]
    # Where the law is unsettled about a day the count depends on, said in words.
    unsettled: tuple[str, ...] = ()
    # The second reading of an extended calendar-day limit (the extension days added to the
    # limit after it was moved past holidays), when it is later than `due`; else None.
    arguably: date | None = None
    extension_days: int = 0  # of `days`, how many the extension added

    def explain(self) -> str:
        text = [self._counted()]
        if self.arguably is not None:
            limit = self.days - self.extension_days
            text.append(
                f"Read the other way (the {self.extension_days} extension days added to the "
                f"{limit}-day limit after it was moved past weekends and holidays), it is due "
                f"{format_day(self.arguably)}; the agency is late only after both dates."
            )
        return " ".join([*text, *(f"{note}." for note in self.unsettled)])

    def _counted(self) -> str:
        extended = " (extended)" if self.extended else ""
        text = f"{self.days} {self.day_type} days{extended} after received "
        text += format_day(self.received)
        if self.day_type == "business":
            weekend = sum(s.day.weekday() in _WEEKEND for s in self.skipped)
            excluded = [f"{weekend} weekend day{'s' if weekend > 1 else ''}"] if weekend else []
            excluded += [
                f"{s.reason} ({format_day(s.day)})"
                for s in self.skipped
                if s.day.weekday() not in _WEEKEND
            ]
            if excluded:
                text += f", not counting {', '.join(excluded)}"
        elif self.skipped:
            first = self.skipped[0]
            if first.reason in ("Saturday", "Sunday"):
                what = f"a {first.reason}"
            elif first.reason.startswith(CLOSED):
                what = f"a day the agency is closed ({first.reason.removeprefix(CLOSED)})"
            else:
                what = f"a holiday ({first.reason})"
            reasons = ", ".join(s.reason for s in self.skipped)
            text += f" is {format_day(first.day)}, {what}; skipped {reasons};"
            return f"{text} due {format_day(self.due)}."
        return f"{text}: due {format_day(self.due)}."


def format_day(day: date) -> str:
    """'Mon 16 Nov 2026', independent of the process locale."""
    return f"{_WEEKDAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]} {day.year}"


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def _ca_judicial_holidays_on_own_dates(year: int) -> dict[date, list[str]]:
    """CCP §135's list in force in one year, before Rules of Court rule 1.11 observance."""
    found: dict[date, list[str]] = {}
    for rule in CA_JUDICIAL_RULES:
        day = rule.on(year)
        if rule.in_force(day):
            found.setdefault(day, []).append(rule.name)
    return found


def _ca_judicial(year: int) -> dict[date, str]:
    # Rules of Court rule 1.11: a judicial holiday on a Saturday is also observed the preceding
    # Friday, on a Sunday the following Monday. Applied to every holiday alike (the library only
    # moves Cesar Chavez Day off a Sunday). Neighbouring years matter: 1 Jan 2028, a Saturday,
    # makes Fri 31 Dec 2027 a holiday.
    names: dict[date, list[str]] = {}
    for y in (year - 1, year, year + 1):
        for day, own in _ca_judicial_holidays_on_own_dates(y).items():
            names.setdefault(day, []).extend(own)
            shift = {_SATURDAY: -1, _SUNDAY: 1}.get(day.weekday())
            if shift is not None:
                observed = day + timedelta(days=shift)
                names.setdefault(observed, []).extend(f"{n} (observed)" for n in own)
    return {day: "; ".join(n) for day, n in sorted(names.items()) if day.year == year}


def _check_covered(calendar: str, day: date) -> None:
    if calendar == CA_JUDICIAL and day < CA_JUDICIAL_FROM:
        raise OutsideCalendar(
            f"California's judicial holidays are in this app's calendar from "
            f"{format_day(CA_JUDICIAL_FROM)} on; {format_day(day)} is earlier. Count this "
            "deadline by hand from the holidays in force then (Code Civ. Proc. §135)."
        )


@functools.lru_cache(maxsize=512)
def _holidays(calendar: str, year: int) -> dict[date, str]:
    if calendar == CA_JUDICIAL:
        return _ca_judicial(year)
    if calendar not in _LIBRARY_CALENDARS:
        raise UnknownHolidayCalendar(calendar)
    library = holidays.country_holidays(
        "US", subdiv=_LIBRARY_CALENDARS[calendar], years=(year, year + 1), observed=True
    )
    return {day: name for day, name in sorted(library.items()) if day.year == year}


def holiday_names(calendar: str, year: int) -> dict[date, str]:
    """The calendar's full-day holidays in `year` (weekends aside), observed dates included."""
    _check_covered(calendar, date(year, 12, 31))
    return dict(_holidays(calendar, year))


def non_business_reason(day: date, calendar: str, closures: Closures | None = None) -> str | None:
    """Why `day` is not counted (a holiday's name, "Saturday", "agency closed: ..."), or None.

    A calendar holiday or a weekend is named as such even when the agency also lists the day as
    a closure: the count is the same and the reason the more familiar one.
    """
    holiday = _holidays(calendar, day.year).get(day)
    if holiday is not None:
        return holiday
    if day.weekday() == _SATURDAY:
        return "Saturday"
    if day.weekday() == _SUNDAY:
        return "Sunday"
    if closures and (closed := closures.get(day)) is not None:
        return f"{CLOSED}{closed}"
    return None


def is_business_day(day: date, calendar: str, closures: Closures | None = None) -> bool:
    return non_business_reason(day, calendar, closures) is None


def _roll_forward(
    day: date, calendar: str, closures: Closures | None = None
) -> tuple[date, tuple[SkippedDay, ...]]:
    skipped: list[SkippedDay] = []
    while (reason := non_business_reason(day, calendar, closures)) is not None:
        skipped.append(SkippedDay(day, reason))
        day += timedelta(days=1)
    return day, tuple(skipped)


def next_business_day_on_or_after(
    day: date, calendar: str, closures: Closures | None = None
) -> date:
    return _roll_forward(day, calendar, closures)[0]


def _count_business_days(
    start: date, n: int, calendar: str, closures: Closures | None
) -> tuple[date, tuple[SkippedDay, ...]]:
    """The n-th business day after `start` (start itself for 0), and the days passed over."""
    if n < 0:
        raise ValueError(f"cannot count {n} business days: the count must be 0 or more")
    day, counted, excluded = start, 0, []
    while counted < n:
        day += timedelta(days=1)
        if (reason := non_business_reason(day, calendar, closures)) is None:
            counted += 1
        else:
            excluded.append(SkippedDay(day, reason))
    return day, tuple(excluded)


def add_working_days(
    start: date, n: int, holiday_calendar: str, closures: Closures | None = None
) -> date:
    """The n-th business day after `start` (`start` itself when n is 0).

    OutsideCalendar for a date the holiday calendar does not cover.
    """
    _check_covered(holiday_calendar, start)
    return _count_business_days(start, n, holiday_calendar, closures)[0]


def working_days_between(
    start: date, end: date, holiday_calendar: str, closures: Closures | None = None
) -> int:
    """How many business days d there are with start < d <= end (0 when end <= start).

    OutsideCalendar for a date the holiday calendar does not cover.
    """
    if end <= start:
        return 0
    _check_covered(holiday_calendar, start)
    return sum(
        non_business_reason(start + timedelta(days=n), holiday_calendar, closures) is None
        for n in range(1, (end - start).days + 1)
    )


def _unsettled(calendar: str, due: date, closures: Closures | None) -> tuple[str, ...]:
    """Notes for a due date that falls on a day the law may or may not make a holiday."""
    if calendar != CA_JUDICIAL:
        return ()
    notes = []
    for day_rule in CA_JUDICIAL_UNSETTLED:
        if due.year in day_rule.years and day_rule.on(due.year) == due:
            later, _ = _roll_forward(due + timedelta(days=1), calendar, closures)
            notes.append(
                f"{day_rule.note} ({format_day(due)}); if it was a holiday, the deadline is "
                f"{format_day(later)}"
            )
    return tuple(notes)


def determination_due(
    rule: DeadlineRule,
    received: date,
    *,
    extended: bool = False,
    closures: Closures | None = None,
) -> Deadline:
    """When the response is due for a request received on `received`.

    `closures` are the agency's own closure days (day -> reason), holidays for this count.
    OutsideCalendar for a date the holiday calendar does not cover (California before 2015).
    """
    calendar = rule.holiday_calendar
    _check_covered(calendar, received)
    extension = rule.extension_days if extended else 0
    days = rule.response_days + extension
    arguably = None
    if rule.day_type == "calendar":
        # CCP §12: exclude the day of receipt, include the last day; §12a: a last day that is a
        # holiday (every Saturday, Sunday and judicial holiday) moves to the next non-holiday.
        due, skipped = _roll_forward(received + timedelta(days=days), calendar, closures)
        if extension:
            # The second reading (cpra.md): the extension runs from the limit as §12a moved it.
            limit, _ = _roll_forward(
                received + timedelta(days=rule.response_days), calendar, closures
            )
            other, _ = _roll_forward(limit + timedelta(days=extension), calendar, closures)
            arguably = other if other > due else None
    else:
        # E.g. 5 U.S.C. §552(a)(6)(A)(i): "20 days (excepting Saturdays, Sundays, and legal public
        # holidays) after the date of receipt": the Nth business day after the day of receipt.
        due, skipped = _count_business_days(received, days, calendar, closures)
    unsettled = _unsettled(calendar, due, closures)
    return Deadline(
        received,
        due,
        days,
        rule.day_type,
        extended,
        skipped,
        unsettled,
        arguably=arguably,
        extension_days=extension,
    )


def extended_due(
    rule: DeadlineRule,
    received: date,
    *,
    notice_date: date | None = None,
    closures: Closures | None = None,
) -> tuple[date, bool]:
    """The extended due date and whether the agency's notice claimed more than the law allows.

    Gov. Code §7922.535(b): the notice names the date a determination is expected, at most 14 days
    beyond the limit; an earlier named date binds the agency, a later one is an over-long extension.
    The maximum is the first reading (`Deadline.due`); the second is `Deadline.arguably`.
    """
    maximum = determination_due(rule, received, extended=True, closures=closures).due
    if notice_date is None:
        return maximum, False
    return min(notice_date, maximum), notice_date > maximum


def days_late(due: date, responded: date) -> int:
    return max(0, (responded - due).days)


def days_between(start: date, end: date) -> int:
    return (end - start).days
