"""Request pages: thin views that check who is asking, then call one service or selector."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from rtcc_requests.agencies.models import Agency
from rtcc_requests.agencies.selectors import agencies_open_to, closure_days
from rtcc_requests.common.params import db_id
from rtcc_requests.requests.letters import selectors as letter_selectors
from rtcc_requests.requests.letters import services as letters

from . import composing, next_step, services
from .choices import FilingMethod, LetterKind, Status
from .forms import (
    AnswerForm,
    CloseForm,
    ComposerForm,
    DeterminationForm,
    FilingForm,
    NoteForm,
    ReplyForm,
    VisibilityForm,
    WithdrawForm,
)
from .letters.wording import placeholder_problem
from .lifecycle import TransitionError
from .models import RecordsRequest
from .rules import DECIDED_STATUSES, TERMINAL_STATUSES
from .selectors import (
    can_change,
    law_for_agency,
    request_for_viewer,
    request_timeline,
    technology_ids_for_agency,
)

REFUSED = (services.RequestError, TransitionError)


def visible_or_404(request: HttpRequest, pk: int) -> RecordsRequest:
    try:
        return request_for_viewer(pk=pk, user=request.user)
    except RecordsRequest.DoesNotExist as missing:
        # The same answer for "missing" and "private": existence is not disclosed.
        raise Http404("No such request.") from missing


def changeable_or_403(request: HttpRequest, pk: int) -> RecordsRequest:
    records_request = visible_or_404(request, pk)
    if not can_change(user=request.user, records_request=records_request):
        raise PermissionDenied("Only the requester can change this request.")
    return records_request


# --- Composer -------------------------------------------------------------------------------


@login_required
def request_new(request: HttpRequest) -> HttpResponse:
    return _compose(request, records_request=None)


@login_required
def request_edit(request: HttpRequest, pk: int) -> HttpResponse:
    records_request = changeable_or_403(request, pk)
    if records_request.status != Status.DRAFT:
        messages.error(request, "Only a draft can be edited; this request has been filed.")
        return redirect(records_request)
    return _compose(request, records_request=records_request)


def _compose(request: HttpRequest, *, records_request: RecordsRequest | None) -> HttpResponse:
    # The letter is signed by whoever the request belongs to (staff may edit a draft).
    signature = composing.signature_of(records_request.owner if records_request else request.user)
    if request.method != "POST":
        initial = composing.initial_for(
            records_request,
            user=request.user,
            agency_ref=request.GET.get("agency", ""),
            technology_ref=request.GET.get("technology", ""),
            checklist_ref=request.GET.get("checklist", ""),
        )
        form = _composer_form(request, records_request, initial=initial)
        return _render_composer(request, form, records_request)

    form = _composer_form(request, records_request, data=request.POST)
    action = request.POST.get("action", "save")
    if action == "draft":
        # The no-JS path: fill in what the agency implies and draft the letter, save nothing.
        form.is_valid()
        initial = composing.redraft(form, signature=signature)
        return _render_composer(
            request, _composer_form(request, records_request, initial=initial), records_request
        )
    if not form.is_valid():
        return _render_composer(request, form, records_request)
    data = form.cleaned_data
    foia = form.foia_options(data["law"])
    if data.get("organization") is not None:
        signature = composing.signature_of(request.user, data["organization"])
    letter_body = composing.letter_to_keep(form, saved=records_request, signature=signature)
    fields = {
        "agency": data["agency"],
        "law": data["law"],
        "title": data["title"],
        "records_sought": data["records_sought"],
        "letter_body": letter_body,
        "technologies": data["technologies"],
        **foia.as_fields(),
    }
    try:
        if records_request is None:
            records_request = services.request_create(
                owner=request.user, organization=data.get("organization"), **fields
            )
        else:
            records_request = services.request_update_draft(
                records_request=records_request, **fields
            )
    except REFUSED as refused:
        form.add_error(None, str(refused))
        return _render_composer(request, form, records_request)
    unfinished = placeholder_problem(letter_body)
    if action == "file" and unfinished:
        # Saved, so nothing typed is lost; not filed, so the agency never reads the brackets.
        messages.error(request, f"Draft saved but not filed. {unfinished}")
        return redirect("requests:edit", pk=records_request.pk)
    if action == "file":
        return redirect("requests:file", pk=records_request.pk)
    if unfinished:
        messages.warning(request, f"Draft saved. Before you file it: {unfinished}")
    else:
        messages.success(request, "Draft saved.")
    return redirect("requests:edit", pk=records_request.pk)


def _composer_form(request, records_request, **kwargs) -> ComposerForm:
    return ComposerForm(
        kwargs.pop("data", None),
        user=request.user,
        draft_agency_id=records_request.agency_id if records_request else None,
        **kwargs,
    )


def _render_composer(request, form: ComposerForm, records_request) -> HttpResponse:
    return render(
        request,
        "requests/composer.html",
        {
            "form": form,
            "req": records_request,
            "agencies": form.fields["agency"].queryset,
            "unfinished": placeholder_problem(form["body"].value() or ""),
        },
    )


@login_required
@require_GET
def composer_technologies(request: HttpRequest) -> JsonResponse:
    """The composer's defaults for one agency: its known technologies and its law."""
    try:
        agency = agencies_open_to(request.user).get(pk=db_id(request.GET.get("agency", "")))
    except (ValueError, Agency.DoesNotExist):
        return JsonResponse({"error": "Unknown agency."}, status=404)
    law = law_for_agency(agency=agency)
    return JsonResponse(
        {
            "technologies": technology_ids_for_agency(agency_id=agency.pk),
            "law": law.pk if law else None,
            "can_email": bool(agency.records_email),
        }
    )


# --- Filing ---------------------------------------------------------------------------------


@login_required
def request_file(request: HttpRequest, pk: int) -> HttpResponse:
    records_request = changeable_or_403(request, pk)
    if records_request.status != Status.DRAFT:
        messages.error(request, "This request has already been filed.")
        return redirect(records_request)
    can_email = bool(records_request.agency.records_email)
    if request.method != "POST":
        form = FilingForm(
            can_email=can_email,
            initial={
                "method": FilingMethod.EMAIL if can_email else FilingMethod.PORTAL,
                "filed_on": timezone.localdate(),
            },
        )
    else:
        form = FilingForm(request.POST, can_email=can_email)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data["method"] == FilingMethod.EMAIL:
                    letters.request_send_by_email(
                        records_request=records_request, actor=request.user
                    )
                    messages.success(request, "Sent by email. The clock starts on receipt.")
                else:
                    services.request_file(
                        records_request=records_request,
                        actor=request.user,
                        method=data["method"],
                        filed_on=data["filed_on"],
                        received_on=data["received_on"],
                        tracking_number=data["tracking_number"],
                    )
                    messages.success(request, "Filing recorded. The deadline is below.")
                    _keep_request_letter(request, records_request)
                return redirect(records_request)
            except REFUSED as refused:
                form.add_error(None, str(refused))
    return render(
        request,
        "requests/file.html",
        {"form": form, "req": records_request, "can_email": can_email},
    )


def _keep_request_letter(request, records_request: RecordsRequest) -> None:
    """The letter as sent, on the timeline with its PDF; the filing stands whatever happens."""
    try:
        letters.letter_queue(
            records_request=records_request, kind=LetterKind.REQUEST, actor=request.user
        )
    except REFUSED as refused:
        messages.warning(request, f"The letter's PDF could not be prepared: {refused}")


# --- The request page -----------------------------------------------------------------------


def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render_detail(request, visible_or_404(request, pk))


def render_detail(request, records_request: RecordsRequest, **bound) -> HttpResponse:
    today = timezone.localdate()
    changer = can_change(user=request.user, records_request=records_request)
    step = next_step.next_step(
        status=records_request.status,
        today=today,
        next_due=records_request.next_due,
        next_due_kind=records_request.next_due_kind,
        is_deficient=records_request.is_deficient,
        clock_paused=records_request.clock_paused_on is not None,
        appeal_due=records_request.appeal_due,
    )
    context = {
        "req": records_request,
        "can_change": changer,
        "today": today,
        "step": step,
        "deadlines": next_step.deadline_rows(
            records_request, today=today, closures=closure_days(agency=records_request.agency)
        ),
        "flags": next_step.flags(records_request, today=today),
        "timeline": request_timeline(records_request=records_request, include_private=changer),
        "items": list(records_request.items.select_related("exemption")),
        "has_suggestions": changer,
    }
    if changer:
        context["delivery_problems"] = letter_selectors.delivery_problems(
            records_request=records_request
        )
        open_request = records_request.status not in TERMINAL_STATUSES
        filed = open_request and records_request.status != Status.DRAFT
        context.update(
            can_log=filed,
            can_withdraw=open_request,
            can_close=records_request.status in DECIDED_STATUSES,
            reply_form=bound.get("reply_form")
            or ReplyForm(initial={"received_on": today, "from_address": ""}),
            determination_form=bound.get("determination_form")
            or DeterminationForm(
                law=records_request.law,
                records_request=records_request,
                initial={"response_date": today},
            ),
            can_answer=records_request.status in (Status.CLARIFICATION, Status.AWAITING_FEE),
            answer_form=bound.get("answer_form") or AnswerForm(initial={"answered_on": today}),
            note_form=bound.get("note_form") or NoteForm(),
            visibility_form=bound.get("visibility_form")
            or VisibilityForm(
                initial={
                    "visibility": records_request.visibility,
                    "embargo_until": records_request.embargo_until,
                }
            ),
            withdraw_form=bound.get("withdraw_form") or WithdrawForm(),
            close_form=bound.get("close_form") or CloseForm(),
            open_form=next(iter(bound), ""),
        )
    return render(request, "requests/request_detail.html", context)
