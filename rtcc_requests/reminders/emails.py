"""What a reminder email says: the event, the law, the one next action, and the links."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from rtcc_requests.common.dates import late_or_in, long_date
from rtcc_requests.laws import calendar
from rtcc_requests.outbox.renderers import Body
from rtcc_requests.requests.choices import DueKind
from rtcc_requests.requests.models import RecordsRequest

from .models import APPEAL_DUE, APPEAL_KINDS, LATE_KINDS, Reminder, ReminderKind

# Production has no statutory deadline in the CPRA: records are made available promptly, at
# the date and time the agency estimated in its determination (cpra.md).
CPRA_PROMPTLY = "Gov. Code §7922.530 [former §6253(b)]"
CPRA_ESTIMATED_DATE = "Gov. Code §7922.535(a) [former §6253(c)]"
# The requester's own deadline under federal FOIA (cpra.md, "Other laws (as data)").
FOIA_APPEAL = "5 U.S.C. §552(a)(6)(A)(i)(III)(aa)"
BUSINESS_DAYS = "business"


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    body_text: str
    body_html: str
    headers: dict[str, str]


@dataclass(frozen=True)
class EventView:
    """One reminder as the templates show it."""

    kind: str
    headline: str
    what: str
    when: str
    law: str
    next_action: str
    agency: str
    title: str
    # The organization the request belongs to, or "" for a requester's own.
    organization: str
    request_url: str
    follow_up_url: str


def preferences_url() -> str:
    return settings.SITE_URL + reverse("accounts:profile")


def request_url(records_request: RecordsRequest) -> str:
    return settings.SITE_URL + reverse("requests:detail", kwargs={"pk": records_request.pk})


_PK_MARK = 987654321
_WHAT = {
    DueKind.DETERMINATION: "The agency's determination: whether it will release the records",
    DueKind.EXTENDED: "The agency's determination, after the extension it gave itself",
    DueKind.PRODUCTION: "The records the agency promised to release",
    APPEAL_DUE: "Your administrative appeal of the agency's adverse determination",
}
_DUE_LABELS = {**dict(DueKind.choices), APPEAL_DUE: "FOIA appeal deadline"}


def working_days_calendar(day_type: str, holiday_calendar: str) -> str | None:
    """The holiday calendar to count working days by, for a law that counts them."""
    return holiday_calendar if day_type == BUSINESS_DAYS else None


# Named here, not by strftime: the process locale must not change an email.
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _working_days(n: int) -> str:
    return f"{n} working day{'s' if n != 1 else ''}"


def working_days_after(start: date, end: date, holiday_calendar: str) -> int:
    """Working days after `start` up to and including `end`, by the law's holiday calendar.

    Arithmetic on whole weeks, then the holidays: the sweep writes a subject line for each
    of a hundred thousand emails, some about deadlines a year old.
    """
    total = (end - start).days
    weeks, rest = divmod(total, 7)
    counted = 5 * weeks + sum(
        (start + timedelta(days=7 * weeks + n)).weekday() < 5 for n in range(1, rest + 1)
    )
    holidays = 0
    for year in range(start.year, end.year + 1):
        holidays += sum(
            1
            for day in calendar.holiday_names(holiday_calendar, year)
            if start < day <= end and day.weekday() < 5
        )
    return counted - holidays


def countdown(deadline: date, today: date, *, working_days: str | None = None) -> str:
    """ "in 3 days", "due today", "2 days late"; in working days where the law counts them
    (`working_days` names its holiday calendar): "in 3 working days", "6 working days late"."""
    if working_days is None:
        return late_or_in(deadline, today)
    delta = (deadline - today).days
    if delta == 0:
        return "due today"
    if delta == 1:
        return "tomorrow"
    start, end = sorted((today, deadline))
    counted = working_days_after(start, end, working_days)
    if delta > 0:
        # A date that is no working day away (a weekend, a holiday) is named instead.
        return f"in {_working_days(counted)}" if counted else f"on {_WEEKDAYS[deadline.weekday()]}"
    if counted == 0:
        return "passed yesterday" if delta == -1 else f"passed on {_WEEKDAYS[deadline.weekday()]}"
    return f"{_working_days(counted)} late"


@dataclass(frozen=True)
class Links:
    """Absolute links resolved once per sweep: reverse() per email was a third of its time."""

    preferences: str
    request_pattern: str

    @classmethod
    def current(cls) -> "Links":
        pattern = settings.SITE_URL + reverse("requests:detail", kwargs={"pk": _PK_MARK})
        return cls(preferences=preferences_url(), request_pattern=pattern)

    def request(self, pk: int) -> str:
        return self.request_pattern.replace(str(_PK_MARK), str(pk))


def _day_count(n: int, law) -> str:
    """A period of the law, in its own days: "10 calendar days", "20 working days"."""
    if law.day_type == BUSINESS_DAYS:
        return _working_days(n)
    return f"{n} {law.get_day_type_display().lower()}"


def _law_text(records_request: RecordsRequest, due_kind: str) -> str:
    law = records_request.law
    days = _day_count(law.response_days, law)
    if due_kind == APPEAL_DUE:
        return (
            "This is your deadline to file an administrative appeal of the agency's adverse "
            f"determination under {FOIA_APPEAL}."
        )
    if due_kind == DueKind.PRODUCTION:
        if law.is_cpra:
            return (
                f"The agency must make disclosable records available promptly ({CPRA_PROMPTLY}), "
                f"at the date it estimated ({CPRA_ESTIMATED_DATE}). It promised this date."
            )
        return "The agency promised to produce the records by this date."
    answer = (
        f"The {law.short_name} requires the agency to decide whether it will release the "
        f"records within {days} of receiving the request ({law.response_citation})."
    )
    if due_kind == DueKind.EXTENDED and law.extension_days:
        extension = (
            _working_days(law.extension_days)
            if law.day_type == BUSINESS_DAYS
            else f"{law.extension_days} days"
        )
        answer += (
            f" A written notice may extend that by at most {extension} ({law.extension_citation})."
        )
    return answer


def _headline(
    kind: str, due_label: str, deadline: date, today: date, working_days: str | None = None
) -> str:
    due_label = due_label.capitalize()
    when = countdown(deadline, today, working_days=working_days)
    if kind in (ReminderKind.DUE_SOON, ReminderKind.DUE_TODAY):
        return f"{due_label} {when.replace('due today', 'today')}"
    if kind in (ReminderKind.APPEAL_SOON, ReminderKind.APPEAL_TODAY):
        return f"Your FOIA appeal deadline is {when.replace('due today', 'today')}"
    if kind == ReminderKind.APPEAL_PASSED:
        return "Your FOIA appeal deadline passed"
    if kind == ReminderKind.EXTENDED_PASSED:
        return "The extended deadline passed without a determination"
    if kind == ReminderKind.PRODUCTION_PASSED:
        return "The promised production date passed"
    if kind == ReminderKind.STILL_OVERDUE:
        return f"Still no answer, {when}"
    return "The agency missed its deadline"


def _next_action(kind: str, due_kind: str) -> str:
    if kind == ReminderKind.APPEAL_PASSED:
        return (
            "If you sent your appeal, log it on the request page. If not, the period to "
            "appeal has ended."
        )
    if kind in APPEAL_KINDS:
        return (
            "If you want to contest the determination, draft the FOIA appeal from the request "
            "page and send it before the deadline."
        )
    if kind in LATE_KINDS:
        if due_kind == DueKind.PRODUCTION:
            return "Send the follow-up letter asking when the records will be released."
        return "Send the follow-up letter reminding the agency of its legal deadline."
    return "Nothing to do yet: when the agency answers, log its response on the request page."


def event_view(reminder: Reminder, *, today: date, links: Links) -> EventView:
    records_request = reminder.request
    due_kind = reminder.due_kind or DueKind.DETERMINATION
    due_label = _DUE_LABELS[due_kind]
    law = records_request.law
    working_days = working_days_calendar(law.day_type, law.holiday_calendar)
    url = links.request(records_request.pk)
    when = countdown(reminder.deadline, today, working_days=working_days)
    return EventView(
        kind=reminder.kind,
        headline=_headline(reminder.kind, due_label, reminder.deadline, today, working_days),
        what=_WHAT[due_kind],
        when=f"{long_date(reminder.deadline)}, {when}",
        law=_law_text(records_request, due_kind),
        next_action=_next_action(reminder.kind, due_kind),
        agency=records_request.agency.name,
        title=records_request.title,
        organization=records_request.organization.name if records_request.organization else "",
        request_url=url,
        follow_up_url=url + "#follow-up" if reminder.kind in LATE_KINDS else "",
    )


def message_id(key: str) -> str:
    """A Message-ID fixed by the idempotency key, so even a mail client sees one message."""
    safe = "".join(c if c.isalnum() or c in "-_." else "." for c in key)
    return f"<{safe}@{settings.MAIL_DOMAIN}>"


def email_headers(key: str, unsubscribe: str) -> dict[str, str]:
    return {"Message-ID": message_id(key), "List-Unsubscribe": f"<{unsubscribe}>"}


def event_subject(reminder: Reminder, *, today: date) -> str:
    records_request = reminder.request
    law = records_request.law
    return subject_line(
        kind=reminder.kind,
        due_kind=reminder.due_kind,
        deadline=reminder.deadline,
        agency=records_request.agency.name,
        title=records_request.title,
        today=today,
        working_days=working_days_calendar(law.day_type, law.holiday_calendar),
    )


def subject_line(
    *,
    kind: str,
    due_kind: str,
    deadline: date,
    agency: str,
    title: str,
    today: date,
    working_days: str | None = None,
) -> str:
    """The subject line, without rendering the email (the sweep stores it, not the body).

    `working_days`: the holiday calendar of a law that counts working days, or None.
    """
    due_label = _DUE_LABELS[due_kind or DueKind.DETERMINATION]
    return f"{_headline(kind, due_label, deadline, today, working_days)}: {agency} – {title}"


def digest_subject(reminders: Sequence, *, today: date) -> str:
    """For reminders or the sweep's rows alike: it reads only their kinds."""
    count = f"{len(reminders)} deadline{'s' if len(reminders) != 1 else ''}"
    late = sum(1 for reminder in reminders if reminder.kind in LATE_KINDS)
    late_text = f", {late} late" if late else ""
    return f"Your deadlines on {long_date(today)}: {count}{late_text}"


def render_event_email(
    reminder: Reminder, *, today: date, key: str, links: Links | None = None
) -> RenderedEmail:
    links = links or Links.current()
    event = event_view(reminder, today=today, links=links)
    context = {"event": event, "today": long_date(today), "preferences_url": links.preferences}
    return RenderedEmail(
        subject=event_subject(reminder, today=today),
        body_text=render_to_string("reminders/email.txt", context),
        body_html=render_to_string("reminders/email.html", context),
        headers=email_headers(key, context["preferences_url"]),
    )


def render_digest_email(
    reminders: list[Reminder], *, today: date, key: str, links: Links | None = None
) -> RenderedEmail:
    links = links or Links.current()
    events = [event_view(reminder, today=today, links=links) for reminder in reminders]
    late = sum(1 for event in events if event.follow_up_url)
    context = {
        "events": events,
        "late": late,
        "today": long_date(today),
        "preferences_url": links.preferences,
    }
    return RenderedEmail(
        subject=digest_subject(reminders, today=today),
        body_text=render_to_string("reminders/digest.txt", context),
        body_html=render_to_string("reminders/digest.html", context),
        headers=email_headers(key, context["preferences_url"]),
    )


# Bodies written at send time (outbox/renderers.py): the sweep stores these names and
# arguments instead of rendering a hundred thousand emails in its transaction.
EVENT_RENDERER = "reminders.event"
DIGEST_RENDERER = "reminders.digest"


def render_args(reminders: Sequence, *, today: date) -> dict:
    return {"reminders": [reminder.pk for reminder in reminders], "today": today.isoformat()}


def _reminders_of(args) -> tuple[list[Reminder], date]:
    reminders = list(
        Reminder.objects.filter(pk__in=args["reminders"])
        .select_related("request__agency", "request__law", "request__organization")
        .order_by("request__next_due", "pk")
    )
    if not reminders:
        raise LookupError("Its deadlines no longer exist (the requests were deleted).")
    return reminders, date.fromisoformat(args["today"])


def event_body(args) -> Body:
    reminders, today = _reminders_of(args)
    email = render_event_email(reminders[0], today=today, key="")
    return Body(text=email.body_text, html=email.body_html)


def digest_body(args) -> Body:
    reminders, today = _reminders_of(args)
    email = render_digest_email(reminders, today=today, key="")
    return Body(text=email.body_text, html=email.body_html)
