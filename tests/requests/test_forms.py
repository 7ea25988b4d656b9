"""Bad input gets a clear message, and nothing the user typed is lost."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from freezegun import freeze_time

from rtcc_requests.requests import services
from rtcc_requests.requests.choices import Status
from rtcc_requests.requests.forms import (
    AnswerForm,
    DeterminationForm,
    FilingForm,
    ReplyForm,
    VisibilityForm,
)
from rtcc_requests.requests.models import Attachment, Communication, RecordsRequest
from tests import factories

RECEIVED = date(2026, 11, 16)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture
def frozen():
    with freeze_time("2026-11-26 18:00:00", tick=True):
        yield


@pytest.fixture
def filed(user):
    return factories.filed_request(received=RECEIVED, owner=user)


def _pdf(name="reply.pdf", size=20):
    return SimpleUploadedFile(name, b"%PDF" + b"x" * (size - 4), "application/pdf")


class TestComposerErrors:
    def test_missing_title_is_named_and_everything_typed_comes_back(self, client, user):
        agency = factories.AgencyFactory()
        client.force_login(user)

        response = client.post(
            reverse("requests:new"),
            {
                "agency": agency.pk,
                "law": factories.law().pk,
                "technologies": [factories.technology().pk],
                "records_sought": "Every ALPR audit log of 2025",
                "body": "Dear records officer, my own words.",
                "title": "",
                "action": "save",
            },
        )

        assert response.status_code == 200
        page = response.text
        assert "Please correct the problem below; nothing you typed was lost." in page
        assert "This field is required." in page
        assert "Every ALPR audit log of 2025" in page
        assert "Dear records officer, my own words." in page
        assert f'<option value="{agency.pk}" selected>' in page
        assert not RecordsRequest.objects.exists()


class TestComposerTitle:
    def test_a_title_with_line_breaks_is_saved_on_one_line(self, client, user, cpra):
        agency = factories.AgencyFactory()
        client.force_login(user)
        response = client.post(
            reverse("requests:new"),
            {
                "agency": agency.pk,
                "law": cpra.pk,
                "title": "ALPR\r\n  audit logs\t2026",
                "records_sought": "The audit logs.",
                "letter_body": "Dear custodian, please send the audit logs.",
                "action": "save",
            },
        )
        assert response.status_code == 302, response.text[:2000]
        assert RecordsRequest.objects.get(owner=user).title == "ALPR audit logs 2026"


class TestFilingForm:
    def test_post_needs_the_date_received(self):
        form = FilingForm({"method": "mail", "filed_on": "2026-11-20"}, can_email=True)
        assert not form.is_valid()
        assert form.errors["received_on"] == [
            "For postal mail, give the date the agency received it."
        ]

    def test_filing_date_cannot_be_in_the_future(self):
        form = FilingForm({"method": "portal", "filed_on": "2026-11-27"}, can_email=True)
        assert form.errors["filed_on"] == ["This date is in the future."]

    def test_received_before_sent_is_refused(self):
        form = FilingForm(
            {"method": "portal", "filed_on": "2026-11-20", "received_on": "2026-11-19"},
            can_email=True,
        )
        assert "before it was sent" in form.errors["received_on"][0]

    def test_errors_keep_the_tracking_number(self, client, user):
        draft = factories.RecordsRequestFactory(owner=user)
        client.force_login(user)
        response = client.post(
            reverse("requests:file", kwargs={"pk": draft.pk}),
            {"method": "mail", "filed_on": "2026-11-20", "tracking_number": "R-77"},
        )
        assert "For postal mail, give the date the agency received it." in response.text
        assert 'value="R-77"' in response.text
        assert 'value="2026-11-20"' in response.text
        draft.refresh_from_db()
        assert draft.status == Status.DRAFT


class TestAttachments:
    def test_wrong_type_is_refused_with_the_types_accepted(self, client, user, filed):
        client.force_login(user)

        response = client.post(
            reverse("requests:reply", kwargs={"pk": filed.pk}),
            {
                "received_on": "2026-11-25",
                "subject": "Records attached",
                "attachments": [_pdf(), SimpleUploadedFile("setup.exe", b"MZ", "application/pdf")],
            },
        )

        page = response.text
        assert "setup.exe: this type of file is not accepted." in page
        assert "Nothing was saved: choose the files again." in page
        assert 'value="Records attached"' in page
        assert "open" in page.split("Log a reply from the agency")[0].rsplit("<details", 1)[1]
        assert not Communication.objects.filter(kind="reply").exists()
        assert not Attachment.objects.exists()

    def test_too_large_is_refused_with_the_limit(self, client, user, filed, settings):
        settings.ATTACHMENT_MAX_BYTES = 1000
        client.force_login(user)

        response = client.post(
            reverse("requests:reply", kwargs={"pk": filed.pk}),
            {"received_on": "2026-11-25", "attachments": [_pdf("scan.pdf", size=2000)]},
        )

        assert "scan.pdf: it is 2.0\xa0KB; the largest file accepted is 1000\xa0bytes." in (
            response.text
        )
        assert not Attachment.objects.exists()

    def test_content_that_contradicts_its_name_is_refused(self, client, user, filed):
        client.force_login(user)

        response = client.post(
            reverse("requests:reply", kwargs={"pk": filed.pk}),
            {
                "received_on": "2026-11-25",
                "attachments": [
                    SimpleUploadedFile("records.pdf", b"MZ\x90\x00", "application/pdf")
                ],
            },
        )

        assert (
            "records.pdf: its name says it is a PDF document, but its content is a Windows "
            "program." in response.text
        )
        assert "Nothing was saved: choose the files again." in response.text
        assert not Communication.objects.filter(kind="reply").exists()

    def test_accepted_files_are_stored_with_the_type_from_their_name(self, client, user, filed):
        client.force_login(user)
        client.post(
            reverse("requests:reply", kwargs={"pk": filed.pk}),
            {
                "received_on": "2026-11-25",
                "attachments": [
                    _pdf(),
                    SimpleUploadedFile("original.eml", b"From: x", "application/octet-stream"),
                ],
            },
        )
        stored = {a.filename: a.content_type for a in Attachment.objects.all()}
        assert stored == {"reply.pdf": "application/pdf", "original.eml": "message/rfc822"}

    def test_service_refuses_what_the_form_would(self, filed):
        communication = services.communication_log(
            records_request=filed, actor=filed.owner, direction="in", kind="reply"
        )
        with pytest.raises(services.RequestError, match="not accepted"):
            services.attachment_add(
                communication=communication,
                file=SimpleUploadedFile("macro.xlsm", b"PK", "application/zip"),
            )

    def test_a_reply_needs_something_in_it(self):
        form = ReplyForm({"received_on": "2026-11-25"})
        assert form.errors["__all__"] == ["Give the reply's subject, text or attachments."]


class TestDeterminationForm:
    def test_service_refusal_is_shown_and_the_form_kept(self, client, user, filed):
        client.force_login(user)

        response = client.post(
            reverse("requests:determination", kwargs={"pk": filed.pk}),
            {
                "kind": "denial",
                "response_date": "2026-11-10",
                "official_name": "Pat Doe",
                "official_title": "Records Manager",
                "in_writing": "on",
            },
        )

        page = response.text
        assert "The response cannot predate the agency&#x27;s receipt of the request." in page
        assert 'value="Pat Doe"' in page and 'value="Records Manager"' in page
        assert not filed.determinations.exists()

    def test_lifecycle_refusal_is_shown(self, client, user, filed):
        services.request_withdraw(records_request=filed, actor=user)
        client.force_login(user)
        response = client.post(
            reverse("requests:determination", kwargs={"pk": filed.pk}),
            {"kind": "denial", "response_date": "2026-11-20"},
        )
        # A withdrawn request shows no determination form, but a stale tab can still post.
        assert "nothing can change it" in response.text

    def test_fee_estimate_needs_the_fee(self, cpra):
        form = DeterminationForm({"kind": "fee_estimate", "response_date": "2026-11-20"}, law=cpra)
        assert form.errors["fee_amount"] == ["Give the fee the agency asks for."]

    def test_only_the_requests_law_exemptions_are_offered(self, cpra):
        foia = factories.law("us-foia")
        form = DeterminationForm(law=cpra)
        assert set(form.fields["exemptions"].queryset) == set(cpra.exemptions.all())
        other = foia.exemptions.first()
        if other is not None:
            bound = DeterminationForm(
                {"kind": "denial", "response_date": "2026-11-20", "exemptions": [other.pk]},
                law=cpra,
            )
            assert "exemptions" in bound.errors

    def test_an_extension_must_say_which_reason_it_gives(self, cpra):
        form = DeterminationForm({"kind": "extension", "response_date": "2026-11-20"}, law=cpra)
        assert form.errors["extension_ground"] == [
            "Say which reason the notice gives, or that it gives none."
        ]

    def test_further_officials_are_read_one_per_line(self, cpra):
        form = DeterminationForm(
            {
                "kind": "denial",
                "response_date": "2026-11-20",
                "more_officials": "B. Chief, Chief of Police\n\nC. Deputy, Deputy City Attorney",
            },
            law=cpra,
        )
        assert form.is_valid(), form.errors
        assert form.cleaned_data["more_officials"] == [
            ("B. Chief", "Chief of Police"),
            ("C. Deputy", "Deputy City Attorney"),
        ]
        bad = DeterminationForm(
            {"kind": "denial", "response_date": "2026-11-20", "more_officials": ", Chief"},
            law=cpra,
        )
        assert bad.errors["more_officials"] == [
            "Line 1: give the name first, then a comma and the title."
        ]

    def test_a_denial_posted_with_every_field_is_recorded_and_checked(
        self, client, user, filed, cpra
    ):
        client.force_login(user)
        other_law = cpra.exemptions.get(section="§7927.705")
        response = client.post(
            reverse("requests:determination", kwargs={"pk": filed.pk}),
            {
                "kind": "denial",
                "response_date": "2026-11-20",
                "exemptions": [other_law.pk],
                "official_name": "Pat Doe",
                "official_title": "Records Manager",
                "more_officials": "Sam Roe, City Attorney",
                "in_writing": "on",
                "agency_received_on": "2026-11-17",
            },
        )
        assert response.status_code == 302
        determination = filed.determinations.get()
        assert determination.official == "Pat Doe, Records Manager; Sam Roe, City Attorney"
        assert determination.deficiencies == ["blanket_withholding", "other_law_unnamed"]
        filed.refresh_from_db()
        assert filed.agency_received_on == date(2026, 11, 17)


class TestAnswerForm:
    def test_the_requester_answers_a_question_and_the_form_shows_only_then(
        self, client, user, filed
    ):
        client.force_login(user)
        page = client.get(filed.get_absolute_url()).text
        assert "Log your answer to the agency" not in page
        services.determination_record(
            records_request=filed,
            actor=user,
            kind="clarification",
            response_date=date(2026, 11, 18),
        )
        page = client.get(filed.get_absolute_url()).text
        assert "Log your answer to the agency" in page
        assert "The clock keeps running" in page
        response = client.post(
            reverse("requests:answer", kwargs={"pk": filed.pk}),
            {"answered_on": "2026-11-19", "body": "Only records from 2025 on."},
        )
        assert response.status_code == 302
        filed.refresh_from_db()
        assert filed.status == "filed"
        assert filed.communications.get().body == "Only records from 2025 on."

    def test_an_empty_answer_is_refused_and_nothing_is_logged(self, client, user, filed):
        services.determination_record(
            records_request=filed,
            actor=user,
            kind="clarification",
            response_date=date(2026, 11, 18),
        )
        client.force_login(user)
        response = client.post(
            reverse("requests:answer", kwargs={"pk": filed.pk}), {"answered_on": "2026-11-19"}
        )
        assert response.status_code == 200 and "This field is required." in response.text
        assert not filed.communications.exists()

    def test_only_the_owner_may_answer(self, client, other_user, filed):
        client.force_login(other_user)
        response = client.post(
            reverse("requests:answer", kwargs={"pk": filed.pk}),
            {"answered_on": "2026-11-19", "body": "x"},
        )
        # A private request does not exist for anyone else.
        assert response.status_code == 404
        assert not filed.communications.exists()


class TestVisibility:
    def test_embargo_needs_a_date(self):
        form = VisibilityForm({"visibility": "embargoed"})
        assert form.errors["embargo_until"] == ["Give the date the embargo ends."]

    def test_publishing_can_be_undone(self, client, user, filed, other_user):
        client.force_login(user)
        client.post(
            reverse("requests:visibility", kwargs={"pk": filed.pk}), {"visibility": "public"}
        )
        client.force_login(other_user)
        assert client.get(filed.get_absolute_url()).status_code == 200
        client.force_login(user)
        client.post(
            reverse("requests:visibility", kwargs={"pk": filed.pk}), {"visibility": "private"}
        )
        client.force_login(other_user)
        assert client.get(filed.get_absolute_url()).status_code == 404


class TestDateBounds:
    """Issue 16: a date no request can have is a form error, never a server error."""

    # Each form's date fields, with the other fields it needs to get as far as the dates.
    FORMS = [
        (FilingForm, {"method": "mail"}, ("filed_on", "received_on"), {"can_email": True}),
        (ReplyForm, {"subject": "Our reply"}, ("received_on",), {}),
        (
            DeterminationForm,
            {"kind": "promise"},
            ("response_date", "agency_received_on", "promised_date", "extension_date"),
            {"law": "cpra"},
        ),
        (AnswerForm, {"body": "The audit logs of 2025."}, ("answered_on",), {}),
        (VisibilityForm, {"visibility": "embargoed"}, ("embargo_until",), {}),
    ]

    @pytest.mark.parametrize("day", ["0001-01-01", "1900-01-01", "1989-12-31"])
    @pytest.mark.parametrize(("form_class", "data", "fields", "kwargs"), FORMS)
    def test_no_date_before_1990(self, cpra, form_class, data, fields, kwargs, day):
        kwargs = {k: cpra if v == "cpra" else v for k, v in kwargs.items()}
        for name in fields:
            form = form_class({**data, name: day}, **kwargs)
            assert form.errors[name] == ["This date is before 1990: check the year."], name

    @pytest.mark.parametrize("day", ["2037-01-01", "9999-12-31"])
    @pytest.mark.parametrize(("form_class", "data", "fields", "kwargs"), FORMS)
    def test_no_date_more_than_ten_years_ahead(self, cpra, form_class, data, fields, kwargs, day):
        kwargs = {k: cpra if v == "cpra" else v for k, v in kwargs.items()}
        for name in fields:
            form = form_class({**data, name: day}, **kwargs)
            assert form.errors[name][0].startswith("This date is"), name

    def test_the_bounds_themselves_are_dates(self, cpra):
        form = VisibilityForm({"visibility": "embargoed", "embargo_until": "2036-12-31"})
        assert form.is_valid(), form.errors
        form = AnswerForm({"answered_on": "1990-01-01", "body": "Yes."})
        assert form.is_valid(), form.errors

    @pytest.mark.parametrize("law", ["ca-cpra", "us-foia"])
    def test_filing_in_year_one_is_refused_and_the_draft_stays_a_draft(self, client, user, law):
        draft = factories.RecordsRequestFactory(owner=user, law=factories.law(law))
        client.force_login(user)
        response = client.post(
            reverse("requests:file", kwargs={"pk": draft.pk}),
            {"method": "portal", "filed_on": "0001-01-01"},
        )
        assert response.status_code == 200
        assert "This date is before 1990: check the year." in response.text
        draft.refresh_from_db()
        assert draft.status == Status.DRAFT

    def test_a_postal_receipt_in_year_9999_is_refused(self, client, user):
        draft = factories.RecordsRequestFactory(owner=user)
        client.force_login(user)
        response = client.post(
            reverse("requests:file", kwargs={"pk": draft.pk}),
            {"method": "mail", "filed_on": "2026-11-20", "received_on": "9999-12-31"},
        )
        assert response.status_code == 200
        assert "This date is after 2036: check the year." in response.text


class TestChoiceIds:
    """Issue 16: an id beyond the database's integers is not a choice (SQLite overflowed)."""

    HUGE = ["9" * 20, str(2**63), "9" * 5000, "²", "-1", "1.5"]

    @pytest.mark.parametrize("value", HUGE)
    def test_an_exemption_id_no_row_can_have_is_not_a_valid_choice(self, cpra, value):
        form = DeterminationForm(
            {"kind": "denial", "response_date": "2026-11-20", "exemptions": [value]}, law=cpra
        )
        assert form.errors["exemptions"][0].startswith("Select a valid choice.")

    @pytest.mark.parametrize("name", ["agency", "law", "technologies"])
    @pytest.mark.parametrize("value", HUGE)
    def test_the_composers_choices_likewise(self, client, user, cpra, name, value):
        agency = factories.AgencyFactory()
        client.force_login(user)
        data = {
            "agency": agency.pk,
            "law": cpra.pk,
            "title": "ALPR audits",
            "records_sought": "The audit logs.",
            "action": "save",
            name: value,
        }
        for action in ("save", "draft"):
            response = client.post(reverse("requests:new"), {**data, "action": action})
            assert response.status_code == 200, action
        assert "Select a valid choice." in response.text or action == "draft"
        assert not RecordsRequest.objects.exists()

    def test_a_real_exemption_is_still_read(self, cpra):
        exemption = cpra.exemptions.first()
        form = DeterminationForm(
            {"kind": "denial", "response_date": "2026-11-20", "exemptions": [str(exemption.pk)]},
            law=cpra,
        )
        assert form.is_valid(), form.errors
        assert list(form.cleaned_data["exemptions"]) == [exemption]
