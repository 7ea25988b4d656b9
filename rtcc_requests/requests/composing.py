"""The composer's defaults: what an agency implies (technologies, law) and the drafted letter."""

from django.core.validators import slug_re

from rtcc_requests.agencies.models import Agency
from rtcc_requests.common.params import db_id

from .letters.wording import FoiaOptions, request_body
from .models import RecordsRequest
from .selectors import law_for_agency, technology_ids_for_agency

# What a letter drafted before the records are described asks for.
PLACEHOLDER_SOUGHT = "[describe the records you seek]"


def _find_agency(reference: str) -> Agency | None:
    """`?agency=` takes a slug (links from agency pages) or an id (the composer's own select).

    Anything else (an id beyond the database's integers, a NUL) names no agency.
    """
    if not reference:
        return None
    if reference.isascii() and reference.isdigit():
        pk = db_id(reference)
        return Agency.objects.filter(pk=pk).first() if pk is not None else None
    if not slug_re.fullmatch(reference):
        return None
    return Agency.objects.filter(slug=reference).first()


def initial_for(records_request: RecordsRequest | None, *, agency_ref: str = "") -> dict:
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
    agency = _find_agency(agency_ref)
    if agency is None:
        return {}
    law = law_for_agency(agency=agency)
    return {
        "agency": agency.pk,
        "law": law.pk if law else None,
        "technologies": technology_ids_for_agency(agency_id=agency.pk),
    }


def redraft(form, *, requester_name: str) -> dict:
    """From a submitted (maybe incomplete) composer form: fill in the gaps, draft the letter."""
    data = getattr(form, "cleaned_data", {})
    posted = form.data
    initial = {
        "agency": posted.get("agency", ""),
        "law": posted.get("law", ""),
        "technologies": posted.getlist("technologies"),
        "title": posted.get("title", ""),
        "records_sought": posted.get("records_sought", ""),
        "body": posted.get("body", ""),
        # As posted, so switching the law back and forth loses nothing the requester typed.
        **form.posted_foia_options().as_fields(),
    }
    agency, law = data.get("agency"), data.get("law")
    if agency is not None:
        if not initial["technologies"]:
            initial["technologies"] = technology_ids_for_agency(agency_id=agency.pk)
        if law is None:
            law = law_for_agency(agency=agency)
            initial["law"] = law.pk if law else ""
    if agency is not None and law is not None:
        initial["body"] = request_body(
            agency=agency,
            law=law,
            records_sought=initial["records_sought"] or PLACEHOLDER_SOUGHT,
            requester_name=requester_name,
            foia=form.foia_options(law),
        )
    return initial


def letter_to_keep(form, *, saved: RecordsRequest | None, requester_name: str) -> str:
    """The letter to save or preview from a valid composer form.

    The requester's own text is kept as typed. Empty, or a letter this app drafted that they
    did not edit (drafted before they set the FOIA options, or from the draft as saved), it
    is drafted again from what they ask for now: a fee waiver ticked after the letter was
    drafted must be in the letter that goes out.
    """
    data = form.cleaned_data
    agency, law, sought = data["agency"], data["law"], data["records_sought"]

    def drafted(*, agency=agency, law=law, sought=sought, foia=None) -> str:
        return request_body(
            agency=agency,
            law=law,
            records_sought=sought,
            requester_name=requester_name,
            foia=foia,
        )

    fresh = drafted(foia=form.foia_options(law))
    body = data["body"].replace("\r\n", "\n").strip()
    if not body:
        return fresh
    ours = {drafted(), drafted(sought=PLACEHOLDER_SOUGHT)}
    if saved is not None:
        ours.add(
            drafted(
                agency=saved.agency,
                law=saved.law,
                sought=saved.records_sought,
                foia=FoiaOptions.of(saved),
            )
        )
    return fresh if body in ours else body
