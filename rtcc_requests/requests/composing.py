"""The composer's defaults: what an agency implies (technologies, law) and the drafted letter."""

from django.core.validators import slug_re

from rtcc_requests.agencies.models import Agency, ChecklistItem, Technology
from rtcc_requests.agencies.selectors import agencies_open_to
from rtcc_requests.common.params import db_id

from .items import as_list
from .letters.wording import (
    SOUGHT_PLACEHOLDER,
    FoiaOptions,
    fill_placeholders,
    request_body,
    signature_lines,
)
from .models import RecordsRequest
from .selectors import law_for_agency


def signature_of(user, organization=None) -> str:
    """How `user` signs letters (for `organization`, over its letterhead)."""
    return signature_lines(getattr(user, "profile", None), organization)


def _find_agency(reference: str, *, user) -> Agency | None:
    """`?agency=` takes a slug (links from agency pages) or an id (the composer's own select).

    Anything else (an id beyond the database's integers, a NUL) names no agency.
    """
    if not reference:
        return None
    if reference.isascii() and reference.isdigit():
        pk = db_id(reference)
        return agencies_open_to(user).filter(pk=pk).first() if pk is not None else None
    if not slug_re.fullmatch(reference):
        return None
    return agencies_open_to(user).filter(slug=reference).first()


def _find_technology(reference: str) -> Technology | None:
    """`?technology=` takes a slug: the "request records about this" links of technology,
    agency and deployment pages."""
    if not reference or not slug_re.fullmatch(reference):
        return None
    return Technology.objects.filter(slug=reference).first()


def initial_for(
    records_request: RecordsRequest | None,
    *,
    user,
    agency_ref: str = "",
    technology_ref: str = "",
    checklist_ref: str = "",
) -> dict:
    """The composer's starting values: a draft's own, or what the link it came from names.

    No technology is ticked for being known at the agency (Fresno PD runs seven): a request
    is about what the requester chose, so only the technology of the link is.
    """
    if records_request is not None:
        return {
            "agency": records_request.agency_id,
            "law": records_request.law_id,
            "technologies": [t.pk for t in records_request.technologies.all()],
            "title": records_request.title,
            "records_sought": records_request.records_sought,
            "body": records_request.letter_body,
            **FoiaOptions.of(records_request).as_fields(),
        }
    initial = {}
    technology = _find_technology(technology_ref)
    if technology is not None:
        initial["technologies"] = [technology.pk]
    item = ChecklistItem.objects.filter(pk=db_id(checklist_ref)).first() if checklist_ref else None
    if item is not None:
        # "Request it" from an agency page: what the law makes it publish, as item 1.
        initial["records_sought"] = as_list([item.ask])
        initial["technologies"] = sorted({*initial.get("technologies", []), item.technology_id})
    agency = _find_agency(agency_ref, user=user)
    if agency is not None:
        law = law_for_agency(agency=agency)
        initial.update(agency=agency.pk, law=law.pk if law else None)
    return initial


def redraft(form, *, signature: str) -> dict:
    """From a submitted (maybe incomplete) composer form: fill in the gaps, draft the letter."""
    data = getattr(form, "cleaned_data", {})
    posted = form.data
    initial = {
        "agency": posted.get("agency", ""),
        "law": posted.get("law", ""),
        "technologies": posted.getlist("technologies"),
        "title": posted.get("title", ""),
        # With the ticked checklist items added (clean()); they are then in the text, so
        # none stays ticked.
        "records_sought": data.get("records_sought") or posted.get("records_sought", ""),
        "checklist": [],
        "body": posted.get("body", ""),
        # As posted, so switching the law back and forth loses nothing the requester typed.
        **form.posted_foia_options().as_fields(),
    }
    agency, law = data.get("agency"), data.get("law")
    if agency is not None and law is None:
        law = law_for_agency(agency=agency)
        initial["law"] = law.pk if law else ""
    if agency is not None and law is not None:
        initial["body"] = request_body(
            agency=agency,
            law=law,
            records_sought=initial["records_sought"] or SOUGHT_PLACEHOLDER,
            signature=signature,
            foia=form.foia_options(law),
        )
    return initial


def letter_to_keep(form, *, saved: RecordsRequest | None, signature: str) -> str:
    """The letter to save or preview from a valid composer form.

    The requester's own text is kept as typed (its placeholders filled in). Empty, or a
    letter this app drafted that they did not edit (drafted before they set the FOIA
    options, or from the draft as saved), it is drafted again from what they ask for now: a
    fee waiver ticked after the letter was drafted must be in the letter that goes out.
    """
    data = form.cleaned_data
    agency, law, sought = data["agency"], data["law"], data["records_sought"]

    def drafted(*, agency=agency, law=law, sought=sought, foia=None) -> str:
        return request_body(
            agency=agency,
            law=law,
            records_sought=sought,
            signature=signature,
            foia=foia,
        )

    fresh = drafted(foia=form.foia_options(law))
    body = data["body"].replace("\r\n", "\n").strip()
    if not body:
        return fresh
    ours = {drafted(), drafted(sought=SOUGHT_PLACEHOLDER)}
    if saved is not None:
        ours.add(
            drafted(
                agency=saved.agency,
                law=saved.law,
                sought=saved.records_sought,
                foia=FoiaOptions.of(saved),
            )
        )
    if body in ours:
        return fresh
    # Edited after "Fill in" drafted it: keep the edits, and put the records sought (and the
    # signature) where the draft left room, so the letter always says what is asked; items
    # ticked from a checklist replace the text they were added to.
    typed = form.typed_sought.strip()
    if typed and typed != sought and typed in body:
        body = body.replace(typed, sought)
    return fill_placeholders(body, records_sought=sought, signature=signature)
