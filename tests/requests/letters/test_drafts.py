"""Follow-up and challenge letters as drafts: kept, edited, sent in the request's email thread
or recorded as sent another way; and every letter signed once, from the profile."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from rtcc_requests.outbox.models import OutboxMessage
from rtcc_requests.requests import services
from rtcc_requests.requests.choices import (
    DeterminationKind,
    Direction,
    LetterKind,
    PdfStatus,
)
from rtcc_requests.requests.letters.services import (
    letter_draft_save,
    letter_draft_text,
    letter_preview_pdf,
    letter_record_sent,
    letter_send,
    request_send_by_email,
)
from rtcc_requests.requests.letters.wording import denial_challenge_body
from rtcc_requests.requests.models import Communication, RecordsRequest
from rtcc_requests.requests.services import RequestError

from ... import factories
from ...support.pdf import pdf_text
from .conftest import make_draft

LATE = "2026-12-01 10:00"  # three weeks after an emailed request's deadline


def _emailed(django_capture_on_commit_callbacks):
    """A request filed by email on 2 Nov 2026, its letter rendered and mailed."""
    with freeze_time("2026-11-02 10:00"):
        draft = make_draft(letter_body="Dear custodian,\n\nPlease send the ALPR policy.")
        with django_capture_on_commit_callbacks(execute=True):
            request_send_by_email(records_request=draft, actor=draft.owner)
    draft.refresh_from_db()
    return draft


def _reply(records_request, *, message_id: str, days: int) -> Communication:
    return Communication.objects.create(
        request=records_request,
        direction=Direction.INCOMING,
        kind="email",
        subject="RE: Public records request",
        body="We are looking into it.",
        message_id=message_id,
        sent_at=timezone.now() - timedelta(days=days),
    )


@pytest.mark.django_db
class TestSentInTheThread:
    def test_a_follow_up_answers_the_agencys_last_reply_in_the_original_thread(
        self, smtp_server, django_capture_on_commit_callbacks
    ):
        emailed = _emailed(django_capture_on_commit_callbacks)
        original = emailed.communications.get(letter_kind=LetterKind.REQUEST)
        with freeze_time(LATE):
            _reply(emailed, message_id="<ack-1@fresno.example>", days=20)
            body = letter_draft_text(records_request=emailed, kind=LetterKind.FOLLOW_UP)
            edited = body.replace("Thank you for your help.", "I look forward to your reply.")
            with django_capture_on_commit_callbacks(execute=True):
                letter = letter_send(
                    records_request=emailed,
                    kind=LetterKind.FOLLOW_UP,
                    body=edited,
                    actor=emailed.owner,
                )

        letter.refresh_from_db()
        assert letter.pdf_status == PdfStatus.READY
        sent = smtp_server.messages[-1]
        assert len(smtp_server.messages) == 2  # the request, then the follow-up
        assert sent["To"] == emailed.agency.records_email
        assert sent["Reply-To"] == emailed.reply_address  # replies reach the same request
        assert sent["In-Reply-To"] == "<ack-1@fresno.example>"
        assert sent["References"] == f"{original.message_id} <ack-1@fresno.example>"
        assert sent["Message-ID"] == letter.message_id
        text = sent.get_body(("plain",)).get_content()
        assert "I look forward to your reply." in text  # the letter as edited, not redrafted
        assert "days late" in text

    def test_without_a_reply_it_follows_the_request_letter(
        self, smtp_server, django_capture_on_commit_callbacks
    ):
        emailed = _emailed(django_capture_on_commit_callbacks)
        original = emailed.communications.get(letter_kind=LetterKind.REQUEST)
        with freeze_time(LATE), django_capture_on_commit_callbacks(execute=True):
            letter_send(
                records_request=emailed,
                kind=LetterKind.FOLLOW_UP,
                body=letter_draft_text(records_request=emailed, kind=LetterKind.FOLLOW_UP),
                actor=emailed.owner,
            )
        sent = smtp_server.messages[-1]
        assert sent["In-Reply-To"] == original.message_id
        assert sent["References"] == original.message_id

    def test_a_letter_with_a_placeholder_is_not_sent(self, django_capture_on_commit_callbacks):
        emailed = _emailed(django_capture_on_commit_callbacks)
        with freeze_time(LATE), pytest.raises(RequestError, match=r"Not sent.*\[your name\]"):
            letter_send(
                records_request=emailed,
                kind=LetterKind.FOLLOW_UP,
                body="Where is it?\n\nSincerely,\n[your name]",
                actor=emailed.owner,
            )
        assert not emailed.communications.filter(letter_kind=LetterKind.FOLLOW_UP).exists()


@pytest.mark.django_db
class TestKeptAndRecorded:
    @freeze_time(LATE)
    def test_a_kept_draft_comes_back_and_goes_once_sent_another_way(
        self, django_capture_on_commit_callbacks
    ):
        filed = factories.filed_request(received=timezone.localdate() - timedelta(days=30))
        letter_draft_save(
            records_request=filed,
            kind=LetterKind.FOLLOW_UP,
            body="My own words.",
            actor=filed.owner,
        )
        assert letter_draft_text(records_request=filed, kind=LetterKind.FOLLOW_UP) == (
            "My own words."
        )
        assert not filed.communications.exists()  # a draft is not on the timeline

        with django_capture_on_commit_callbacks(execute=True):
            letter = letter_record_sent(
                records_request=filed,
                kind=LetterKind.FOLLOW_UP,
                body="My own words.",
                actor=filed.owner,
                method="mail",
                sent_on=timezone.localdate() - timedelta(days=1),
            )
        filed.refresh_from_db()
        assert (letter.sent_via, letter.to_address, letter.body) == ("mail", "", "My own words.")
        assert timezone.localdate(letter.sent_at) == timezone.localdate() - timedelta(days=1)
        assert filed.letter_drafts == {}
        assert not OutboxMessage.objects.exists()  # sent by post: nothing emailed

    def test_someone_else_cannot_keep_a_draft(self, other_user):
        filed = factories.filed_request(received=timezone.localdate())
        with pytest.raises(RequestError):
            letter_draft_save(
                records_request=filed, kind=LetterKind.FOLLOW_UP, body="x", actor=other_user
            )


@pytest.mark.django_db
class TestDraftPage:
    @freeze_time(LATE)
    def test_the_follow_up_page_edits_keeps_and_records(self, client):
        filed = factories.filed_request(received=timezone.localdate() - timedelta(days=30))
        client.force_login(filed.owner)
        url = reverse("requests:letter", kwargs={"pk": filed.pk, "kind": "follow_up"})

        page = client.get(url)
        assert page.status_code == 200
        assert "days late" in page.context["form"]["body"].value()
        kept = client.post(url, {"action": "save", "body": "Please answer."}, follow=True)
        assert "Draft kept. Nothing has been sent." in kept.text
        assert kept.context["form"]["body"].value() == "Please answer."

        missing = client.post(url, {"action": "record", "body": "Please answer."})
        assert missing.status_code == 200
        assert missing.context["form"].errors["method"] == ["Say how you sent the letter."]

    def test_a_follow_up_for_an_agency_that_is_not_late_is_refused_clearly(self, client):
        filed = factories.filed_request(received=timezone.localdate())
        client.force_login(filed.owner)
        url = reverse("requests:letter", kwargs={"pk": filed.pk, "kind": "follow_up"})
        response = client.get(url, follow=True)
        assert "the agency is not late" in response.text
        assert response.redirect_chain[-1][0] == filed.get_absolute_url()


@pytest.mark.django_db
class TestChallengeArguesEveryGround:
    def test_each_cited_ground_gets_its_answer(self, cpra):
        filed = factories.filed_request(received=timezone.localdate() - timedelta(days=5))
        services.determination_record(
            records_request=filed,
            actor=filed.owner,
            kind=DeterminationKind.DENIAL,
            response_date=filed.received_on + timedelta(days=3),
            exemptions=list(cpra.exemptions.filter(section__in=["§7927.200", "§7927.700"])),
            other_exemptions="Evidence Code §1040",
            official_name="Jane Roe",
            official_title="Records Manager",
        )
        filed.refresh_from_db()
        denial = filed.determinations.get()

        body = denial_challenge_body(records_request=filed, denial=denial, due=None)

        # Before, only the deficiencies were argued; the grounds themselves went unanswered.
        assert "Gov. Code §7927.200 [former §6254(b)] covers records pertaining to pending" in body
        assert "Gov. Code §7927.700 [former §6254(c)] covers personnel, medical" in body
        assert "You also cite “Evidence Code §1040”" in body


@pytest.mark.django_db
class TestOneSignature:
    def test_letters_sign_with_the_profile_name_and_organization_never_the_username(self, client):
        user = factories.UserFactory(username="reporter", first_name="", last_name="")
        user.profile.display_name = "Rosa Reporter"
        user.profile.organization = "Fresno Bee"
        user.profile.save()
        agency = factories.AgencyFactory()
        client.force_login(user)

        response = client.post(
            reverse("requests:new"),
            {
                "agency": agency.pk,
                "law": factories.law().pk,
                "title": "ALPR policy",
                "records_sought": "The ALPR policy.",
                "action": "save",
            },
        )
        assert response.status_code == 302
        saved = RecordsRequest.objects.get(owner=user)
        assert saved.letter_body.endswith("Sincerely,\nRosa Reporter\nFresno Bee")
        assert "reporter" not in saved.letter_body.replace("Reporter", "")

        preview = client.post(
            reverse("letters:preview", kwargs={"pk": saved.pk}), {"body": saved.letter_body}
        )
        text = pdf_text(preview.content)
        assert text.count("Sincerely") == 1
        assert len(re.findall("Rosa Reporter", text)) == 2  # letterhead and signature


def _last_page_text(data: bytes) -> str:
    from io import BytesIO

    from pypdf import PdfReader

    return " ".join(PdfReader(BytesIO(data)).pages[-1].extract_text().split())


@pytest.mark.django_db
class TestTheClosingKeepsItsParagraph:
    def test_the_signature_never_starts_a_page_alone(self, draft):
        # Letters of growing length move the page break through the closing: wherever it
        # falls, the last page holds a paragraph of the letter, not only "Sincerely" and the
        # name (before, the signature block was pushed alone onto page 2).
        closing = "Thank you for your help.\n\nSincerely,\nAda Lovelace\nFresno Surveillance Watch"
        for lines in range(30, 46):
            filler = "\n\n".join(f"Paragraph {n} of the request." for n in range(lines))
            body = f"{filler}\n\nThe last paragraph of the letter.\n\n{closing}"
            data = letter_preview_pdf(records_request=draft, body=body)
            last = _last_page_text(data)
            assert "The last paragraph of the letter." in last or "Page 1 of 1" in last, (
                lines,
                last,
            )
