"""Rows of the bulk data set: one realistic request at a time, consistent with the services.

The statuses, deadlines, lateness and deficiencies follow the services' rules
(requests/rules.py and the real deadline calendar), so the pages and sweeps meet data they
could have produced.
Rows are plain tuples in the column order of the *_COLUMNS constants (attribute names).
"""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import NamedTuple

from rtcc_requests.requests import rules
from rtcc_requests.requests.choices import (
    CommunicationKind,
    DeterminationKind,
    Direction,
    DueKind,
    EventKind,
    FilingMethod,
    LetterKind,
    Status,
    Visibility,
)
from rtcc_requests.requests.lifecycle import STATUS_FOR_DETERMINATION

from .shapes import (
    _CATCH_ALL_REASONS,
    _EXTENSION_GROUNDS,
    _FEE_BASES,
    _METHODS,
    _OFFICIALS,
    _OTHER_LAW,
    _SOUGHT,
    _STATUSES,
    _VISIBILITIES,
    HEAVY_OWNER_SHARES,
    Deadlines,
    ExemptionRef,
    Ids,
    Pools,
    Rows,
    _at,
    _below,
    _between,
    _pick,
)


class RequestBuilder:
    """Appends one request and its rows at a time; the caller owns the rng and the ids."""

    def __init__(self, *, pools: Pools, ids: Ids, today: date, communications: float, key: str):
        self.pools, self.ids, self.today = pools, ids, today
        self.communications = communications
        self.key = key  # demo_key prefix: identifies the data set and the request's index
        self.deadlines = Deadlines(pools.rule)
        self.rows = Rows()

    def owner(self, rng: random.Random) -> int:
        owners = self.pools.owners
        draw = rng.random()
        for rank, share in enumerate(HEAVY_OWNER_SHARES[: len(owners) - 1]):
            if draw < share:
                return owners[rank]
            draw -= share
        heavy = len(HEAVY_OWNER_SHARES)
        if len(owners) <= heavy:
            return owners[-1]
        return owners[heavy + _below(rng, len(owners) - heavy)]

    def add(self, rng: random.Random, index: int) -> None:
        """One request; draws from rng in a fixed order so a seed gives the same data."""
        pools, ids, today = self.pools, self.ids, self.today
        request_id = ids.request
        ids.request += 1
        owner = self.owner(rng)
        agency_id, agency_name, agency_email = pools.agencies[_below(rng, len(pools.agencies))]
        techs = rng.sample(pools.technologies, 1 + (rng.random() < 0.4) + (rng.random() < 0.15))
        status = _pick(rng, _STATUSES)
        visibility = Visibility.PRIVATE if status == Status.DRAFT else _pick(rng, _VISIBILITIES)
        embargo = (
            today + timedelta(days=_between(rng, -90, 90)) if visibility == "embargoed" else None
        )
        sought = _SOUGHT.format(tech=", ".join(t[1] for t in techs))
        r = _State(status=status, sought=sought, technology_slugs=tuple(t[2] for t in techs))

        if status == Status.DRAFT:
            created = today - timedelta(days=_below(rng, 60))
        else:
            # Open requests were received lately, so their deadlines fall around today.
            recent = rules.is_open(status) and status not in (
                Status.AWAITING_FEE, Status.PARTIAL, Status.PRODUCING
            )  # fmt: skip
            age = _below(rng, 45) if recent else _between(rng, 20, 1100 - 1)
            r.method = _pick(rng, _METHODS)
            r.filed = today - timedelta(days=age)
            r.received = r.filed
            if r.method == FilingMethod.MAIL:
                r.received = min(today, r.filed + timedelta(days=_between(rng, 2, 5)))
            r.due, extended_max, arguably = self.deadlines(r.received)
            r.next_due, r.next_due_kind = r.due, DueKind.DETERMINATION
            created = r.filed - timedelta(days=_below(rng, 3))
            self._plan(rng, r, extended_max, arguably)
        created_at = _at(created, rng)

        title = f"{techs[0][1]} records from {agency_name}"
        tracking = f"{(r.filed or today).year}-{_between(rng, 100, 99999 - 1)}" if r.filed else ""
        self.rows.requests.append(
            (
                request_id, owner, agency_id, pools.law_id, title[:200], sought, "", status,
                visibility, embargo, r.method, r.filed, r.received,
                tracking if rng.random() < 0.4 else "", f"{rng.getrandbits(120):030x}", r.due,
                r.extended_due, r.extended_due_arguably, r.promised, r.next_due, r.next_due_kind,
                r.responded, r.days_late, r.is_late, bool(r.deficiencies), r.deficiencies,
                r.procedure_flags, r.closed, f"{self.key}{index}", created_at,
                _at(r.last_day or created, rng),
            )
        )  # fmt: skip
        for tech_id, _name, _slug in techs:
            self.rows.technology_links.append((ids.technology_link, request_id, tech_id))
            ids.technology_link += 1
        self._children(rng, r, request_id=request_id, owner=owner, created_at=created_at,
                       title=title, agency_email=agency_email)  # fmt: skip

    def _plan(
        self, rng: random.Random, r: "_State", extended_max: date, arguably: date | None
    ) -> None:
        """Decide the agency's answers and what they did to the request's stored fields."""
        status, today = r.status, self.today
        # The last day the law lets the agency answer, read its way (as the services check).
        latest = arguably or extended_max
        answer = {
            Status.AWAITING_FEE: DeterminationKind.FEE_ESTIMATE,
            Status.RELEASED: DeterminationKind.RELEASED,
            Status.PARTIAL: DeterminationKind.PARTIAL,
            Status.NO_RECORDS: DeterminationKind.NO_RECORDS,
            Status.DENIED: DeterminationKind.DENIAL,
        }.get(status)
        if status == Status.CLOSED:
            answer = rng.choice(
                (DeterminationKind.RELEASED,) * 5
                + (DeterminationKind.DENIAL,) * 3
                + (DeterminationKind.NO_RECORDS,) * 2
            )
        if status == Status.ACKNOWLEDGED:
            day = self._answer_day(rng, r, on_time_days=5)
            promised = day + timedelta(days=_between(rng, 10, 60)) if rng.random() < 0.5 else None
            self._determine(rng, r, DeterminationKind.ACKNOWLEDGEMENT, day, latest,
                            promised=promised)  # fmt: skip
        elif status == Status.EXTENDED:
            # Always before the deadline: a late notice extends nothing (rules.extension_voided),
            # and an extended request's deadline is then the extended one.
            day = min(today, r.received + timedelta(days=_between(rng, 1, 9)))
            named = self._determine(rng, r, DeterminationKind.EXTENSION, day, latest)
            # Every notice names the maximum or later: an over-long one extends to it.
            r.extended_due = extended_max
            if arguably and named > extended_max:
                r.extended_due_arguably = min(named, arguably)
            r.next_due, r.next_due_kind = extended_max, DueKind.EXTENDED
        elif status == Status.CLARIFICATION:
            day = self._answer_day(rng, r, on_time_days=9)
            self._determine(rng, r, DeterminationKind.CLARIFICATION, day, latest)
        elif status == Status.PRODUCING:
            day = self._answer_day(rng, r, on_time_days=10)
            promised = day + timedelta(days=_between(rng, 14, 90)) if rng.random() < 0.85 else None
            self._determine(rng, r, DeterminationKind.DISCLOSABLE, day, latest,
                            promised=promised)  # fmt: skip
        elif answer is not None:
            day = self._answer_day(rng, r, on_time_days=10)
            promised = None
            if answer == DeterminationKind.PARTIAL and rng.random() < 0.4:
                promised = day + timedelta(days=_between(rng, 14, 90))
            self._determine(rng, r, answer, day, latest, promised=promised)
        if status in (Status.WITHDRAWN, Status.CLOSED):
            start = r.last_day or r.received
            r.closed = r.closed or min(today, start + timedelta(days=_below(rng, 30)))
            r.last_day = max(r.last_day or r.closed, r.closed)
            r.events.append((r.closed, EventKind.STATUS, r.current, status, f"{status.label}."))
            r.current = status
        if not rules.is_open(status) or status == Status.AWAITING_FEE:
            r.next_due, r.next_due_kind = None, ""
        elif r.promised and r.responded:
            r.next_due, r.next_due_kind = r.promised, DueKind.PRODUCTION
        elif r.responded:
            r.next_due, r.next_due_kind = None, ""

    def _answer_day(self, rng: random.Random, r: "_State", *, on_time_days: int) -> date:
        # Most agencies answer in time; a quarter are late, some by weeks.
        if rng.random() < 0.75:
            day = r.received + timedelta(days=_between(rng, 1, on_time_days))
        else:
            day = r.due + timedelta(days=_between(rng, 1, 45))
        return min(day, self.today)

    def _determine(
        self, rng, r: "_State", kind: str, day: date, maximum: date, promised=None
    ) -> date | None:
        """One answer of the agency; `maximum` is the last day the law allows an answer.
        Returns the date an extension notice names."""
        late_by = rules.days_late(kind, deadline=r.extended_due or r.due, answered_on=day)
        is_late = late_by > 0
        a = _Answer(kind=kind, day=day, promised=promised, is_late=is_late,
                    late_by=late_by if is_late else 0)  # fmt: skip
        if kind in rules.WITHHOLDING_KINDS:
            a = self._withholding(rng, r, a)
        elif kind == DeterminationKind.EXTENSION:
            ground, reason = rng.choice(_EXTENSION_GROUNDS)
            named = maximum
            if rng.random() < 0.1:
                named = maximum + timedelta(days=_between(rng, 1, 14))  # over-long
            a = a._replace(extension_date=named, extension_reason=reason, extension_ground=ground)
            r.add_flags(
                rules.extension_flags(notice_on=day, ground=ground, named_date=named,
                                      deadline=r.due, maximum=maximum, cpra=True)
            )  # fmt: skip
        elif kind == DeterminationKind.FEE_ESTIMATE:
            basis = list(rng.choice(_FEE_BASES))
            a = a._replace(fee=Decimal(_between(rng, 500, 250000 - 1)) / 100, fee_basis=basis)
            r.add_flags(rules.fee_flags(kind=kind, fee_basis=basis, cpra=True))
        else:
            r.add_flags(
                rules.promise_flags(kind=kind, promised_date=promised, maximum=maximum, cpra=True)
            )
        r.determinations.append(a)
        target = STATUS_FOR_DETERMINATION[kind]
        r.events.append((day, EventKind.STATUS, r.current, target, f"{kind.label} of {day}."))
        r.current = target
        r.last_day = day
        counted = rules.counts_against_clock(kind)
        if counted and r.responded is None and kind != DeterminationKind.EXTENSION:
            r.responded, r.is_late, r.days_late = day, is_late, a.late_by
        if kind == DeterminationKind.EXTENSION and is_late:
            r.is_late, r.days_late = True, late_by
        if promised:
            r.promised = promised
        if kind in rules.WITHHOLDING_KINDS:
            r.deficiencies = a.deficiencies
        if target in rules.CLOSING_STATUSES:
            r.closed = r.closed or day
        return a.extension_date

    def _withholding(self, rng, r: "_State", a: "_Answer") -> "_Answer":
        """A denial or partial release: its grounds, who signed it and what it lacks."""
        exemptions: list[ExemptionRef] = []
        if rng.random() < 0.85:
            exemptions = rng.sample(self.pools.exemptions, _between(rng, 1, 3))
        official = rng.choice(_OFFICIALS) if rng.random() < 0.7 else ("", "")
        second = rng.choice(_OFFICIALS) if rng.random() < 0.1 else official
        more = [{"name": second[0], "title": second[1]}] if second != official else []
        in_writing = rng.random() < 0.95
        reasons = _CATCH_ALL_REASONS if rng.random() < 0.5 else ""
        segregation_stated = rng.random() < 0.6
        other_law = _OTHER_LAW if rng.random() < 0.5 else ""
        if not any(e.section == rules.OTHER_LAW_SECTION for e in exemptions):
            other_law = ""
        deficiencies = rules.deficiencies(
            kind=a.kind,
            is_late=a.is_late,
            official_name=official[0],
            official_title=official[1],
            in_writing=in_writing,
            exemptions=exemptions,
            other_exemptions="",
            catch_all_reasons=reasons,
            more_officials=[(o["name"], o["title"]) for o in more],
            other_law=other_law,
            segregation_stated=segregation_stated,
            technology_slugs=r.technology_slugs,
            records_sought=r.sought,
            cpra=True,  # the bulk data is all CPRA
        )
        return a._replace(
            official=official,
            more_officials=more,
            in_writing=in_writing,
            reasons=reasons if any(e.is_catch_all for e in exemptions) else "",
            other_law=other_law,
            segregation_stated=segregation_stated,
            deficiencies=deficiencies,
            exemptions=exemptions,
        )

    def _children(self, rng, r: "_State", *, request_id, owner, created_at, title, agency_email):
        ids, rows = self.ids, self.rows
        event = rows.events.append
        event((ids.event, request_id, owner, created_at, EventKind.CREATED, "", "",
               "Draft created.", {}))  # fmt: skip
        ids.event += 1
        if r.filed is None:
            return
        filed_at = _at(r.filed, rng)
        event((ids.event, request_id, owner, filed_at, EventKind.STATUS, Status.DRAFT, Status.FILED,
               f"Filed by {r.method}.", {}))  # fmt: skip
        event((ids.event + 1, request_id, owner, filed_at, EventKind.DEADLINE, "", "",
               f"Determination due {r.due}.",
               {"determination_due": r.due.isoformat()}))  # fmt: skip
        ids.event += 2
        address = f"requester{owner}@bulk.invalid"
        comm = rows.communications.append
        comm((ids.communication, request_id, Direction.OUTGOING, CommunicationKind.LETTER,
              LetterKind.REQUEST, filed_at, f"Public records request: {title}"[:300],
              "Under the California Public Records Act ...", address, agency_email, "", False,
              "", "", "", owner, filed_at))  # fmt: skip
        ids.communication += 1
        for number, a in enumerate(r.determinations):
            at = _at(a.day, rng)
            reply_id = ids.communication
            comm((reply_id, request_id, Direction.INCOMING, CommunicationKind.REPLY, "", at,
                  f"RE: {title}"[:300], f"{a.kind.label}.", agency_email, address,
                  f"<{self.key}{request_id}.{number}@bulk.invalid>", False, "", "", "", owner,
                  at))  # fmt: skip
            ids.communication += 1
            determination_id = ids.determination
            ids.determination += 1
            rows.determinations.append(
                (determination_id, request_id, a.kind, a.day, "", a.official[0], a.official[1],
                 a.more_officials, a.in_writing, a.other_law, a.segregation_stated, a.fee,
                 a.fee_basis, a.promised, a.extension_date, a.extension_reason,
                 a.extension_ground, a.reasons, "", a.is_late, a.late_by, a.deficiencies,
                 reply_id, owner, at)
            )  # fmt: skip
            for exemption in a.exemptions:
                rows.exemption_links.append((ids.exemption_link, determination_id, exemption.id))
                ids.exemption_link += 1
        for day, kind, from_status, to_status, message in r.events:
            event((ids.event, request_id, owner, _at(day, rng), kind, from_status, to_status,
                   message, {}))  # fmt: skip
            ids.event += 1
        # The rest of the correspondence: follow-ups, more replies, notes to self.
        target = _between(rng, 0, round(2 * self.communications))
        start, span = r.filed, max(1, ((r.last_day or self.today) - r.filed).days)
        for _ in range(max(0, target - 1 - len(r.determinations))):
            at = _at(start + timedelta(days=_below(rng, span)), rng)
            draw = rng.random()
            if draw < 0.4:
                row = (Direction.INCOMING, CommunicationKind.REPLY, "", f"RE: {title}",
                       agency_email, address, False)  # fmt: skip
            elif draw < 0.7:
                row = (Direction.OUTGOING, CommunicationKind.LETTER, LetterKind.FOLLOW_UP,
                       f"Follow-up: {title}", address, agency_email, False)  # fmt: skip
            else:
                row = (Direction.INTERNAL, CommunicationKind.NOTE, "", "", "", "",
                       rng.random() < 0.5)  # fmt: skip
            comm((ids.communication, request_id, row[0], row[1], row[2], at, row[3][:300],
                  "Thank you for your message.", row[4], row[5], "", row[6], "", "", "", owner,
                  at))  # fmt: skip
            ids.communication += 1


class _Answer(NamedTuple):
    """One determination of the agency, as `_determine` decided it."""

    kind: str
    day: date
    promised: date | None
    is_late: bool
    late_by: int
    official: tuple[str, str] = ("", "")
    # Shared empty defaults, never mutated: _replace puts a new list in their place.
    more_officials: list = []
    in_writing: bool = True
    reasons: str = ""
    other_law: str = ""
    segregation_stated: bool = False
    fee: Decimal | None = None
    fee_basis: list = []
    extension_date: date | None = None
    extension_reason: str = ""
    extension_ground: str = ""
    deficiencies: list = []
    exemptions: list = []


@dataclass
class _State:
    status: str
    sought: str = ""
    technology_slugs: tuple[str, ...] = ()
    current: str = Status.FILED
    method: str = ""
    filed: date | None = None
    received: date | None = None
    due: date | None = None
    extended_due: date | None = None
    extended_due_arguably: date | None = None
    promised: date | None = None
    next_due: date | None = None
    next_due_kind: str = ""
    responded: date | None = None
    days_late: int = 0
    is_late: bool = False
    deficiencies: list = field(default_factory=list)
    # What the agency's other answers lacked: extensions, promised dates, fees.
    procedure_flags: list = field(default_factory=list)
    closed: date | None = None
    last_day: date | None = None
    determinations: list = field(default_factory=list)
    events: list = field(default_factory=list)

    def add_flags(self, codes: list[str]) -> None:
        if codes:  # as the services keep them: each code once, sorted
            self.procedure_flags = sorted({*self.procedure_flags, *codes})
