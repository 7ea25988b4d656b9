"""The composer's federal FOIA options: shown for FOIA, validated, saved, and in the letter."""

import html5lib
import pytest
from django.urls import reverse

from rtcc_requests.requests import services
from rtcc_requests.requests.choices import FeeCategory
from rtcc_requests.requests.models import RecordsRequest
from tests import factories

pytestmark = pytest.mark.django_db

WAIVER_REASON = "The audits go in our public newsletter on surveillance in Fresno."
EXPEDITED_REASON = "The council votes on renewing the contract next month."


@pytest.fixture
def fbi():
    return factories.AgencyFactory(
        name="Federal Bureau of Investigation",
        slug="fbi",
        state="US",
        records_office="FOIA/PA Unit",
    )


@pytest.fixture
def foia():
    return factories.law("us-foia")


def _post(client, agency, law, url=None, **extra):
    data = {
        "agency": agency.pk,
        "law": law.pk,
        "technologies": [factories.technology().pk],
        "title": "Flock contracts",
        "records_sought": "Contracts with Flock Safety.",
        "body": "",
        "action": "save",
        **extra,
    }
    return client.post(url or reverse("requests:new"), data)


def _unlabelled_controls(text: str) -> list[str]:
    """Form controls with no label, in a page that must parse as strict HTML."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    tree = parser.parse(text)
    labelled = {label.get("for") for label in tree.iter("label") if label.get("for")}
    missing = []
    for control in tree.iter():
        if control.tag not in ("input", "select", "textarea"):
            continue
        if control.get("type") in ("hidden", "submit", "button") or control.get("aria-label"):
            continue
        if control.get("id") not in labelled:
            missing.append(f"{control.tag} name={control.get('name')}")
    return missing


def _fieldset(page: str) -> str:
    start = page.index('<fieldset class="foia-options"')
    return page[start : page.index("</fieldset>", start)]


class TestFoiaOptionsShown:
    def test_a_federal_agency_gets_the_fieldset_with_help(self, client, user, fbi, foia):
        client.force_login(user)
        page = client.get(reverse("requests:new"), {"agency": "fbi"}).text
        fieldset = _fieldset(page)
        assert f'<option value="{foia.pk}" selected>' in page
        assert "<legend>Federal FOIA options</legend>" in fieldset
        assert " hidden" not in fieldset.split(">", 1)[0]
        assert "5 U.S.C. §552(a)(4)(A)(ii)" in fieldset
        assert "10 calendar days (5 U.S.C. §552(a)(6)(E))" in fieldset
        for name in ("fee_category", "fee_waiver_reason", "expedited_requested"):
            assert f'name="{name}"' in fieldset
        assert _unlabelled_controls(page) == []

    def test_a_state_agency_gets_it_hidden(self, client, user):
        factories.AgencyFactory(slug="fresno-pd")
        client.force_login(user)
        page = client.get(reverse("requests:new"), {"agency": "fresno-pd"}).text
        assert " hidden" in _fieldset(page).split(">", 1)[0]

    def test_the_draft_button_drafts_the_letter_with_the_options(self, client, user, fbi, foia):
        client.force_login(user)
        response = _post(
            client,
            fbi,
            foia,
            action="draft",
            fee_category=FeeCategory.NEWS_MEDIA,
            expedited_requested="on",
            expedited_reason=EXPEDITED_REASON,
        )
        assert response.status_code == 200
        page = response.text
        assert "To the FOIA/PA Unit, Federal Bureau of Investigation:" in page
        assert "§552(a)(4)(A)(ii)" in page and EXPEDITED_REASON in page
        assert "true and correct to the best of my knowledge and belief" in page
        assert not RecordsRequest.objects.exists()


class TestValidation:
    def test_a_waiver_and_expedited_processing_each_need_a_reason(self, client, user, fbi, foia):
        client.force_login(user)
        response = _post(client, fbi, foia, fee_waiver_requested="on", expedited_requested="on")
        assert response.status_code == 200
        page = response.text
        assert "Please correct the problems below" in page
        assert "Say why a fee waiver is in the public interest" in page
        assert "Say why the records are needed urgently" in page
        assert " hidden" not in _fieldset(page).split(">", 1)[0]
        assert _unlabelled_controls(page) == []
        assert not RecordsRequest.objects.exists()

    def test_ignored_and_cleared_under_another_law(self, client, user):
        client.force_login(user)
        agency = factories.AgencyFactory()
        response = _post(
            client,
            agency,
            factories.law(),
            fee_category=FeeCategory.NEWS_MEDIA,
            fee_waiver_requested="on",
            expedited_requested="on",
            expedited_reason=EXPEDITED_REASON,
        )
        assert response.status_code == 302
        created = RecordsRequest.objects.get()
        assert created.fee_category == "" and not created.fee_waiver_requested
        assert not created.expedited_requested and created.expedited_reason == ""
        assert "552" not in created.letter_body


class TestSaving:
    def test_the_options_are_saved_and_in_the_letter(self, client, user, fbi, foia):
        client.force_login(user)
        response = _post(
            client,
            fbi,
            foia,
            fee_category=FeeCategory.EDUCATIONAL,
            fee_waiver_requested="on",
            fee_waiver_reason=WAIVER_REASON,
        )
        created = RecordsRequest.objects.get()
        assert response["Location"] == reverse("requests:edit", kwargs={"pk": created.pk})
        assert created.fee_category == FeeCategory.EDUCATIONAL
        assert (created.fee_waiver_requested, created.fee_waiver_reason) == (True, WAIVER_REASON)
        assert not created.expedited_requested
        assert WAIVER_REASON in created.letter_body
        assert "§552(a)(4)(A)(iii)" in created.letter_body
        # The edit page shows them again.
        page = client.get(response["Location"]).text
        assert WAIVER_REASON in _fieldset(page)

    def test_an_unedited_letter_is_drafted_again_when_the_options_change(
        self, client, user, fbi, foia
    ):
        client.force_login(user)
        _post(client, fbi, foia)
        draft = RecordsRequest.objects.get()
        assert "waiver" not in draft.letter_body
        url = reverse("requests:edit", kwargs={"pk": draft.pk})
        _post(
            client,
            fbi,
            foia,
            url=url,
            body=draft.letter_body,
            fee_waiver_requested="on",
            fee_waiver_reason=WAIVER_REASON,
        )
        draft.refresh_from_db()
        assert draft.fee_waiver_requested and WAIVER_REASON in draft.letter_body

    def test_the_requesters_own_letter_is_kept(self, client, user, fbi, foia):
        client.force_login(user)
        _post(
            client,
            fbi,
            foia,
            body="My own letter.",
            fee_waiver_requested="on",
            fee_waiver_reason=WAIVER_REASON,
        )
        draft = RecordsRequest.objects.get()
        assert draft.letter_body == "My own letter." and draft.fee_waiver_requested

    def test_the_preview_reflects_options_ticked_since_the_letter_was_drafted(
        self, client, user, fbi, foia
    ):
        from tests.support.pdf import pdf_text

        client.force_login(user)
        _post(client, fbi, foia)
        draft = RecordsRequest.objects.get()
        response = client.post(
            reverse("letters:preview", kwargs={"pk": draft.pk}),
            {
                "agency": fbi.pk,
                "law": foia.pk,
                "title": draft.title,
                "records_sought": draft.records_sought,
                "body": draft.letter_body,
                "expedited_requested": "on",
                "expedited_reason": EXPEDITED_REASON,
            },
        )
        assert response["Content-Type"] == "application/pdf"
        text = pdf_text(response.content)
        assert EXPEDITED_REASON in text and "§552(a)(6)(E)" in text
        # The preview saves nothing.
        draft.refresh_from_db()
        assert not draft.expedited_requested


class TestFilingServices:
    def test_create_keeps_foia_options_for_foia_only(self, user, fbi, foia):
        made = services.request_create(
            owner=user,
            agency=fbi,
            law=foia,
            title="T",
            records_sought="R",
            fee_category=FeeCategory.OTHER,
            expedited_requested=True,
            expedited_reason=EXPEDITED_REASON,
        )
        assert (made.fee_category, made.expedited_reason) == ("other", EXPEDITED_REASON)
        cpra = services.request_create(
            owner=user,
            agency=factories.AgencyFactory(),
            law=factories.law(),
            title="T",
            records_sought="R",
            fee_category=FeeCategory.OTHER,
            expedited_requested=True,
            expedited_reason=EXPEDITED_REASON,
        )
        assert (cpra.fee_category, cpra.expedited_requested, cpra.expedited_reason) == (
            "",
            False,
            "",
        )

    def test_a_waiver_without_a_reason_is_refused(self, user, fbi, foia):
        draft = factories.RecordsRequestFactory(owner=user, agency=fbi, law=foia)
        with pytest.raises(services.RequestError, match="fee waiver"):
            services.request_update_draft(
                records_request=draft,
                agency=fbi,
                law=foia,
                title=draft.title,
                records_sought=draft.records_sought,
                letter_body="",
                technologies=[],
                fee_waiver_requested=True,
            )
        with pytest.raises(services.RequestError, match="fee waiver"):
            services.request_create(
                owner=user, agency=fbi, law=foia, title="T", records_sought="R",
                fee_waiver_requested=True,
            )  # fmt: skip

    def test_updating_to_another_law_clears_them(self, user, fbi, foia):
        draft = factories.RecordsRequestFactory(
            owner=user, agency=fbi, law=foia, fee_category="news_media"
        )
        updated = services.request_update_draft(
            records_request=draft,
            agency=fbi,
            law=factories.law("tx-pia"),
            title=draft.title,
            records_sought=draft.records_sought,
            letter_body="",
            technologies=[],
            fee_category="news_media",
        )
        updated.refresh_from_db()
        assert updated.fee_category == ""


class TestAgencyParameter:
    """Issue 16: `?agency=` that names no agency leaves the composer empty, never a 500."""

    @pytest.mark.parametrize(
        "value", ["9" * 5000, "9" * 20, str(2**63), "²", "-1", "0", "no such agency", "a\x00b"]
    )
    def test_an_agency_that_is_not_there_preselects_nothing(self, client, user, value):
        factories.AgencyFactory()
        client.force_login(user)
        response = client.get(reverse("requests:new"), {"agency": value})
        assert response.status_code == 200
        assert response.context["form"].initial == {}

    def test_an_id_or_a_slug_still_preselects_the_agency(self, client, user):
        agency = factories.AgencyFactory(slug="fresno-pd")
        client.force_login(user)
        for value in (str(agency.pk), "fresno-pd"):
            response = client.get(reverse("requests:new"), {"agency": value})
            assert response.context["form"].initial["agency"] == agency.pk, value
