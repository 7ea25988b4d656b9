from datetime import UTC, date, datetime
from email.message import EmailMessage

import pytest
from freezegun import freeze_time

from rtcc_requests.inbound.models import ReviewItem, ReviewReason, ReviewStatus
from rtcc_requests.inbound.services import inbound_ingest, review_attach, review_dismiss
from rtcc_requests.outbox.models import OutboxMessage
from rtcc_requests.requests.choices import Status
from rtcc_requests.requests.models import Communication

from ..factories import filed_request
from .conftest import eml

pytestmark = pytest.mark.django_db


def _stored(fresno_request, name: str) -> Communication:
    result = inbound_ingest(raw=eml(name))
    assert result.outcome == "stored", result.reason
    assert result.communication.request_id == fresno_request.pk
    return result.communication


class TestInboundIngestStoresReplies:
    def test_multipart_alternative_keeps_the_plain_text_part(self, fresno_request):
        reply = _stored(fresno_request, "alternative.eml")
        assert reply.direction == "in" and reply.kind == "reply"
        assert reply.subject == "RE: CPRA request - ALPR policy and audit logs"
        assert reply.from_address == "Fresno PD Records Unit <records@fresno.example>"
        assert reply.sent_at == datetime(2026, 11, 24, 17, 13, 55, tzinfo=UTC)
        assert "assigned it reference number PRA-2026-0412." in reply.body
        assert "<p>" not in reply.body
        assert reply.attachments.count() == 0

    def test_the_original_email_is_kept_byte_for_byte(self, fresno_request):
        # A court packet files the message as it arrived, with its headers and encodings.
        reply = _stored(fresno_request, "latin1.eml")
        assert reply.raw_message.read() == eml("latin1.eml")

    def test_html_only_body_becomes_text_without_script_content(self, fresno_request):
        reply = _stored(fresno_request, "html_only.eml")
        assert "The responsive records are available for download" in reply.body
        assert "<https://portal.fresno.example/r/7781>" in reply.body
        assert "Fees & charges: none." in reply.body
        for hostile in ("document.cookie", "alert(", "color: red", "Portal notice", "<script"):
            assert hostile not in reply.body

    def test_nested_forward_is_kept_as_eml_and_its_pdf_and_text_are_extracted(self, fresno_request):
        reply = _stored(fresno_request, "forward.eml")
        files = {a.filename: a for a in reply.attachments.all()}
        assert set(files) == {"Responsive records for PRA-2026-0412.eml", "ALPR-policy.pdf"}
        assert files["ALPR-policy.pdf"].content_type == "application/pdf"
        assert files["ALPR-policy.pdf"].file.read().startswith(b"%PDF")
        assert files["Responsive records for PRA-2026-0412.eml"].content_type == "message/rfc822"
        assert reply.body.startswith("Forwarding the clerk's response below.")
        assert "---------- Forwarded message ----------" in reply.body
        assert "From: Jane Clerk <jclerk@fresno.example>" in reply.body
        assert "withheld under Gov. Code section 7923.600" in reply.body

    def test_pdf_and_docx_are_stored_and_a_path_in_a_filename_is_stripped(self, fresno_request):
        reply = _stored(fresno_request, "pdf_docx.eml")
        stored = [(a.filename, a.content_type, a.size > 0) for a in reply.attachments.all()]
        docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        assert stored == [
            ("contract.pdf", "application/pdf", True),
            ("retention-policy.docx", docx, True),
            ("audit summary.docx", docx, True),
        ]
        assert all(".." not in a.file.name for a in reply.attachments.all())

    def test_latin1_body_and_windows_1252_encoded_subject_are_decoded(self, fresno_request):
        reply = _stored(fresno_request, "latin1.eml")
        assert reply.subject == "Re: Public Records Request \u2013 \u201cALPR\u201d records"
        assert "Se\u00f1or Requester" in reply.body
        assert "r\u00e9sum\u00e9" in reply.body
        assert reply.from_address == "Jos\u00e9 Pe\u00f1a <jpena@fresno.example>"

    def test_winmail_dat_is_refused_with_a_reason_and_the_text_is_kept(self, fresno_request):
        result = inbound_ingest(raw=eml("winmail.eml"))
        reply = result.communication
        assert reply.attachments.count() == 0
        [refused] = result.refused
        assert refused.filename == "winmail.dat"
        assert "Outlook's private TNEF" in refused.reason
        assert "section 6254(f) and \u00a7 7922.000" in reply.body
        assert "[rtcc-requests: attachments not stored]" in reply.body
        assert "winmail.dat (application/ms-tnef): winmail.dat is Outlook's" in reply.body

    def test_disallowed_and_mislabelled_files_are_refused_with_reasons(self, fresno_request):
        result = inbound_ingest(raw=eml("refused_types.eml"))
        assert result.communication.attachments.count() == 0
        reasons = {r.filename: r.reason for r in result.refused}
        assert reasons["logs.zip"].startswith("this type of file is not accepted.")
        assert reasons["not-really.pdf"] == (
            "its name says it is a PDF document, but its content is a Windows program."
        )
        assert reasons["viewer.exe"].startswith("this type of file is not accepted.")
        assert "- viewer.exe (application/x-msdownload): this type" in result.communication.body

    def test_attachment_over_the_size_limit_is_refused_and_the_rest_stored(self, fresno_request):
        message = EmailMessage()
        message["From"] = "records@fresno.example"
        message["To"] = fresno_request.reply_address
        message["Subject"] = "Body camera footage"
        message["Message-ID"] = "<big-1@fresno.example>"
        message.set_content("The footage is attached, with the cover letter.")
        message.add_attachment(
            b"%PDF-1.4 " + b"0" * (30 * 1024 * 1024),
            maintype="application",
            subtype="pdf",
            filename="footage-log.pdf",
        )
        message.add_attachment(
            b"%PDF-1.4 cover", maintype="application", subtype="pdf", filename="cover.pdf"
        )
        result = inbound_ingest(raw=message.as_bytes())
        assert result.outcome == "stored"
        assert [a.filename for a in result.communication.attachments.all()] == ["cover.pdf"]
        [refused] = result.refused
        assert refused.filename == "footage-log.pdf"
        assert "it is 30.0\xa0MB; the largest file accepted is 25.0\xa0MB." in refused.reason

    def test_same_message_id_delivered_twice_is_stored_once(self, fresno_request):
        first = inbound_ingest(raw=eml("pdf_docx.eml"))
        second = inbound_ingest(raw=eml("pdf_docx.eml"))
        assert (first.outcome, second.outcome) == ("stored", "duplicate")
        assert Communication.objects.filter(direction="in").count() == 1
        assert OutboxMessage.objects.count() == 1

    def test_message_without_message_id_is_still_stored_once(self, fresno_request):
        raw = eml("latin1.eml").replace(b"Message-ID: <latin1-0412@fresno.example>\r\n", b"")
        assert inbound_ingest(raw=raw).outcome == "stored"
        assert inbound_ingest(raw=raw).outcome == "duplicate"

    def test_requester_is_notified_with_a_link_and_status_does_not_change(self, fresno_request):
        reply = _stored(fresno_request, "alternative.eml")
        message = OutboxMessage.objects.get(idempotency_key=f"reply-{reply.pk}")
        assert message.to == [fresno_request.owner.email]
        assert message.subject == (
            "Fresno Police Department replied to: ALPR policy and audit logs"
        )
        assert f"https://rtcc.example/requests/{fresno_request.pk}/" in message.body_text
        assert "extension notice (determination expected by Thu 10 Dec 2026)" in (message.body_text)
        fresno_request.refresh_from_db()
        assert fresno_request.status == Status.FILED


class TestInboundIngestReviewQueue:
    def test_unknown_token_goes_to_review_with_the_original(self, fresno_request):
        result = inbound_ingest(raw=eml("unknown_token.eml"))
        item = result.review_item
        assert result.outcome == "review"
        assert (item.reason, item.status) == (ReviewReason.UNKNOWN_TOKEN, ReviewStatus.OPEN)
        assert item.raw.read() == eml("unknown_token.eml")
        assert not Communication.objects.filter(direction="in").exists()

    def test_sender_at_a_domain_the_request_never_wrote_to_goes_to_review(self, fresno_request):
        result = inbound_ingest(raw=eml("stranger.eml"))
        assert result.review_item.reason == ReviewReason.UNEXPECTED_SENDER
        assert result.review_item.records_request == fresno_request
        assert "someone@mail.example" in result.review_item.detail

    def test_subdomain_of_the_agency_domain_is_accepted(self, fresno_request):
        assert inbound_ingest(raw=eml("html_only.eml")).outcome == "stored"

    def test_message_to_no_reply_address_goes_to_review(self, fresno_request):
        result = inbound_ingest(raw=eml("no_token.eml"))
        assert result.review_item.reason == ReviewReason.NO_TOKEN

    def test_envelope_recipient_given_by_the_mta_is_used(self, fresno_request):
        raw = eml("no_token.eml")
        result = inbound_ingest(raw=raw, recipient=fresno_request.reply_address)
        assert result.outcome == "stored"

    def test_held_message_delivered_twice_is_held_once(self, fresno_request):
        inbound_ingest(raw=eml("unknown_token.eml"))
        assert inbound_ingest(raw=eml("unknown_token.eml")).outcome == "duplicate"
        assert ReviewItem.objects.count() == 1

    def test_unreadable_bytes_are_held_not_dropped(self, fresno_request):
        result = inbound_ingest(raw=b"\x00\xff\xfe garbage with no headers at all")
        assert result.outcome == "review"
        assert ReviewItem.objects.get().raw.read().startswith(b"\x00\xff\xfe")

    def test_staff_attach_a_held_message_to_its_request(self, fresno_request, staff_user):
        item = inbound_ingest(raw=eml("stranger.eml")).review_item
        reply = review_attach(item=item, actor=staff_user)
        item.refresh_from_db()
        assert (item.status, item.communication, item.resolved_by) == (
            ReviewStatus.ATTACHED,
            reply,
            staff_user,
        )
        assert reply.request == fresno_request
        assert reply.created_by == staff_user
        assert reply.raw_message.read() == eml("stranger.eml")

    def test_staff_dismiss_a_held_message(self, fresno_request, staff_user):
        item = inbound_ingest(raw=eml("no_token.eml")).review_item
        review_dismiss(item=item, actor=staff_user)
        item.refresh_from_db()
        assert item.status == ReviewStatus.DISMISSED
        assert ReviewItem.objects.count() == 1


class TestBrokenMessagesDoNotCrash:
    @pytest.mark.parametrize(
        ("body", "subject", "text", "refused"),
        [
            pytest.param(
                b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\n'
                b"Content-Type: text/plain\r\n\r\nRecords attached.\r\n--b\r\n"
                b"Content-Type: application/pdf; name=a.pdf\r\n"
                b"Content-Transfer-Encoding: base64\r\n\r\nJVBERi0x!!!not*base64",
                "",
                "Records attached.",
                # Base64 that cannot be decoded stays as it came, which is not a PDF.
                [("a.pdf", "application/pdf")],
                id="unclosed-multipart-broken-base64",
            ),
            pytest.param(
                b"Content-Type: text/plain; charset=x-no-such-charset\r\n\r\nCaf\xe9 records.",
                "",
                "Café records.",  # not UTF-8, so read as Windows-1252
                [],
                id="unknown-charset",
            ),
            pytest.param(
                b"Subject: Re: caf\xe9 \xff\r\nDate: yesterday-ish\r\n"
                b"Content-Type: text/plain\r\n\r\nHi",
                "Re: caf\ufffd \ufffd",  # replacement characters, never raw bytes
                "Hi",
                [],
                id="8bit-header-unparseable-date",
            ),
        ],
    )
    def test_malformed_message_is_stored_as_a_reply_with_what_could_be_read(
        self, fresno_request, body, subject, text, refused
    ):
        """Parsing never gives up on a broken header, part or charset (inbound/mime.py), so a
        broken message to a known token from the agency is its request's reply, not held."""
        raw = (
            b"From: records@fresno.example\r\nTo: request+fresnoalpr2026@requests.localhost\r\n"
            b"Message-ID: <broken@fresno.example>\r\nMIME-Version: 1.0\r\n" + body
        )
        with freeze_time("2026-11-26 18:00:00"):
            result = inbound_ingest(raw=raw)
        assert result.outcome == "stored", result.reason
        assert ReviewItem.objects.count() == 0
        reply = Communication.objects.get(direction="in")
        assert reply == result.communication and reply.request_id == fresno_request.pk
        readable, _, note = reply.body.partition("\n\n[rtcc-requests: attachments not stored]\n")
        assert (reply.subject, readable) == (subject, text)
        # No Date, or none that parses: the time it arrived.
        assert reply.sent_at == datetime(2026, 11, 26, 18, 0, tzinfo=UTC)
        assert [(r.filename, r.content_type) for r in result.refused] == refused
        assert all(r.reason for r in result.refused)
        # ... and each refused file is named below the text, with its reason.
        lines = [f"- {r.filename} ({r.content_type}): {r.reason}" for r in result.refused]
        assert note == "\n".join(lines)
        assert reply.attachments.count() == 0


def _reply(
    *,
    sender: str = "records@fresno.example",
    to: str = "request+fresnoalpr2026@requests.localhost",
    message_id: str = "<reply-1@fresno.example>",
    body: str = "Your request is granted in part.",
    auth: tuple[str, ...] = (),
    extra: tuple[tuple[str, str], ...] = (),
) -> bytes:
    """A reply as our MTA hands it over: its Authentication-Results on top."""
    lines = [*(f"Authentication-Results: {a}" for a in auth), *(f"{k}: {v}" for k, v in extra)]
    lines += [
        f"From: {sender}",
        f"To: {to}",
        "Subject: Re: CPRA request",
        "Date: Thu, 03 Dec 2026 11:00:00 -0800",
        f"Message-ID: {message_id}",
        "Content-Type: text/plain; charset=utf-8",
        "",
        body,
    ]
    return "\r\n".join(lines).encode()


class TestSenderTrust:
    def test_the_lenient_parsers_reading_of_an_ambiguous_from_goes_to_review(self, fresno_request):
        # CVE-2023-27043: parseaddr reads records@fresno.example, which the request wrote to.
        raw = _reply(sender="records@fresno.example)<attacker@evil.example>")
        result = inbound_ingest(raw=raw)
        assert result.outcome == "review"
        item = result.review_item
        assert (item.reason, item.records_request) == (
            ReviewReason.AMBIGUOUS_SENDER,
            fresno_request,
        )
        assert item.from_address == "records@fresno.example)<attacker@evil.example>"
        assert "can be read more than one way" in item.detail
        assert "'attacker@evil.example'" in item.detail
        assert not Communication.objects.filter(direction="in").exists()

    def test_two_from_headers_go_to_review(self, fresno_request):
        raw = _reply(extra=(("From", "attacker@evil.example"),))
        item = inbound_ingest(raw=raw).review_item
        assert item.reason == ReviewReason.AMBIGUOUS_SENDER
        assert "2 From headers" in item.detail

    def test_a_pass_for_the_agencys_domain_is_stored_as_today(self, fresno_request):
        auth = (
            "mx.requests.localhost; spf=pass smtp.mailfrom=records@fresno.example; "
            "dkim=pass header.d=fresno.example; dmarc=pass header.from=fresno.example"
        )
        assert inbound_ingest(raw=_reply(auth=(auth,))).outcome == "stored"

    @pytest.mark.parametrize(
        ("auth", "said"),
        [
            ("mx.requests.localhost; dmarc=fail (p=reject) header.from=fresno.example",
             "dmarc=fail for fresno.example"),
            ("mx.requests.localhost; spf=pass smtp.mailfrom=bounce@evil.example; "
             "dkim=pass header.d=evil.example; dmarc=none header.from=fresno.example",
             "no SPF, DKIM or DMARC pass for fresno.example"),
            ("mx.requests.localhost; none", "no results"),
        ],
    )  # fmt: skip
    def test_a_failing_or_missing_pass_goes_to_review_with_what_the_server_found(
        self, fresno_request, auth, said
    ):
        result = inbound_ingest(raw=_reply(auth=(auth,)))
        assert result.outcome == "review"
        item = result.review_item
        assert (item.reason, item.records_request) == (
            ReviewReason.SENDER_NOT_VERIFIED,
            fresno_request,
        )
        assert "Authentication-Results of mx.requests.localhost" in item.detail
        assert said in item.detail

    def test_only_the_topmost_header_is_ours_by_default(self, fresno_request):
        ours = "mx.requests.localhost; dmarc=fail header.from=fresno.example"
        forged = "mx.requests.localhost; dmarc=pass header.from=fresno.example"
        assert inbound_ingest(raw=_reply(auth=(ours, forged))).outcome == "review"

    def test_with_our_authserv_id_set_another_servers_header_is_ignored(
        self, fresno_request, settings
    ):
        relay = "relay.evil.example; dmarc=pass header.from=fresno.example"
        ours = "mx.requests.localhost; dmarc=fail header.from=fresno.example"
        settings.INBOUND_AUTHSERV_ID = "mx.requests.localhost"
        item = inbound_ingest(raw=_reply(auth=(relay, ours))).review_item
        assert item.reason == ReviewReason.SENDER_NOT_VERIFIED

    def test_with_our_authserv_id_set_and_no_header_of_ours_it_is_as_today(
        self, fresno_request, settings
    ):
        settings.INBOUND_AUTHSERV_ID = "mx.requests.localhost"
        relay = "relay.evil.example; dmarc=fail header.from=fresno.example"
        assert inbound_ingest(raw=_reply(auth=(relay,))).outcome == "stored"

    def test_staff_may_still_attach_a_message_held_for_its_sender(self, fresno_request, staff_user):
        raw = _reply(auth=("mx.requests.localhost; dmarc=fail header.from=fresno.example",))
        item = inbound_ingest(raw=raw).review_item
        reply = review_attach(item=item, actor=staff_user)
        assert (reply.request, reply.message_id) == (fresno_request, "<reply-1@fresno.example>")


class TestMessageIdIsPerRequestAndContent:
    def test_a_redelivery_with_other_transport_headers_is_a_duplicate(self, fresno_request):
        assert inbound_ingest(raw=_reply()).outcome == "stored"
        again = _reply(extra=(("Received", "from mx2.fresno.example by mx.requests.localhost"),))
        assert inbound_ingest(raw=again).outcome == "duplicate"
        assert Communication.objects.filter(direction="in").count() == 1

    def test_a_different_message_reusing_a_stored_message_id_is_held_not_dropped(
        self, fresno_request
    ):
        stored = inbound_ingest(raw=_reply()).communication
        result = inbound_ingest(raw=_reply(body="A different reply, same Message-ID."))
        assert result.outcome == "review"
        item = result.review_item
        assert (item.reason, item.records_request) == (
            ReviewReason.MESSAGE_ID_REUSED,
            fresno_request,
        )
        assert f"request {stored.request_id}" in item.detail
        assert "differs" in item.detail
        # ... and that copy, delivered again, is held once.
        again = inbound_ingest(raw=_reply(body="A different reply, same Message-ID."))
        assert again.outcome == "duplicate"
        assert ReviewItem.objects.count() == 1

    def test_an_impostor_sending_the_message_id_first_does_not_block_the_real_reply(
        self, fresno_request
    ):
        impostor = inbound_ingest(raw=_reply(sender="someone@mail.example", body="Denied."))
        assert impostor.review_item.reason == ReviewReason.UNEXPECTED_SENDER
        real = inbound_ingest(raw=_reply())
        assert real.outcome == "stored", real.reason
        assert real.communication.body == "Your request is granted in part."

    def test_two_different_held_messages_with_one_message_id_are_both_kept(self, fresno_request):
        to = "request+nosuchtoken@requests.localhost"
        first = inbound_ingest(raw=_reply(to=to, body="First."))
        second = inbound_ingest(raw=_reply(to=to, body="Second."))
        assert (first.outcome, second.outcome) == ("review", "review")
        assert ReviewItem.objects.count() == 2

    def test_the_same_message_for_another_request_is_held_for_review(self, fresno_request):
        other = filed_request(
            received=date(2026, 11, 16),
            agency=fresno_request.agency,
            reply_token="fresnodrones2026",
            title="Drone flight logs",
        )
        assert inbound_ingest(raw=_reply()).outcome == "stored"
        result = inbound_ingest(raw=_reply(), recipient=other.reply_address)
        assert result.outcome == "review"
        assert result.review_item.reason == ReviewReason.MESSAGE_ID_REUSED
        assert result.review_item.records_request == other
        assert f"request {fresno_request.pk}" in result.review_item.detail

    def test_staff_attach_a_message_reusing_a_message_id_as_a_reply_of_its_own(
        self, fresno_request, staff_user
    ):
        first = inbound_ingest(raw=_reply()).communication
        item = inbound_ingest(raw=_reply(body="Second, same Message-ID.")).review_item
        reply = review_attach(item=item, actor=staff_user)
        assert reply != first
        assert reply.body == "Second, same Message-ID."
        assert reply.message_id == ""  # the Message-ID is the first reply's; the item keeps it
        item.refresh_from_db()
        assert (item.communication, item.message_id) == (reply, "<reply-1@fresno.example>")
        assert inbound_ingest(raw=_reply(body="Second, same Message-ID.")).outcome == "duplicate"
