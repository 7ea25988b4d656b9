"""Applying what an agency's reply suggests: the request page with the determination form
filled in from the reply, for the requester to check, change and record (nothing is saved
here)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from rtcc_requests.requests.choices import Direction
from rtcc_requests.requests.forms import DeterminationForm
from rtcc_requests.requests.views import changeable_or_403, render_detail

from .selectors import suggestions_for_reply


@login_required
@require_GET
def suggestion_apply(request: HttpRequest, pk: int, communication_pk: int) -> HttpResponse:
    records_request = changeable_or_403(request, pk)
    reply = records_request.communications.filter(
        pk=communication_pk, direction=Direction.INCOMING
    ).first()
    if reply is None:
        raise Http404("No such reply.")
    suggestions, exemptions = suggestions_for_reply(records_request, reply)
    chosen = next((s for s in suggestions if s.kind == request.GET.get("kind")), None)
    chosen = chosen or (suggestions[0] if suggestions else None)
    initial = {
        "response_date": timezone.localdate(reply.sent_at),
        "communication": reply.pk,
        "in_writing": True,
    }
    if chosen is not None:
        initial.update(
            kind=chosen.kind,
            exemptions=[exemptions[c].pk for c in chosen.citations if c in exemptions],
            extension_date=chosen.extension_date,
            extension_ground=chosen.extension_ground,
            extension_reason=chosen.extension_reason,
            fee_amount=chosen.fee_amount,
        )
    form = DeterminationForm(
        law=records_request.law, records_request=records_request, initial=initial, applied=True
    )
    return render_detail(request, records_request, determination_form=form)
