"""The letter always says what is asked: placeholders are filled in or refuse the filing."""

import pytest
from django.urls import reverse

from rtcc_requests.requests.choices import Status
from rtcc_requests.requests.letters.wording import NAME_PLACEHOLDER, SOUGHT_PLACEHOLDER
from rtcc_requests.requests.models import RecordsRequest

from .. import factories

SOUGHT = "The ALPR usage and privacy policy and the 2025 audit logs."


def _fill_in(client, agency) -> str:
    """ "Fill in from the agency and draft the letter" before the records are described."""
    response = client.post(reverse("requests:new"), {"agency": agency.pk, "action": "draft"})
    return response.context["form"]["body"].value()


@pytest.mark.django_db
class TestFillInThenType:
    def test_records_typed_after_the_draft_replace_its_placeholder_edits_kept(self, client, user):
        agency = factories.AgencyFactory()
        client.force_login(user)
        drafted = _fill_in(client, agency)
        assert SOUGHT_PLACEHOLDER in drafted
        edited = drafted.replace("Thank you for your help.", "Email is best for me. Thank you.")

        response = client.post(
            reverse("requests:new"),
            {
                "agency": agency.pk,
                "law": factories.law().pk,
                "title": "ALPR policy",
                "records_sought": SOUGHT,
                "body": edited,
                "action": "file",
            },
        )

        saved = RecordsRequest.objects.get(owner=user)
        assert response["Location"] == reverse("requests:file", kwargs={"pk": saved.pk})
        assert SOUGHT in saved.letter_body
        assert SOUGHT_PLACEHOLDER not in saved.letter_body
        assert "Email is best for me." in saved.letter_body

    def test_save_and_file_refuses_a_letter_still_unsigned(self, client):
        nameless = factories.UserFactory(first_name="", last_name="")
        agency = factories.AgencyFactory()
        client.force_login(nameless)

        response = client.post(
            reverse("requests:new"),
            {
                "agency": agency.pk,
                "law": factories.law().pk,
                "title": "ALPR policy",
                "records_sought": SOUGHT,
                "action": "file",
            },
            follow=True,
        )

        saved = RecordsRequest.objects.get(owner=nameless)
        assert saved.status == Status.DRAFT
        assert response.redirect_chain[-1][0] == reverse("requests:edit", kwargs={"pk": saved.pk})
        assert "Draft saved but not filed." in response.text
        assert "“[your name]”" in response.text
        assert 'id="letter-unfinished"' in response.text  # the warning by the letter

    @pytest.mark.parametrize("method", ["portal", "email"])
    def test_the_file_page_refuses_a_letter_with_a_placeholder(self, client, user, method):
        draft = factories.RecordsRequestFactory(
            owner=user, letter_body=f"Please send:\n\n{SOUGHT_PLACEHOLDER}\n\nSincerely,\nAda"
        )
        client.force_login(user)

        response = client.post(
            reverse("requests:file", kwargs={"pk": draft.pk}),
            {"method": method, "filed_on": "2026-11-20"},
        )

        assert response.status_code == 200
        assert "The letter still says “[describe the records you seek]”" in response.text
        draft.refresh_from_db()
        assert draft.status == Status.DRAFT and draft.filed_on is None


def test_the_placeholders_are_what_the_drafts_write():
    assert NAME_PLACEHOLDER == "[your name]"


@pytest.mark.django_db
def test_deployment_links_open_the_composer_on_that_technology(client, user):
    from rtcc_requests.agencies.models import Deployment, DeploymentStatus

    agency = factories.AgencyFactory(slug="fresno-pd")
    alpr = factories.technology()
    Deployment.objects.create(agency=agency, technology=alpr, status=DeploymentStatus.ACTIVE)
    client.force_login(user)
    link = f"{reverse('requests:new')}?agency=fresno-pd&amp;technology={alpr.slug}"
    assert link in client.get(agency.get_absolute_url()).text
    assert link in client.get(alpr.get_absolute_url()).text
