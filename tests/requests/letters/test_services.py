import re
from datetime import timedelta

import pytest
from django.utils import timezone
from freezegun import freeze_time

from rtcc_requests.common.pdf import PdfTooLong
from rtcc_requests.outbox.models import OutboxMessage, OutboxStatus
from rtcc_requests.requests.choices import LetterKind, PdfStatus, Status
from rtcc_requests.requests.letters.services import (
    letter_email_enqueue,
    letter_preview_pdf,
    letter_queue,
    letter_render,
    letter_retry,
    request_send_by_email,
)
from rtcc_requests.requests.letters.wording import placeholder_problem, request_body
from rtcc_requests.requests.models import Communication, RecordsRequest
from rtcc_requests.requests.services import RequestError

from ... import factories
from ...support.pdf import pdf_pages, pdf_text
from .conftest import TRACKING, make_draft

CPRA_SECTIONS = ["§7922.535(a)", "§7922.570", "§7922.530", "§7922.600", "§7922.525", "§7922.540"]
FORMER = ["§6253(c)", "§6253.9", "§6253(b)", "§6253.1", "§6253(a)", "§§6253(d), 6255(b)"]


@pytest.mark.django_db
class TestLetterDraftBody:
    def test_cpra_letter_cites_each_duty_with_current_and_former_sections(self):
        body = request_body(
            agency=factories.AgencyFactory(name="Fresno Police Department"),
            law=factories.law("ca-cpra"),
            records_sought="All ALPR audit logs for 2025.",
            signature="Ada Lovelace",
        )
        assert "Gov. Code §7920.000 et seq." in body
        for section in CPRA_SECTIONS + FORMER:
            assert section in body, section
        assert "10 days" in body
        assert "direct costs of duplication" in body
        assert "names and titles or positions of each person responsible" in body
        assert "All ALPR audit logs for 2025." in body
        assert "Fresno Police Department" in body
        assert body.rstrip().endswith("Sincerely,\nAda Lovelace")

    @pytest.mark.parametrize("code", ["us-foia", "il-foia", "tx-pia"])
    def test_other_laws_cite_their_own_sections_and_never_the_cpra(self, code):
        law = factories.law(code)
        body = request_body(agency=factories.AgencyFactory(), law=law, records_sought="Contracts.")
        assert law.citation in body
        assert law.response_citation in body
        assert "7922" not in body and "6253" not in body and "Gov. Code" not in body

    def test_without_a_name_the_sign_off_asks_for_one(self):
        body = request_body(
            agency=factories.AgencyFactory(), law=factories.law(), records_sought="X"
        )
        assert body.endswith("Sincerely,\n[your name]")
        assert "[your name]" in placeholder_problem(body)


@pytest.mark.django_db
class TestLetterQueue:
    @freeze_time("2026-11-20 10:00")
    def test_follow_up_for_a_late_agency(self, filed, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            letter = letter_queue(
                records_request=filed, kind=LetterKind.FOLLOW_UP, actor=filed.owner
            )
        letter.refresh_from_db()
        assert letter.kind == "letter" and letter.letter_kind == LetterKind.FOLLOW_UP
        assert letter.pdf_status == PdfStatus.READY
        assert "8 days late" in letter.body
        assert "Thu 12 Nov 2026" in letter.body
        assert letter.request.events.filter(message__contains="Follow-up").exists()

    @freeze_time("2026-11-10 10:00")
    def test_follow_up_refused_before_the_deadline(self, filed):
        with pytest.raises(RequestError, match="not late: the next deadline is Thu 12 Nov 2026"):
            letter_queue(records_request=filed, kind=LetterKind.FOLLOW_UP, actor=filed.owner)
        assert not Communication.objects.filter(request=filed).exists()

    def test_follow_up_refused_for_a_draft(self, draft):
        with pytest.raises(RequestError, match="no deadline is running"):
            letter_queue(records_request=draft, kind=LetterKind.FOLLOW_UP, actor=draft.owner)

    def test_challenge_refused_without_a_deficient_denial(self, filed):
        with pytest.raises(RequestError, match="deficient denial"):
            letter_queue(records_request=filed, kind=LetterKind.DENIAL_CHALLENGE, actor=filed.owner)

    def test_challenge_of_a_deficient_denial(self, deficient, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            letter = letter_queue(
                records_request=deficient, kind=LetterKind.DENIAL_CHALLENGE, actor=deficient.owner
            )
        letter.refresh_from_db()
        assert letter.pdf_status == PdfStatus.READY
        assert "§7922.540" in letter.body and "§7922.600" in letter.body
        assert "§7922.000" in letter.body and "§7922.525" in letter.body
        assert "reconsider" in letter.body

    def test_unknown_kind_and_stranger_refused(self, filed, other_user):
        with pytest.raises(RequestError, match="Unknown letter kind"):
            letter_queue(records_request=filed, kind="threat", actor=filed.owner)
        with pytest.raises(RequestError, match="Only the requester"):
            letter_queue(records_request=filed, kind=LetterKind.REQUEST, actor=other_user)


@pytest.mark.django_db
class TestLetterPreviewPdf:
    def test_preview_shows_letterhead_agency_reference_and_the_draft(self, filed):
        data = letter_preview_pdf(records_request=filed, body="Please send the ALPR audits.")
        text = pdf_text(data)
        for expected in [
            "Ada Lovelace",
            "Fresno Surveillance Watch",
            "559-555-0100",
            "Fresno Police Department",
            "2323 Mariposa St",
            TRACKING,
            "Please send the ALPR audits.",
            "Page 1 of 1",
        ]:
            assert expected in text, expected

    def test_default_body_is_the_cpra_letter(self, draft):
        text = pdf_text(letter_preview_pdf(records_request=draft))
        assert "§7922.535(a)" in text and "§7922.540" in text

    def test_the_pdf_adds_no_signature_of_its_own(self, draft):
        # Before: a body signed with one name got a second "Sincerely," block from the
        # template, with the profile's name; the emailed PDF had both.
        text = pdf_text(
            letter_preview_pdf(records_request=draft, body="Hi.\n\nSincerely,\nAda Lovelace")
        )
        assert text.count("Sincerely") == 1

    def test_empty_or_huge_body_is_refused_clearly(self, draft):
        with pytest.raises(RequestError, match="empty"):
            letter_preview_pdf(records_request=draft, body="   ")
        with pytest.raises(RequestError, match="too long"):
            letter_preview_pdf(records_request=draft, body="x" * 40_000)

    def test_page_limit(self, draft, monkeypatch):
        monkeypatch.setattr("rtcc_requests.common.pdf.MAX_PAGES", 1)
        with pytest.raises(PdfTooLong, match="pages long; the limit is 1"):
            letter_preview_pdf(records_request=draft, body="A paragraph.\n\n" * 200)

    def test_a_long_letter_numbers_its_pages(self, draft):
        data = letter_preview_pdf(records_request=draft, body="A paragraph of text.\n\n" * 120)
        pages = pdf_pages(data)
        assert pages > 1
        assert f"Page {pages} of {pages}" in pdf_text(data)


@pytest.mark.django_db
class TestRequestSendByEmail:
    def test_refused_without_a_records_email(self):
        draft = make_draft(agency=factories.AgencyFactory(records_email=""))
        with pytest.raises(RequestError, match="no records-request email"):
            request_send_by_email(records_request=draft, actor=draft.owner)
        assert RecordsRequest.objects.get(pk=draft.pk).status == Status.DRAFT

    def test_refused_when_already_filed(self, filed):
        with pytest.raises(RequestError):
            request_send_by_email(records_request=filed, actor=filed.owner)
        assert not OutboxMessage.objects.exists()

    def test_files_renders_and_mails_once(self, smtp_server, django_capture_on_commit_callbacks):
        draft = make_draft(letter_body="Dear custodian,\n\nPlease send the ALPR policy.")
        with django_capture_on_commit_callbacks(execute=True):
            letter = request_send_by_email(records_request=draft, actor=draft.owner)
        draft.refresh_from_db()
        assert draft.status == Status.FILED and draft.filing_method == "email"
        assert draft.determination_due is not None
        letter.refresh_from_db()
        assert letter.pdf_status == PdfStatus.READY
        assert letter.to_address == "records@fresno-pd.example"
        assert len(smtp_server.messages) == 1
        message = smtp_server.messages[0]
        assert message["To"] == "records@fresno-pd.example"
        assert message["Reply-To"] == draft.reply_address
        assert re.fullmatch(r"request\+[a-z0-9]+@requests\.localhost", draft.reply_address)
        assert message["Message-ID"] == letter.message_id
        # Running the send step again finds the outbox row and sends nothing.
        with django_capture_on_commit_callbacks(execute=True):
            letter_render(communication_id=letter.pk)
            letter_email_enqueue(communication_id=letter.pk)
        assert len(smtp_server.messages) == 1
        assert OutboxMessage.objects.get().status == OutboxStatus.SENT

    def test_letter_pdf_not_ready_cannot_be_mailed(self, filed):
        letter = Communication.objects.create(
            request=filed,
            direction="out",
            kind="letter",
            letter_kind="request",
            pdf_status=PdfStatus.FAILED,
        )
        with pytest.raises(RequestError, match="not ready"):
            letter_email_enqueue(communication_id=letter.pk)


@pytest.mark.django_db
class TestLetterRetry:
    def test_a_failed_letter_filed_by_email_renders_and_mails_on_retry(
        self, smtp_server, monkeypatch, django_capture_on_commit_callbacks
    ):
        from rtcc_requests.common.pdf import PdfRenderError

        def broken(html):
            raise PdfRenderError("The PDF could not be laid out: KeyError.")

        draft = make_draft()
        with monkeypatch.context() as patch:
            patch.setattr("rtcc_requests.requests.letters.services.render_pdf", broken)
            with django_capture_on_commit_callbacks(execute=True):
                letter = request_send_by_email(records_request=draft, actor=draft.owner)
        letter.refresh_from_db()
        assert letter.pdf_status == PdfStatus.FAILED and "KeyError" in letter.pdf_error
        assert smtp_server.messages == []
        with django_capture_on_commit_callbacks(execute=True):
            letter = letter_retry(communication=letter, actor=draft.owner)
        letter.refresh_from_db()
        assert letter.pdf_status == PdfStatus.READY and letter.pdf_error == ""
        assert len(smtp_server.messages) == 1

    def test_only_failed_letters_and_only_their_owner(self, filed, other_user):
        letter = Communication.objects.create(
            request=filed,
            direction="out",
            kind="letter",
            letter_kind="request",
            pdf_status=PdfStatus.READY,
        )
        with pytest.raises(RequestError, match="could not be made"):
            letter_retry(communication=letter, actor=filed.owner)
        with pytest.raises(RequestError, match="Only the requester"):
            letter_retry(communication=letter, actor=other_user)


@pytest.mark.django_db
class TestOtherLawsLetters:
    """A FOIA request's follow-up and challenge cite FOIA's own fields, never a CPRA section."""

    @pytest.fixture
    def foia(self):
        from .conftest import make_filed

        return make_filed(law=factories.law("us-foia"))

    def test_follow_up_cites_the_laws_own_deadline(self, foia):
        with freeze_time(foia.determination_due.isoformat() + " 12:00") as frozen:
            frozen.tick(delta=timedelta(days=3))
            letter = letter_queue(records_request=foia, kind=LetterKind.FOLLOW_UP, actor=foia.owner)
        assert "5 U.S.C. §552(a)(6)(A)(i)" in letter.body
        assert "3 days late" in letter.body
        assert "7922" not in letter.body and "Gov. Code" not in letter.body

    def test_challenge_uses_neutral_wording(self, foia):
        from rtcc_requests.requests.services import determination_record

        determination_record(
            records_request=foia, actor=foia.owner, kind="denial", response_date=foia.received_on
        )
        letter = letter_queue(
            records_request=foia, kind=LetterKind.DENIAL_CHALLENGE, actor=foia.owner
        )
        assert "cites no exemption" in letter.body
        assert "5 U.S.C. §552" in letter.body
        assert "7922" not in letter.body and "Gov. Code" not in letter.body
        text = pdf_text(letter_preview_pdf(records_request=foia, kind=LetterKind.DENIAL_CHALLENGE))
        assert "7922" not in text


@pytest.mark.django_db
class TestLetterBodyIsText:
    @freeze_time("2026-11-20 10:00")
    def test_html_and_css_in_a_body_are_printed_as_text_and_fetch_nothing(
        self, draft, local_http_server, fetched
    ):
        port = local_http_server.server_address[1]
        body = (
            "Dear custodian,\n\n<script>alert('x')</script>\n\n"
            '<img src="file:///etc/passwd">\n\n'
            f'<img src="http://127.0.0.1:{port}/pixel.png">\n\n'
            f"<style>body {{ background: url(http://127.0.0.1:{port}/bg.png) }}</style>\n\n"
            f"<p style=\"background:url('http://127.0.0.1:{port}/p.png')\">styled</p>"
        )
        data = letter_preview_pdf(records_request=draft, body=body)
        text = pdf_text(data)
        assert "<script>alert('x')</script>" in text
        assert '<img src="file:///etc/passwd">' in text
        assert f"url(http://127.0.0.1:{port}/bg.png)" in text
        assert local_http_server.hits == []
        # Only our own stylesheet was asked for: the body's markup never became markup.
        assert fetched == ["static:css/letter.css"]
        assert timezone.localdate().isoformat() == "2026-11-20"


@pytest.mark.django_db
class TestPathologicalBodies:
    def test_one_enormous_word_renders(self, draft):
        # Without break opportunities this took a minute to lay out.
        data = letter_preview_pdf(records_request=draft, body="x" * 29_000)
        assert pdf_pages(data) >= 5

    def test_thousands_of_lines_are_refused_before_rendering(self, draft):
        with pytest.raises(RequestError, match="printed lines; the limit is 900"):
            letter_preview_pdf(records_request=draft, body="a\n" * 2_000)
        with pytest.raises(RequestError, match="printed lines"):
            letter_preview_pdf(records_request=draft, body="a\n\n" * 1_000)


@pytest.mark.django_db
class TestFoiaLetters:
    """A federal FOIA request's letters: addressed to its FOIA office, the appeal as an appeal."""

    @pytest.fixture
    def foia(self):
        from .conftest import make_filed

        agency = factories.AgencyFactory(
            name="Federal Bureau of Investigation",
            slug="fbi-letters",
            records_office="FOIA/PA Unit",
            state="US",
        )
        return make_filed(law=factories.law("us-foia"), agency=agency)

    def test_the_request_letter_states_the_options_saved_on_the_draft(self):
        draft = make_draft(
            law=factories.law("us-foia"),
            fee_category="news_media",
            fee_waiver_requested=True,
            fee_waiver_reason="For a newsletter read across Fresno.",
        )
        text = pdf_text(letter_preview_pdf(records_request=draft))
        assert "FOIA Officer" in text and "Custodian of Records" not in text
        assert "Freedom of Information Act request: ALPR policy and audits" in text
        assert "§552(a)(4)(A)(ii)" in text and "Representative of the news media" in text
        assert "§552(a)(4)(A)(iii)" in text and "For a newsletter read across Fresno." in text
        assert "expedited" not in text.lower()

    def test_a_cpra_letter_keeps_its_subject_and_addressee(self, draft):
        text = pdf_text(letter_preview_pdf(records_request=draft))
        assert "Custodian of Records" in text
        assert "Public records request: ALPR policy and audits" in text

    def test_the_appeal_of_an_adverse_determination_needs_no_recorded_deficiency(self, foia):
        from datetime import date

        from rtcc_requests.requests.models import Determination

        Determination.objects.create(
            request=foia, kind="no_records", date=date(2026, 11, 20), official_name="J. Doe"
        )
        RecordsRequest.objects.filter(pk=foia.pk).update(appeal_due=date(2027, 2, 18))
        letter = letter_queue(
            records_request=foia, kind=LetterKind.DENIAL_CHALLENGE, actor=foia.owner
        )
        assert letter.subject.startswith("FOIA Appeal: ALPR policy and audits")
        assert "§552(a)(6)(A)(i)(III)(aa)" in letter.body
        assert "Thu 18 Feb 2027" in letter.body
        text = pdf_text(letter_preview_pdf(records_request=foia, kind=LetterKind.DENIAL_CHALLENGE))
        assert "Re: FOIA Appeal:" in text
        assert "FOIA/PA Unit" in text
        assert "Appeal deadline Thu 18 Feb 2027" in text
        assert "No responsive records" in text

    def test_without_an_adverse_determination_there_is_nothing_to_appeal(self, foia):
        with pytest.raises(RequestError, match="A FOIA appeal answers an adverse determination"):
            letter_queue(records_request=foia, kind=LetterKind.DENIAL_CHALLENGE, actor=foia.owner)

    def test_the_follow_up_pdf_names_exhaustion_and_search_fees(self, foia):
        with freeze_time(foia.determination_due.isoformat() + " 12:00") as frozen:
            frozen.tick(delta=timedelta(days=1))
            letter = letter_queue(records_request=foia, kind=LetterKind.FOLLOW_UP, actor=foia.owner)
            text = pdf_text(letter_preview_pdf(records_request=foia, kind=LetterKind.FOLLOW_UP))
        assert letter.subject.startswith("Overdue response to Freedom of Information Act request")
        assert "§552(a)(6)(C)(i)" in letter.body and "§552(a)(4)(A)(viii)" in letter.body
        assert "exhausted my administrative remedies" in text
        assert "search fees" in text
