import pytest
from django.test import Client
from django.urls import reverse

from rtcc_requests.requests.choices import LetterKind, PdfStatus, Visibility
from rtcc_requests.requests.letters.services import letter_queue
from rtcc_requests.requests.models import Communication

from ...support.pdf import pdf_text
from .conftest import make_filed


def _ready_letter(records_request, *, capture, is_private: bool = False) -> Communication:
    with capture(execute=True):
        letter = letter_queue(
            records_request=records_request, kind=LetterKind.REQUEST, actor=records_request.owner
        )
    if is_private:
        Communication.objects.filter(pk=letter.pk).update(is_private=True)
    letter.refresh_from_db()
    assert letter.pdf_status == PdfStatus.READY
    return letter


def _pdf_url(letter: Communication) -> str:
    return reverse("letters:pdf", kwargs={"pk": letter.request_id, "communication_pk": letter.pk})


@pytest.mark.django_db
class TestLetterPdfDownload:
    @pytest.fixture
    def private_letter(self, django_capture_on_commit_callbacks):
        return _ready_letter(make_filed(), capture=django_capture_on_commit_callbacks)

    @pytest.fixture
    def public_request(self):
        return make_filed(visibility=Visibility.PUBLIC)

    def test_owner_downloads_the_pdf(self, client, private_letter):
        client.force_login(private_letter.request.owner)
        response = client.get(_pdf_url(private_letter))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert 'filename="request-alpr-policy-and-audits.pdf"' in response["Content-Disposition"]
        assert "Fresno Police Department" in pdf_text(b"".join(response.streaming_content))

    def test_staff_downloads_the_pdf(self, client, private_letter, staff_user):
        client.force_login(staff_user)
        assert client.get(_pdf_url(private_letter)).status_code == 200

    def test_others_get_404_on_a_private_request(self, client, private_letter, other_user):
        assert client.get(_pdf_url(private_letter)).status_code == 404
        client.force_login(other_user)
        assert client.get(_pdf_url(private_letter)).status_code == 404

    def test_anyone_reads_a_public_requests_letter_but_not_a_private_one(
        self, client, public_request, other_user, django_capture_on_commit_callbacks
    ):
        capture = django_capture_on_commit_callbacks
        shown = _ready_letter(public_request, capture=capture)
        hidden = _ready_letter(public_request, capture=capture, is_private=True)
        assert client.get(_pdf_url(shown)).status_code == 200
        assert client.get(_pdf_url(hidden)).status_code == 404
        client.force_login(other_user)
        assert client.get(_pdf_url(shown)).status_code == 200
        assert client.get(_pdf_url(hidden)).status_code == 404
        client.force_login(public_request.owner)
        assert client.get(_pdf_url(hidden)).status_code == 200

    def test_public_copy_leaves_out_the_requesters_contact_details(
        self, client, public_request, django_capture_on_commit_callbacks
    ):
        letter = _ready_letter(public_request, capture=django_capture_on_commit_callbacks)
        public_text = pdf_text(b"".join(client.get(_pdf_url(letter)).streaming_content))
        assert "Ada Lovelace" in public_text and "Fresno Police Department" in public_text
        for private in ("559-555-0100", "100 Main St", public_request.owner.email):
            assert private not in public_text
        client.force_login(public_request.owner)
        own_text = pdf_text(b"".join(client.get(_pdf_url(letter)).streaming_content))
        assert "559-555-0100" in own_text and "100 Main St" in own_text

    def test_missing_public_copy_is_made_on_demand(
        self, client, public_request, django_capture_on_commit_callbacks
    ):
        from django.core.files.storage import default_storage

        from rtcc_requests.requests.letters.services import public_pdf_name

        letter = _ready_letter(public_request, capture=django_capture_on_commit_callbacks)
        default_storage.delete(public_pdf_name(letter.pdf.name))
        response = client.get(_pdf_url(letter))
        assert response.status_code == 200
        assert "559-555-0100" not in pdf_text(b"".join(response.streaming_content))
        assert default_storage.exists(public_pdf_name(letter.pdf.name))

    def test_letter_of_another_request_is_404(self, client, private_letter):
        mine = make_filed(owner=private_letter.request.owner, agency=private_letter.request.agency)
        client.force_login(mine.owner)
        url = reverse("letters:pdf", kwargs={"pk": mine.pk, "communication_pk": private_letter.pk})
        assert client.get(url).status_code == 404

    def test_pending_pdf_says_so(self, client, filed):
        letter = letter_queue(records_request=filed, kind=LetterKind.REQUEST, actor=filed.owner)
        client.force_login(filed.owner)
        response = client.get(_pdf_url(letter))
        assert response.status_code == 202
        assert "being prepared" in response.content.decode()

    def test_failed_pdf_says_why(self, client, filed):
        letter = letter_queue(records_request=filed, kind=LetterKind.REQUEST, actor=filed.owner)
        Communication.objects.filter(pk=letter.pk).update(
            pdf_status=PdfStatus.FAILED, pdf_error="The document would be 80 pages long."
        )
        client.force_login(filed.owner)
        response = client.get(_pdf_url(letter))
        assert response.status_code == 409
        assert "could not be made: The document would be 80 pages long." in (
            response.content.decode()
        )


@pytest.mark.django_db
class TestLetterPreview:
    def _url(self, records_request) -> str:
        return reverse("letters:preview", kwargs={"pk": records_request.pk})

    def test_owner_gets_the_draft_as_pdf(self, client, draft):
        client.force_login(draft.owner)
        response = client.post(self._url(draft), {"body": "Please send <b>everything</b>."})
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Cache-Control"] == "no-store"
        assert "Please send <b>everything</b>." in pdf_text(response.content)

    def test_anonymous_is_sent_to_log_in(self, client, draft):
        response = client.post(self._url(draft), {"body": "x"})
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]

    def test_other_users_are_refused_a_public_request_and_never_see_a_private_one(
        self, client, other_user
    ):
        # Refused (403) where they may read the request, as on every page that changes one;
        # a private one might as well not exist (404).
        public = make_filed(visibility=Visibility.PUBLIC)
        private = make_filed()
        client.force_login(other_user)
        assert client.post(self._url(public), {"body": "x"}).status_code == 403
        assert client.post(self._url(private), {"body": "x"}).status_code == 404

    def test_missing_request_is_404(self, client, user):
        client.force_login(user)
        assert client.post("/requests/999999/letters/preview/", {"body": "x"}).status_code == 404

    def test_get_is_not_allowed(self, client, draft):
        client.force_login(draft.owner)
        assert client.get(self._url(draft)).status_code == 405

    def test_csrf_token_is_required(self, draft):
        client = Client(enforce_csrf_checks=True)
        client.force_login(draft.owner)
        assert client.post(self._url(draft), {"body": "x"}).status_code == 403

    def test_bad_input_is_a_clear_400(self, client, draft):
        client.force_login(draft.owner)
        response = client.post(self._url(draft), {"body": "x", "kind": "follow_up"})
        assert response.status_code == 400
        assert "no deadline is running" in response.content.decode()
        response = client.post(self._url(draft), {"body": "   "})
        assert response.status_code == 400
        assert "The letter is empty." in response.content.decode()
