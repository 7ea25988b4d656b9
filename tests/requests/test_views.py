"""The composer, filing and the request page: who may see and change what, and what they see."""

import re
from datetime import date, timedelta

import html5lib
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from freezegun import freeze_time

from rtcc_requests.agencies.models import Deployment, DeploymentStatus
from rtcc_requests.requests import services
from rtcc_requests.requests.choices import (
    CommunicationKind,
    Direction,
    PdfStatus,
    Status,
    Visibility,
)
from rtcc_requests.requests.models import Communication, RecordsRequest, RequestEvent
from tests import factories

TODAY = date(2026, 11, 26)
RECEIVED = date(2026, 11, 16)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    # Users are created for every case of the matrix; the real hasher is slow on purpose.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def frozen():
    with freeze_time("2026-11-26 18:00:00", tick=True):
        yield


def _filed(owner, *, visibility=Visibility.PRIVATE) -> RecordsRequest:
    records_request = factories.filed_request(received=RECEIVED, owner=owner)
    if visibility != Visibility.PRIVATE:
        services.request_set_visibility(
            records_request=records_request, actor=owner, visibility=visibility
        )
    return records_request


def _with_attachment(records_request: RecordsRequest) -> int:
    communication = services.reply_log(
        records_request=records_request,
        actor=records_request.owner,
        subject="Your request",
        files=[SimpleUploadedFile("letter.pdf", b"%PDF-1.4 reply", "application/pdf")],
    )
    return communication.attachments.get().pk


# --- Permission matrix ----------------------------------------------------------------------

VIEWERS = ["anonymous", "other", "owner", "staff"]
VISIBILITIES = [Visibility.PRIVATE, Visibility.PUBLIC]
# (url name, method, POST data). Every view that reads or changes one request.
ACTIONS = [
    ("detail", "get", None),
    ("attachment", "get", None),
    ("edit", "get", None),
    ("edit", "post", {"title": "Changed"}),
    ("file", "get", None),
    ("file", "post", {"method": "portal", "filed_on": "2026-11-20"}),
    ("reply", "post", {"received_on": "2026-11-20", "subject": "Hello"}),
    ("determination", "post", {"kind": "acknowledgement", "response_date": "2026-11-20"}),
    ("answer", "post", {"answered_on": "2026-11-20", "body": "Only 2025."}),
    ("note", "post", {"body": "A note"}),
    ("visibility", "post", {"visibility": "public"}),
    ("withdraw", "post", {"reason": "Done"}),
    ("close", "post", {"reason": "Done"}),
    (
        "letter",
        "post",
        {"action": "save", "body": "Where is your determination?\n\nSincerely,\nAda"},
    ),
    ("letter_retry", "post", {}),
]
READS = {"detail", "attachment"}


def _login(client, viewer, owner, other_user, staff_user):
    if viewer != "anonymous":
        client.force_login({"other": other_user, "owner": owner, "staff": staff_user}[viewer])


@pytest.mark.parametrize("visibility", VISIBILITIES)
@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize(("name", "method", "data"), ACTIONS)
def test_permission_matrix(
    client, user, other_user, staff_user, viewer, visibility, name, method, data
):
    records_request = _filed(user, visibility=visibility)
    attachment_pk = _with_attachment(records_request)
    kwargs = {"pk": records_request.pk}
    if name == "attachment":
        kwargs["attachment_pk"] = attachment_pk
    if name == "letter":
        kwargs["kind"] = "follow_up"
    if name == "letter_retry":
        kwargs["communication_pk"] = Communication.objects.create(
            request=records_request,
            direction=Direction.OUTGOING,
            kind=CommunicationKind.LETTER,
            letter_kind="request",
            pdf_status=PdfStatus.FAILED,
        ).pk
    url = reverse(f"requests:{name}", kwargs=kwargs)
    before = (RequestEvent.objects.count(), Communication.objects.count())
    _login(client, viewer, user, other_user, staff_user)

    response = getattr(client, method)(url, data or {})

    can_see = viewer in ("owner", "staff") or visibility == Visibility.PUBLIC
    if viewer in ("owner", "staff"):
        if name in READS:
            assert response.status_code == 200
        else:
            # Every form here is valid, so each action is done (or, for a filed request,
            # editing and filing again are refused) and ends on the request's page.
            assert response.status_code == 302
            # A letter's draft is kept, and its page shown again to go on with it.
            back = url if name == "letter" else records_request.get_absolute_url()
            assert response["Location"] == back
    elif name not in READS and viewer == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    elif not can_see:
        assert response.status_code == 404
    elif name in READS:
        assert response.status_code == 200
    else:
        assert response.status_code == 403
    if viewer not in ("owner", "staff"):
        assert (RequestEvent.objects.count(), Communication.objects.count()) == before
        records_request.refresh_from_db()
        assert records_request.status == Status.FILED
        assert records_request.visibility == visibility


@pytest.mark.parametrize("viewer", VIEWERS)
def test_drafts_are_only_for_their_owner_and_staff(client, user, other_user, staff_user, viewer):
    draft = factories.RecordsRequestFactory(owner=user, visibility=Visibility.PUBLIC)
    _login(client, viewer, user, other_user, staff_user)
    for name in ("detail", "edit", "file"):
        response = client.get(reverse(f"requests:{name}", kwargs={"pk": draft.pk}))
        expected = {"anonymous": 302 if name != "detail" else 404, "other": 404}
        assert response.status_code == expected.get(viewer, 200), name


def test_composer_needs_a_login(client):
    for name in ("requests:new", "requests:composer_technologies"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_private_note_and_its_attachment_stay_private_on_a_public_request(client, user, other_user):
    records_request = _filed(user, visibility=Visibility.PUBLIC)
    services.communication_log(
        records_request=records_request,
        actor=user,
        direction=Direction.INTERNAL,
        kind=CommunicationKind.NOTE,
        body="Call the records clerk on Monday",
        is_private=True,
    )
    client.force_login(other_user)
    assert "records clerk" not in client.get(records_request.get_absolute_url()).text
    client.force_login(user)
    assert "records clerk" in client.get(records_request.get_absolute_url()).text


# --- Composer -------------------------------------------------------------------------------


class TestComposer:
    def test_agency_in_the_url_preselects_agency_and_law_but_no_technology(self, client, user):
        # Before: every technology known at the agency was ticked (seven for Fresno PD).
        agency = factories.AgencyFactory(slug="fresno-pd")
        alpr = factories.technology()
        Deployment.objects.create(agency=agency, technology=alpr, status=DeploymentStatus.ACTIVE)
        client.force_login(user)

        page = client.get(reverse("requests:new"), {"agency": "fresno-pd"}).text

        assert f'<option value="{agency.pk}" selected>' in page
        assert f'<option value="{factories.law().pk}" selected>' in page
        assert re.search(rf'name="technologies" value="{alpr.pk}"', page)
        assert not re.search(r'name="technologies" value="\d+"[^>]* checked', page)

    def test_a_technology_link_ticks_that_technology_only(self, client, user):
        agency = factories.AgencyFactory(slug="fresno-pd")
        alpr = factories.technology()
        drones = factories.technology("drones")
        for technology in (alpr, drones):
            Deployment.objects.create(
                agency=agency, technology=technology, status=DeploymentStatus.ACTIVE
            )
        client.force_login(user)

        page = client.get(
            reverse("requests:new"), {"agency": "fresno-pd", "technology": drones.slug}
        ).text

        assert re.search(rf'name="technologies" value="{drones.pk}"[^>]* checked', page)
        assert not re.search(rf'name="technologies" value="{alpr.pk}"[^>]* checked', page)

    def test_an_unknown_technology_in_the_link_ticks_nothing(self, client, user):
        client.force_login(user)
        page = client.get(reverse("requests:new"), {"technology": "no-such/../thing"})
        assert page.status_code == 200
        assert not re.search(r'name="technologies" value="\d+"[^>]* checked', page.text)

    def test_technologies_json_gives_the_agency_defaults(self, client, user):
        agency = factories.AgencyFactory()
        alpr = factories.technology()
        Deployment.objects.create(agency=agency, technology=alpr, status=DeploymentStatus.ACTIVE)
        drones = factories.technology("drones")
        Deployment.objects.create(
            agency=agency, technology=drones, status=DeploymentStatus.REJECTED
        )
        client.force_login(user)

        data = client.get(reverse("requests:composer_technologies"), {"agency": agency.pk}).json()

        assert data == {"technologies": [alpr.pk], "law": factories.law().pk, "can_email": True}

    def test_draft_button_fills_in_the_law_and_drafts_the_letter_without_saving(self, client, user):
        agency = factories.AgencyFactory(name="Fresno Police Department")
        client.force_login(user)

        response = client.post(
            reverse("requests:new"),
            {"agency": agency.pk, "records_sought": "ALPR audit logs", "action": "draft"},
        )

        assert response.status_code == 200
        assert "ALPR audit logs" in response.text
        assert "§7922.535" in response.text  # the CPRA letter cites the 10-day clock
        assert not RecordsRequest.objects.exists()

    def test_save_creates_a_draft_with_a_drafted_letter(self, client, user):
        agency = factories.AgencyFactory()
        client.force_login(user)

        response = client.post(
            reverse("requests:new"),
            {
                "agency": agency.pk,
                "law": factories.law().pk,
                "technologies": [factories.technology().pk],
                "title": "ALPR policy",
                "records_sought": "The ALPR usage policy.",
                "body": "",
                "action": "save",
            },
        )

        created = RecordsRequest.objects.get()
        assert response["Location"] == reverse("requests:edit", kwargs={"pk": created.pk})
        assert created.owner == user and created.status == Status.DRAFT
        assert "The ALPR usage policy." in created.letter_body
        assert list(created.technologies.all()) == [factories.technology()]

    def test_file_button_saves_and_goes_to_filing(self, client, user):
        draft = factories.RecordsRequestFactory(owner=user)
        client.force_login(user)

        response = client.post(
            reverse("requests:edit", kwargs={"pk": draft.pk}),
            {
                "agency": draft.agency_id,
                "law": draft.law_id,
                "title": "Renamed",
                "records_sought": "Audit logs",
                "body": "My own letter.",
                "action": "file",
            },
        )

        assert response["Location"] == reverse("requests:file", kwargs={"pk": draft.pk})
        draft.refresh_from_db()
        assert (draft.title, draft.letter_body) == ("Renamed", "My own letter.")

    def test_the_draft_can_be_previewed_as_pdf_as_edited(self, client, user):
        draft = factories.RecordsRequestFactory(owner=user, letter_body="Dear clerk")
        client.force_login(user)
        page = client.get(reverse("requests:edit", kwargs={"pk": draft.pk})).text
        preview = reverse("letters:preview", kwargs={"pk": draft.pk})
        assert f'formaction="{preview}" formtarget="_blank"' in page

        # The preview reads the letter as typed, under the name the composer posts it.
        response = client.post(preview, {"body": "Dear clerk, as edited."})
        assert response["Content-Type"] == "application/pdf"

    def test_a_filed_request_cannot_be_edited(self, client, user):
        records_request = _filed(user)
        client.force_login(user)
        response = client.post(
            reverse("requests:edit", kwargs={"pk": records_request.pk}), {"title": "x"}, follow=True
        )
        assert "Only a draft can be edited" in response.text


class TestFiling:
    def test_portal_filing_shows_the_deadline_and_why(self, client, user):
        draft = factories.RecordsRequestFactory(owner=user)
        client.force_login(user)

        response = client.post(
            reverse("requests:file", kwargs={"pk": draft.pk}),
            {
                "method": "portal",
                "filed_on": "2026-11-16",
                "received_on": "2026-11-16",
                "tracking_number": "R-2026-0042",
            },
            follow=True,
        )

        page = response.text
        assert "Determination due:" in page
        assert "Mon 30 Nov 2026, in 4 days" in page
        assert "Thanksgiving" in page
        assert "R-2026-0042" in page
        assert "Wait: the agency owes a determination by Mon 30 Nov 2026." in page
        # The letter as sent is kept on the timeline, dated the day it was sent.
        letter = draft.communications.get()
        assert (letter.kind, letter.letter_kind) == ("letter", "request")
        assert re.search(r"Mon 16 Nov 2026</time>\s*<strong>Request letter</strong>", page)

    def test_email_filing_sends_the_letter_from_the_app(
        self, client, user, django_capture_on_commit_callbacks
    ):
        draft = factories.RecordsRequestFactory(owner=user, letter_body="Please send records.")
        client.force_login(user)
        page = client.get(reverse("requests:file", kwargs={"pk": draft.pk})).text
        assert draft.agency.records_email in page

        with django_capture_on_commit_callbacks(execute=False):
            client.post(reverse("requests:file", kwargs={"pk": draft.pk}), {"method": "email"})

        draft.refresh_from_db()
        assert draft.status == Status.FILED and draft.filing_method == "email"
        letter = draft.communications.get()
        assert letter.to_address == draft.agency.records_email

    def test_email_is_not_offered_without_an_address(self, client, user):
        draft = factories.RecordsRequestFactory(
            owner=user, agency=factories.AgencyFactory(records_email="")
        )
        client.force_login(user)
        page = client.get(reverse("requests:file", kwargs={"pk": draft.pk})).text
        assert 'value="email"' not in page
        response = client.post(
            reverse("requests:file", kwargs={"pk": draft.pk}), {"method": "email"}
        )
        assert "Select a valid choice" in response.text
        draft.refresh_from_db()
        assert draft.status == Status.DRAFT


# --- The request page -----------------------------------------------------------------------


class TestRequestPage:
    def test_late_agency_gets_a_follow_up_suggestion_and_a_late_flag(self, client, user):
        records_request = factories.filed_request(received=date(2026, 11, 2), owner=user)
        client.force_login(user)

        page = client.get(records_request.get_absolute_url()).text

        due = records_request.determination_due
        late = (TODAY - due).days
        assert f"The agency is {late} days late: send a follow-up letter." in page
        assert f"{late} days late</span>" in page
        assert "Write a follow-up letter" in page

    def test_deficient_denial_is_flagged_with_its_reasons(self, client, user, cpra):
        records_request = _filed(user)
        services.determination_record(
            records_request=records_request,
            actor=user,
            kind="denial",
            response_date=date(2026, 11, 24),
            exemptions=list(cpra.exemptions.filter(section__in=["§7923.600", "§7927.705"])),
        )
        client.force_login(user)

        page = client.get(records_request.get_absolute_url()).text

        assert "Deficient denial" in page
        assert "Names no responsible official and title" in page
        assert "The denial is deficient: challenge it." in page
        assert "Responsible official: none named" in page
        assert "§7923.600 [§6254(f)]" in page

    def test_notes_on_a_determination_are_the_requesters_alone(self, client, user, cpra):
        records_request = _filed(user)
        services.determination_record(
            records_request=records_request,
            actor=user,
            kind="denial",
            response_date=date(2026, 11, 24),
            exemptions=list(cpra.exemptions.filter(section="§7923.600")),
            notes="Call the clerk back about the audit logs",
        )
        services.request_set_visibility(
            records_request=records_request, actor=user, visibility="public"
        )
        client.force_login(user)
        assert "Notes: Call the clerk back" in client.get(records_request.get_absolute_url()).text
        client.logout()
        visitor = client.get(records_request.get_absolute_url()).text
        assert "Responsible official: none named" in visitor
        assert "Call the clerk back" not in visitor

    def test_over_long_extension_is_flagged_and_the_legal_maximum_counted(self, client, user):
        records_request = _filed(user)
        services.determination_record(
            records_request=records_request,
            actor=user,
            kind="extension",
            response_date=date(2026, 11, 20),
            extension_date=date(2027, 1, 15),
            extension_ground="voluminous",
        )
        client.force_login(user)

        page = client.get(records_request.get_absolute_url()).text

        assert "Extension beyond the legal maximum" in page
        assert "The notice claimed more than the law allows" in page
        assert "<cite>Gov. Code §7922.535(b)-(c) [§6253(c)]</cite>" in page
        # Received 16 Nov + 24 days = Thu 10 Dec 2026, a court day; read the other way,
        # 30 Nov (where §12a moved day 10) + 14 = Mon 14 Dec, the date in force.
        assert "Extended determination due:</strong>\n      Thu 10 Dec 2026\n" in page
        assert (
            "Extended determination due, the other reading:</strong>\n      Mon 14 Dec 2026, "
            "in 18 days" in page
        )
        assert "The notice named a later date; the law allows at most Thu 10 Dec 2026" in page

    def test_a_late_extension_notice_is_flagged_and_extends_nothing(self, client, user):
        # Received Mon 2 Nov: due Thu 12 Nov; the notice of 20 Nov came too late.
        records_request = factories.filed_request(received=date(2026, 11, 2), owner=user)
        services.determination_record(
            records_request=records_request,
            actor=user,
            kind="extension",
            response_date=date(2026, 11, 20),
            extension_date=date(2026, 11, 26),
            extension_ground="consultation",
        )
        client.force_login(user)

        page = client.get(records_request.get_absolute_url()).text

        assert "Extension notice came after the deadline" in page
        assert "extends nothing: the agency was already late" in page
        assert "Extended determination due" not in page
        assert "Determination due:</strong>\n      Thu 12 Nov 2026" in page
        assert "14 days late" in page

    def test_each_flag_of_a_denial_shows_its_citation(self, client, user, cpra):
        records_request = _filed(user)
        services.determination_record(
            records_request=records_request,
            actor=user,
            kind="denial",
            response_date=date(2026, 11, 24),
            exemptions=list(cpra.exemptions.filter(section="§7927.705")),
            official_name="A. Clerk",
            official_title="Records Manager",
        )
        client.force_login(user)

        page = client.get(records_request.get_absolute_url()).text

        blanket = "Withholds everything, with no segregation"
        assert f"{blanket} <cite>Gov. Code §7922.525(b) [§6253(a)]</cite>" in page
        unnamed = "Cites §7927.705 without naming the other law"
        assert f"{unnamed} <cite>Gov. Code §7927.705 [§6254(k)]</cite>" in page

    def test_both_receipt_dates_are_shown_when_they_differ(self, client, user):
        records_request = _filed(user)
        services.determination_record(
            records_request=records_request,
            actor=user,
            kind="acknowledgement",
            response_date=date(2026, 11, 20),
            agency_received_on=date(2026, 11, 18),
        )
        client.force_login(user)

        page = client.get(records_request.get_absolute_url()).text

        assert "Receipt the agency states</dt><dd>Wed 18 Nov 2026" in page
        assert "the deadlines count from the later of Mon 16 Nov 2026 and this date" in page

    def test_timeline_is_in_date_order_with_downloadable_attachments(self, client, user):
        records_request = _filed(user)
        attachment_pk = _with_attachment(records_request)
        client.force_login(user)

        page = client.get(records_request.get_absolute_url()).text
        download = client.get(
            reverse(
                "requests:attachment",
                kwargs={"pk": records_request.pk, "attachment_pk": attachment_pk},
            )
        )

        assert page.index("Filed by agency web portal") < page.index("Your request")
        assert 'filename="letter.pdf"' in download["Content-Disposition"]
        assert b"".join(download.streaming_content) == b"%PDF-1.4 reply"

    def test_suggested_determinations_from_the_last_reply_are_shown_to_the_owner(
        self, client, user, other_user
    ):
        records_request = _filed(user, visibility=Visibility.PUBLIC)
        services.reply_log(
            records_request=records_request,
            actor=user,
            subject="Your request",
            body="Your request is denied. The records are exempt under Gov. Code §7923.600.",
        )
        client.force_login(user)
        page = client.get(records_request.get_absolute_url()).text
        assert "reply looks like" in page
        assert "§7923.600" in page.split("reply looks like")[1]
        client.force_login(other_user)
        assert "reply looks like" not in client.get(records_request.get_absolute_url()).text

    def test_bounded_queries_however_long_the_timeline(
        self, client, user, cpra, django_assert_max_num_queries
    ):
        def page_queries(records_request) -> None:
            client.force_login(user)
            with django_assert_max_num_queries(22):
                response = client.get(records_request.get_absolute_url())
            assert response.status_code == 200

        small = _filed(user)
        page_queries(small)
        big = _filed(user)
        for n in range(40):
            services.reply_log(
                records_request=big,
                actor=user,
                subject=f"Reply {n}",
                files=[SimpleUploadedFile(f"r{n}.pdf", b"%PDF", "application/pdf")],
            )
            services.communication_log(
                records_request=big,
                actor=user,
                direction=Direction.INTERNAL,
                kind=CommunicationKind.NOTE,
                body=f"Note {n}",
            )
        services.determination_record(
            records_request=big,
            actor=user,
            kind="partial",
            response_date=date(2026, 11, 20),
            exemptions=list(cpra.exemptions.all()[:3]),
        )
        page_queries(big)


# --- HTML validity and labels ---------------------------------------------------------------


def _parse_strict(text: str):
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    return parser.parse(text)


def _unlabelled_controls(text: str) -> list[str]:
    tree = _parse_strict(text)
    labelled = {label.get("for") for label in tree.iter("label") if label.get("for")}
    wrapped = {id(c) for label in tree.iter("label") for c in label.iter()}
    missing = []
    for control in tree.iter():
        if control.tag not in ("input", "select", "textarea"):
            continue
        if control.get("type") in ("hidden", "submit", "button"):
            continue
        if control.get("aria-label") or id(control) in wrapped:
            continue
        if control.get("id") not in labelled:
            missing.append(f"{control.tag} name={control.get('name')}")
    return missing


class TestHtml:
    @pytest.mark.parametrize("page", ["composer", "edit", "file", "detail", "detail-public"])
    def test_pages_parse_strictly_and_label_every_control(self, client, user, other_user, page):
        records_request = _filed(user, visibility=Visibility.PUBLIC)
        _with_attachment(records_request)
        draft = factories.RecordsRequestFactory(owner=user)
        client.force_login(user)
        url = {
            "composer": reverse("requests:new"),
            "edit": reverse("requests:edit", kwargs={"pk": draft.pk}),
            "file": reverse("requests:file", kwargs={"pk": draft.pk}),
            "detail": records_request.get_absolute_url(),
            "detail-public": records_request.get_absolute_url(),
        }[page]
        if page == "detail-public":
            client.force_login(other_user)

        response = client.get(url)

        assert response.status_code == 200
        assert _unlabelled_controls(response.text) == []

    def test_invalid_forms_still_render_valid_html(self, client, user):
        records_request = _filed(user)
        client.force_login(user)
        response = client.post(
            reverse("requests:determination", kwargs={"pk": records_request.pk}),
            {"kind": "denial", "response_date": "2026-11-01"},
        )
        assert "cannot predate" in response.text
        assert _unlabelled_controls(response.text) == []

        composer = client.post(reverse("requests:new"), {"title": "No agency yet"})
        assert "This field is required." in composer.text
        assert _unlabelled_controls(composer.text) == []


def test_follow_up_letter_is_queued_from_the_page(client, user, django_capture_on_commit_callbacks):
    records_request = factories.filed_request(received=TODAY - timedelta(days=30), owner=user)
    client.force_login(user)
    url = reverse("requests:letter", kwargs={"pk": records_request.pk, "kind": "follow_up"})

    draft = client.get(url).context["form"]["body"].value()
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(
            url,
            {"action": "record", "body": draft, "method": "mail", "sent_on": TODAY.isoformat()},
            follow=True,
        )

    letter = records_request.communications.get(kind="letter")
    assert (letter.letter_kind, letter.sent_via) == ("follow_up", "mail")
    assert "Follow-up on a missed deadline recorded as sent." in response.text
    assert "Sent by postal mail." in response.text


class TestVisitorsView:
    def test_a_visitor_sees_the_record_not_the_requesters_advice(self, client, user, cpra):
        records_request = _filed(user, visibility=Visibility.PUBLIC)
        services.determination_record(
            records_request=records_request,
            actor=user,
            kind="denial",
            response_date=date(2026, 11, 24),
            exemptions=list(cpra.exemptions.filter(section="§7927.200")),
        )
        visitor_page = client.get(records_request.get_absolute_url()).text
        assert "Next step" not in visitor_page and "challenge it" not in visitor_page
        assert "Deficient denial" in visitor_page  # the public record
        assert '<span class="badge outcome-met">met</span>' in visitor_page
        client.force_login(user)
        owner_page = client.get(records_request.get_absolute_url()).text
        assert "The denial is deficient: challenge it." in owner_page

    def test_a_missed_deadline_is_marked_missed(self, client, user):
        # Received 2 Nov: due Thu 12 Nov; today is 26 Nov and nothing came.
        records_request = factories.filed_request(received=date(2026, 11, 2), owner=user)
        services.request_set_visibility(
            records_request=records_request, actor=user, visibility=Visibility.PUBLIC
        )
        page = client.get(records_request.get_absolute_url()).text
        assert '<span class="badge outcome-missed">missed</span>' in page
