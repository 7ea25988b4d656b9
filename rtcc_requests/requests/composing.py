"""The composer's defaults: what an agency implies (technologies, law) and the drafted letter."""

from rtcc_requests.agencies.models import Agency

from .letters.wording import request_body
from .models import RecordsRequest
from .selectors import law_for_agency, technology_ids_for_agency


def _find_agency(reference: str) -> Agency | None:
    """`?agency=` takes a slug (links from agency pages) or an id (the composer's own select)."""
    if not reference:
        return None
    lookup = {"pk": int(reference)} if reference.isdigit() else {"slug": reference}
    return Agency.objects.filter(**lookup).first()


def initial_for(records_request: RecordsRequest | None, *, agency_ref: str = "") -> dict:
    if records_request is not None:
        return {
            "agency": records_request.agency_id,
            "law": records_request.law_id,
            "technologies": [t.pk for t in records_request.technologies.all()],
            "title": records_request.title,
            "records_sought": records_request.records_sought,
            "body": records_request.letter_body,
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
            records_sought=initial["records_sought"] or "[describe the records you seek]",
            requester_name=requester_name,
        )
    return initial
