"""What a reminder email says: the event, the law, the one next action, and the links."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from rtcc_requests.common.dates import late_or_in, long_date
from rtcc_requests.outbox.renderers import Body
from rtcc_requests.requests.choices import DueKind
from rtcc_requests.requests.models import RecordsRequest

from .models import LATE_KINDS, Reminder, ReminderKind

# Production has no statutory deadline in the CPRA: records are made available promptly, at
# the date and time the agency estimated in its determination (cpra.md).
CPRA_PROMPTLY = "Gov. Code §7922.530 [former §6253(b)]"
CPRA_ESTIMATED_DATE = "Gov. Code §7922.535(a) [former §6253(c)]"


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
}


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


def _law_text(records_request: RecordsRequest, due_kind: str) -> str:
    law = records_request.law
    days = f"{law.response_days} {law.get_day_type_display().lower()}"
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
        answer += (
            f" A written notice may extend that by at most {law.extension_days} days "
            f"({law.extension_citation})."
        )
    return answer


def _headline(kind: str, due_label: str, deadline: date, today: date) -> str:
    due_label = due_label.capitalize()
    if kind in (ReminderKind.DUE_SOON, ReminderKind.DUE_TODAY):
        return f"{due_label} {late_or_in(deadline, today).replace('due today', 'today')}"
    if kind == ReminderKind.EXTENDED_PASSED:
        return "The extended deadline passed without a determination"
    if kind == ReminderKind.PRODUCTION_PASSED:
        return "The promised production date passed"
    if kind == ReminderKind.STILL_OVERDUE:
        return f"Still no answer, {late_or_in(deadline, today)}"
    return "The agency missed its deadline"


def _next_action(kind: str, due_kind: str) -> str:
    if kind in LATE_KINDS:
        if due_kind == DueKind.PRODUCTION:
            return "Send the follow-up letter asking when the records will be released."
        return "Send the follow-up letter reminding the agency of its legal deadline."
    return "Nothing to do yet: when the agency answers, log its response on the request page."


def event_view(reminder: Reminder, *, today: date, links: Links) -> EventView:
    records_request = reminder.request
    due_kind = reminder.due_kind or DueKind.DETERMINATION
    due_label = DueKind(due_kind).label
    url = links.request(records_request.pk)
    return EventView(
        kind=reminder.kind,
        headline=_headline(reminder.kind, due_label, reminder.deadline, today),
        what=_WHAT[due_kind],
        when=f"{long_date(reminder.deadline)}, {late_or_in(reminder.deadline, today)}",
        law=_law_text(records_request, due_kind),
        next_action=_next_action(reminder.kind, due_kind),
        agency=records_request.agency.name,
        title=records_request.title,
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
    return subject_line(
        kind=reminder.kind,
        due_kind=reminder.due_kind,
        deadline=reminder.deadline,
        agency=records_request.agency.name,
        title=records_request.title,
        today=today,
    )


def subject_line(
    *, kind: str, due_kind: str, deadline: date, agency: str, title: str, today: date
) -> str:
    """The subject line, without rendering the email (the sweep stores it, not the body)."""
    due_label = DueKind(due_kind or DueKind.DETERMINATION).label
    return f"{_headline(kind, due_label, deadline, today)}: {agency} – {title}"


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
        .select_related("request__agency", "request__law", "request__owner")
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
