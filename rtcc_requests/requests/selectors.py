"""Reads for pages and exports, with the joins that keep the query count constant."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from statistics import median

from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from rtcc_requests.accounts.organizations import changes_for
from rtcc_requests.agencies.models import Agency, Deployment, DeploymentStatus, Technology
from rtcc_requests.laws.models import Law

from .choices import Direction, EventKind, FilingMethod, ItemOutcome, LetterKind, Status
from .models import (
    Communication,
    Determination,
    RecordsRequest,
    RequestEvent,
    RequestItem,
    public_on_q,
)
from .rules import DECISION_KINDS, OPEN_STATUSES, WITHHOLDING_STATUSES


def request_for_viewer(*, pk: int, user) -> RecordsRequest:
    """The request if this user may see it; RecordsRequest.DoesNotExist otherwise."""
    visible = RecordsRequest.objects.visible_to(user, timezone.localdate())
    return (
        visible.select_related("agency", "law", "owner", "owner__profile")
        .prefetch_related(
            "technologies",
            Prefetch(
                "determinations",
                queryset=Determination.objects.prefetch_related("exemptions"),
            ),
            Prefetch(
                "communications", queryset=Communication.objects.prefetch_related("attachments")
            ),
            Prefetch("events", queryset=RequestEvent.objects.select_related("actor")),
        )
        .get(pk=pk)
    )


def can_change(*, user, records_request: RecordsRequest) -> bool:
    """Staff, the owner, and the editors and admins of the request's organization."""
    if not user.is_authenticated:
        return False
    if user.is_staff or records_request.owner_id == user.pk:
        return True
    return changes_for(user, records_request.organization_id)


# --- Composer and request page (ui-request) ---


def law_for_agency(*, agency) -> Law | None:
    """The records law an agency answers to: its state's law, or FOIA for federal agencies."""
    laws = list(Law.objects.filter(jurisdiction=agency.state).order_by("pk")[:1])
    return laws[0] if laws else None


def technology_ids_for_agency(*, agency_id: int) -> list[int]:
    """Technologies the agency is known to use (rejected proposals are not deployments)."""
    return sorted(
        set(
            Deployment.objects.filter(agency_id=agency_id)
            .exclude(status=DeploymentStatus.REJECTED)
            .values_list("technology_id", flat=True)
        )
    )


@dataclass(frozen=True)
class TimelineItem:
    kind: str  # "communication", "determination" or "event"
    day: date
    at: datetime
    item: object


def request_timeline(*, records_request: RecordsRequest, include_private: bool) -> list:
    """Letters, replies, determinations and other events in date order, from the prefetches.

    Events that only announce a logged communication or determination are left out: the item
    itself is on the timeline. Things are dated when they happened, not when they were typed in:
    a filing recorded days later sits on the filing date.
    """
    r = records_request
    determinations = list(r.determinations.all())
    items: list[TimelineItem] = []
    for communication in r.communications.all():
        if communication.is_private and not include_private:
            continue
        at = timezone.localtime(communication.sent_at)
        day = at.date()
        if (
            communication.letter_kind == LetterKind.REQUEST
            and r.filed_on
            and r.filing_method != FilingMethod.EMAIL
        ):
            day = min(day, r.filed_on)
        items.append(TimelineItem("communication", day, at, communication))
    for determination in determinations:
        at = timezone.localtime(determination.created_at)
        items.append(TimelineItem("determination", determination.date, at, determination))
    for event in r.events.all():
        if event.kind == EventKind.NOTE and not include_private:
            continue
        if "communication" in event.data or "determination" in event.data:
            continue
        at = timezone.localtime(event.at)
        items.append(TimelineItem("event", _event_day(event, r, determinations), at, event))
    return sorted(items, key=lambda i: (i.day, i.at))


def _event_day(event: RequestEvent, r: RecordsRequest, determinations: list) -> date:
    day = timezone.localtime(event.at).date()
    if event.kind == EventKind.CREATED and r.filed_on:
        return min(day, r.filed_on)
    if event.to_status == Status.FILED and r.filed_on:
        return r.filed_on
    if "determination_due" in event.data and r.received_on:
        return r.received_on
    # Deadline changes written with a determination (same transaction) take its date.
    for determination in determinations:
        if abs((determination.created_at - event.at).total_seconds()) < 5:
            return determination.date
    return day


# --- Dashboard, request list and public snippets (ui-lists) -------------------------------

DASHBOARD_GROUP_LIMIT = 20
RECENTLY_ANSWERED_DAYS = 30
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class DashboardGroup:
    key: str
    title: str
    explanation: str
    rows: list
    has_more: bool
    # Query string for /requests/ that lists the whole group, when the list can express it.
    list_query: str = ""


def _first(queryset, limit: int) -> tuple[list, bool]:
    # One row more than shown tells "there are more" without a COUNT query.
    rows = list(queryset[: limit + 1])
    return rows[:limit], len(rows) > limit


def _with_unanswered_reply(mine: QuerySet[RecordsRequest]) -> QuerySet[RecordsRequest]:
    """Annotate whether an agency reply that records no determination (a question, typically)
    is newer than anything the requester sent since."""
    last_out = (
        Communication.objects.filter(request=OuterRef("pk"), direction=Direction.OUTGOING)
        .order_by("-sent_at")
        .values("sent_at")[:1]
    )
    unanswered_reply = Communication.objects.filter(
        request=OuterRef("pk"), direction=Direction.INCOMING, determinations__isnull=True
    ).filter(sent_at__gt=Coalesce(OuterRef("last_out"), Value(_EPOCH)))
    return mine.annotate(last_out=Subquery(last_out)).annotate(
        unanswered_reply=Exists(unanswered_reply)
    )


def dashboard_groups(*, user, today: date, limit: int = DASHBOARD_GROUP_LIMIT):
    """The user's requests by what needs attention; a fixed number of queries (one per group).

    Every open request is in exactly one of the first four groups, the first that applies:
    overdue, awaiting the requester, due this week, waiting on the agency.
    """
    mine = RecordsRequest.objects.worked_on_by(user).select_related("agency", "law")
    open_mine = _with_unanswered_reply(mine.filter(status__in=OPEN_STATUSES))
    overdue = Q(next_due__lt=today)
    awaiting = Q(status__in=[Status.AWAITING_FEE, Status.CLARIFICATION]) | Q(unanswered_reply=True)
    this_week = Q(next_due__gte=today, next_due__lte=today + timedelta(days=7))
    answers = Determination.objects.filter(
        request=OuterRef("pk"),
        kind__in=DECISION_KINDS,
        date__gte=today - timedelta(days=RECENTLY_ANSWERED_DAYS),
    ).order_by("-date", "-pk")
    recently_answered = (
        mine.exclude(status__in=OPEN_STATUSES)
        .annotate(
            answered_on=Subquery(answers.values("date")[:1]),
            answer_kind=Subquery(answers.values("kind")[:1]),
        )
        .filter(answered_on__isnull=False)
        .order_by("-answered_on", "-pk")
    )
    specs = [
        (
            "overdue",
            "Overdue",
            "The agency missed its deadline: consider a follow-up letter.",
            open_mine.filter(overdue).order_by("next_due", "pk"),
            "overdue=on",
        ),
        (
            "awaiting_you",
            "Awaiting you",
            "A fee to pay, a question to answer, or a reply that may need your answer.",
            open_mine.filter(awaiting).exclude(overdue).order_by("-updated_at", "-pk"),
            "",
        ),
        (
            "due_this_week",
            "Due this week",
            "A deadline falls in the next 7 days.",
            open_mine.filter(this_week).exclude(overdue | awaiting).order_by("next_due", "pk"),
            "due=7",
        ),
        (
            "waiting",
            "Waiting on the agency",
            "Nothing to do yet: the next deadline is more than a week away.",
            open_mine.exclude(overdue | awaiting | this_week).order_by(
                F("next_due").asc(nulls_last=True), "pk"
            ),
            "",
        ),
        (
            "recently_answered",
            "Recently answered",
            f"A determination in the last {RECENTLY_ANSWERED_DAYS} days.",
            recently_answered,
            "",
        ),
        (
            "drafts",
            "Drafts",
            "Not filed yet.",
            mine.filter(status=Status.DRAFT).order_by("-updated_at", "-pk"),
            "status=draft",
        ),
    ]
    groups = []
    for key, title, explanation, queryset, list_query in specs:
        rows, has_more = _first(queryset, limit)
        groups.append(DashboardGroup(key, title, explanation, rows, has_more, list_query))
    return groups


def failed_emails_for(*, user, limit: int = 20):
    from rtcc_requests.outbox.models import OutboxMessage, OutboxStatus

    return list(
        OutboxMessage.objects.filter(user=user, status=OutboxStatus.FAILED)
        .select_related("records_request")
        .order_by("-created_at", "-pk")[:limit]
    )


def latest_public_denials(*, today: date, limit: int = 10) -> list[RecordsRequest]:
    return list(
        RecordsRequest.objects.public_on(today)
        .filter(status__in=WITHHOLDING_STATUSES)
        .select_related("agency", "law")
        .order_by(F("responded_on").desc(nulls_last=True), "-pk")[:limit]
    )


def requests_listed_for(*, user) -> QuerySet[RecordsRequest]:
    """The request list's base: your own and your organizations' (staff: everyone's)."""
    base = (
        RecordsRequest.objects.all() if user.is_staff else RecordsRequest.objects.worked_on_by(user)
    )
    return base.select_related("agency", "law", "owner").prefetch_related("technologies")


# --- Agency and technology pages: public requests only -------------------------------------

PUBLIC_REQUESTS_SHOWN = 50


def _public_requests(today: date) -> QuerySet[RecordsRequest]:
    return (
        RecordsRequest.objects.public_on(today)
        .select_related("agency", "law")
        .order_by("-filed_on", "-pk")
    )


def public_requests_to_agency(
    *, agency: Agency, today: date, limit: int = PUBLIC_REQUESTS_SHOWN
) -> list[RecordsRequest]:
    return list(
        _public_requests(today).filter(agency=agency).prefetch_related("technologies")[:limit]
    )


def public_requests_about_technology(
    *, technology: Technology, today: date, limit: int = PUBLIC_REQUESTS_SHOWN
) -> list[RecordsRequest]:
    return list(_public_requests(today).filter(technologies=technology)[:limit])


@dataclass(frozen=True)
class ResponseStats:
    requests: int
    answered: int
    answered_late: int
    denials: int
    deficient: int
    median_days: float | None
    silent_late: int = 0  # open, never answered, past the deadline

    @property
    def answers(self) -> list[tuple[str, int]]:
        """The public requests by how the agency answered them: the agency page's chart."""
        waiting = self.requests - self.answered - self.silent_late
        return [
            ("answered on time", self.answered - self.answered_late),
            ("answered late", self.answered_late),
            ("no answer, past due", self.silent_late),
            ("waiting", waiting),
        ]

    @property
    def late_share(self) -> int | None:
        """Percent of answered requests answered after the deadline."""
        return round(100 * self.answered_late / self.answered) if self.answered else None


def agency_response_stats(*, agency: Agency, today: date) -> ResponseStats:
    """Statistics over the agency's public requests only: private ones never leak into them."""
    public = RecordsRequest.objects.public_on(today).filter(agency=agency)
    totals = public.aggregate(
        requests=Count("pk"),
        answered=Count("pk", filter=Q(responded_on__isnull=False)),
        answered_late=Count("pk", filter=Q(responded_on__isnull=False, is_late=True)),
        denials=Count("pk", filter=Q(status__in=WITHHOLDING_STATUSES)),
        deficient=Count("pk", filter=Q(is_deficient=True)),
        silent_late=Count(
            "pk",
            filter=Q(responded_on__isnull=True, next_due__lt=today, status__in=OPEN_STATUSES),
        ),
    )
    # Two dates per answered request; the median is computed here to work on any database.
    spans = [
        (responded - received).days
        for received, responded in public.filter(
            responded_on__isnull=False, received_on__isnull=False
        ).values_list("received_on", "responded_on")
    ]
    return ResponseStats(**totals, median_days=median(spans) if spans else None)


def public_requests_listed(*, today: date) -> QuerySet[RecordsRequest]:
    """The public request browser's base: every request anyone may see today, newest filed
    first, with what a row shows (technologies prefetched: one more query per page)."""
    return _public_requests(today).prefetch_related("technologies")


def public_agency_menu(*, today: date, limit: int) -> list[tuple[str, str]] | None:
    """(slug, name) of the agencies with public requests, or None if more than `limit`: a
    menu built from the public set, so it names no agency only a private request reaches."""
    ids = list(
        RecordsRequest.objects.public_on(today)
        .order_by("agency_id")
        .values_list("agency_id", flat=True)
        .distinct()[: limit + 1]
    )
    if len(ids) > limit:
        return None
    return list(
        Agency.objects.filter(pk__in=ids).order_by("name", "pk").values_list("slug", "name")
    )


def public_feed_entries(*, requests: QuerySet[RecordsRequest], limit: int) -> list[RecordsRequest]:
    """The first `limit` of these (public) requests, each with `last_activity`: when its public
    record last changed. That is the latest letter or reply not kept private, determination or
    event other than a note, as recorded; never a private note, a private communication or a
    saved letter draft, all of which `updated_at` would betray. One query (the technologies
    prefetch aside), the subqueries evaluated for the rows returned."""
    latest_communication = (
        Communication.objects.filter(request=OuterRef("pk"), is_private=False)
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    latest_determination = (
        Determination.objects.filter(request=OuterRef("pk"))
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    # A communication's own event says when it was logged, private or not: the public ones
    # are counted above, from the communication.
    latest_event = (
        RequestEvent.objects.filter(request=OuterRef("pk"))
        .exclude(kind=EventKind.NOTE)
        .exclude(data__has_key="communication")
        .order_by("-at")
        .values("at")[:1]
    )
    return list(
        requests.annotate(
            last_activity=Greatest(
                Coalesce(Subquery(latest_communication), F("created_at")),
                Coalesce(Subquery(latest_determination), F("created_at")),
                Coalesce(Subquery(latest_event), F("created_at")),
            )
        )[:limit]
    )


def released_checklist_items(*, agency, checklist_item_ids, today: date) -> dict[int, RequestItem]:
    """For each of these checklist items, a public request to `agency` whose answer released
    it (the latest filed), if there is one: the record we hold. One query (none for none)."""
    checklist_item_ids = list(checklist_item_ids)
    if not checklist_item_ids:
        return {}
    released = (
        RequestItem.objects.filter(
            request__agency=agency,
            checklist_item_id__in=checklist_item_ids,
            outcome__in=[ItemOutcome.RELEASED, ItemOutcome.PARTLY],
        )
        .filter(public_on_q(today, prefix="request__"))
        .select_related("request")
        .order_by("checklist_item_id", "-request__filed_on", "-pk")
    )
    found: dict[int, RequestItem] = {}
    for item in released:
        found.setdefault(item.checklist_item_id, item)
    return found


RELEASED_ELSEWHERE_LIMIT = 5


def released_elsewhere(*, records_request, today: date) -> list[tuple[RequestItem, list]]:
    """Each item this request's agency withheld (in full or in part) that other agencies
    released in public requests, with those requests' items (at most five per item, the
    latest filed first): what a challenge can cite. Two queries."""
    withheld = [
        item
        for item in records_request.items.all()
        if item.checklist_item_id
        and item.outcome in (ItemOutcome.WITHHELD, ItemOutcome.PARTLY, ItemOutcome.NO_RECORDS)
    ]
    if not withheld:
        return []
    others = (
        RequestItem.objects.filter(
            checklist_item_id__in=[i.checklist_item_id for i in withheld],
            outcome__in=[ItemOutcome.RELEASED, ItemOutcome.PARTLY],
        )
        .exclude(request__agency_id=records_request.agency_id)
        .filter(public_on_q(today, prefix="request__"))
        .select_related("request__agency")
        .order_by("checklist_item_id", "-request__filed_on", "-pk")
    )
    by_item: dict[int, list] = {}
    for other in others:
        found = by_item.setdefault(other.checklist_item_id, [])
        if len(found) < RELEASED_ELSEWHERE_LIMIT:
            found.append(other)
    return [
        (item, by_item[item.checklist_item_id])
        for item in withheld
        if item.checklist_item_id in by_item
    ]
