"""Print a law's determination deadline: the date alone on line one, for scripts."""

from datetime import date

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError

from rtcc_requests.laws import calendar
from rtcc_requests.laws.models import Law


def _agency_closures(slug: str) -> tuple[str, dict[date, str]]:
    """The agency's name and closure days (Code Civ. Proc. §12b), CommandError if unknown.

    `laws` and `agencies` share a layer and must not import each other (ARCHITECTURE.md,
    lint-imports), so the models are looked up in the app registry at run time instead.
    """
    agency = apps.get_model("agencies", "Agency").objects.filter(slug=slug).first()
    if agency is None:
        raise CommandError(f"Unknown agency {slug!r}")
    closures = apps.get_model("agencies", "ClosureDay").objects.filter(agency=agency)
    return agency.name, dict(closures.values_list("day", "reason"))


class Command(BaseCommand):
    help = (
        "Print the date a response is due under LAW for a request received on RECEIVED "
        "(YYYY-MM-DD): the date alone on the first line, then why."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("law", help="Law code, e.g. ca-cpra, us-foia.")
        parser.add_argument("received", help="Date the agency received the request, YYYY-MM-DD.")
        parser.add_argument(
            "--extended", action="store_true", help="With the longest extension the law allows."
        )
        parser.add_argument(
            "--agency",
            metavar="SLUG",
            help="Count that agency's closure days as holidays (Code Civ. Proc. §12b).",
        )

    def handle(
        self, *args, law: str, received: str, extended: bool, agency: str | None, **options
    ) -> None:
        try:
            received_on = date.fromisoformat(received)
        except ValueError as bad:
            raise CommandError(f"RECEIVED must be a date as YYYY-MM-DD, not {received!r}") from bad
        found = Law.objects.filter(code=law).first()
        if found is None:
            codes = ", ".join(Law.objects.order_by("code").values_list("code", flat=True))
            raise CommandError(f"Unknown law {law!r}; known laws: {codes or 'none loaded'}")
        if extended and found.extension_days == 0:
            raise CommandError(f"The {found.short_name} provides no extension.")
        agency_name, closures = _agency_closures(agency) if agency else ("", {})
        try:
            deadline = calendar.determination_due(
                found.deadline_rule, received_on, extended=extended, closures=closures
            )
        except calendar.OutsideCalendar as outside:
            raise CommandError(str(outside)) from outside
        self.stdout.write(deadline.due.isoformat())
        cited = (
            found.extension_citation if extended else found.response_citation
        ) or found.citation
        counting = f", counting the closure days of {agency_name}" if agency_name else ""
        self.stdout.write(f"{found.name} ({cited}){counting}:")
        self.stdout.write(deadline.explain())
        holidays = [s for s in deadline.skipped if s.reason not in ("Saturday", "Sunday")]
        if holidays:
            names = "; ".join(f"{calendar.format_day(s.day)}: {s.reason}" for s in holidays)
            self.stdout.write(f"Holidays skipped: {names}")
        if deadline.arguably:
            self.stdout.write(
                f"Arguably due {deadline.arguably.isoformat()}: read the other way; the agency "
                "is late only after both dates."
            )
