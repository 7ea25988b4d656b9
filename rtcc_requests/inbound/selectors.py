"""Reads for the request page: the reply awaiting a determination, and what it suggests."""

from rtcc_requests.laws.models import Exemption
from rtcc_requests.requests.choices import CommunicationKind, Direction
from rtcc_requests.requests.models import Communication

from .suggest import Suggestion, suggest_determination


def latest_unanswered_reply(records_request) -> Communication | None:
    """The newest agency reply no determination was recorded from.

    Uses the request's prefetched communications and determinations when the page
    loaded them (no query), otherwise one query.
    """
    cache = getattr(records_request, "_prefetched_objects_cache", {})
    if "communications" in cache and "determinations" in cache:
        answered = {d.communication_id for d in records_request.determinations.all()}
        replies = [
            c
            for c in records_request.communications.all()
            if c.direction == Direction.INCOMING and c.pk not in answered
        ]
        return max(replies, key=lambda c: (c.sent_at, c.pk), default=None)
    return (
        Communication.objects.filter(
            request=records_request,
            direction=Direction.INCOMING,
            kind=CommunicationKind.REPLY,
            determinations__isnull=True,
        )
        .order_by("-sent_at", "-pk")
        .first()
    )


def latest_recorded_reply(records_request) -> tuple[Communication | None, list]:
    """The newest agency reply a determination was recorded from, and those determinations.

    From the page's prefetches when it loaded them (no query), otherwise two queries.
    """
    cache = getattr(records_request, "_prefetched_objects_cache", {})
    if "communications" in cache and "determinations" in cache:
        determinations = list(records_request.determinations.all())
        replies = list(records_request.communications.all())
    else:
        determinations = list(records_request.determinations.exclude(communication=None))
        replies = list(
            records_request.communications.filter(
                pk__in=[d.communication_id for d in determinations]
            )
        )
    answered = {d.communication_id for d in determinations}
    recorded = [c for c in replies if c.direction == Direction.INCOMING and c.pk in answered]
    reply = max(recorded, key=lambda c: (c.sent_at, c.pk), default=None)
    if reply is None:
        return None, []
    return reply, [d for d in determinations if d.communication_id == reply.pk]


def suggestions_for(records_request) -> tuple[Communication | None, list[Suggestion], dict]:
    """(reply, suggestions, {citation: Exemption}) with at most two queries."""
    reply = latest_unanswered_reply(records_request)
    if reply is None:
        return None, [], {}
    return reply, *suggestions_for_reply(records_request, reply)


def suggestions_for_reply(records_request, reply) -> tuple[list[Suggestion], dict]:
    """What `reply` suggests, and the request's law's exemptions it cites (one query)."""
    suggestions = suggest_determination(reply.body)
    cited = {c for s in suggestions for c in s.citations}
    exemptions = {}
    if cited:
        known = Exemption.objects.filter(law_id=records_request.law_id)
        by_section = {}
        for exemption in known:
            by_section[exemption.section.replace(" ", "")] = exemption
            if exemption.former_section:
                by_section.setdefault(exemption.former_section.replace(" ", ""), exemption)
        for citation in cited:
            match = by_section.get(citation.section) or by_section.get(citation.former)
            if citation.code != "Gov. Code":
                match = by_section.get(f"{citation.code}{citation.section}".replace(" ", ""))
            if match:
                exemptions[citation] = match
    return suggestions, exemptions
