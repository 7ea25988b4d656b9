import pytest
from django.db import IntegrityError, transaction

from rtcc_requests.agencies.models import Agency, Deployment, Technology

from ..factories import AgencyFactory

pytestmark = pytest.mark.django_db


class TestAgencyConstraints:
    def test_duplicate_slug_is_refused_with_a_clear_error(self):
        AgencyFactory(slug="fresno-police-department")
        with pytest.raises(IntegrityError, match="slug"), transaction.atomic():
            Agency.objects.create(name="Fresno PD", slug="fresno-police-department", state="CA")

    def test_duplicate_slug_is_a_form_error_in_the_admin(self, admin_client):
        AgencyFactory(slug="fresno-police-department")
        response = admin_client.post(
            "/admin/agencies/agency/add/",
            {
                "name": "Fresno PD",
                "slug": "fresno-police-department",
                "kind": "police",
                "state": "CA",
                "deployments-TOTAL_FORMS": "0",
                "deployments-INITIAL_FORMS": "0",
            },
        )
        assert response.status_code == 200
        assert "Agency with this Slug already exists." in response.content.decode()

    def test_state_must_be_two_capital_letters(self):
        with pytest.raises(IntegrityError, match="agency_state_two_letters"):
            with transaction.atomic():
                Agency.objects.create(name="X", slug="x", state="ca")


class TestDeploymentConstraints:
    def test_one_deployment_per_agency_technology_and_product(self):
        agency = AgencyFactory()
        alpr = Technology.objects.get(slug="automated-license-plate-readers")
        Deployment.objects.create(agency=agency, technology=alpr, product="Mobile")
        Deployment.objects.create(agency=agency, technology=alpr, product="Fixed")
        refused = "one_deployment_per_product|technology_id, .*product"
        with pytest.raises(IntegrityError, match=refused):
            with transaction.atomic():
                Deployment.objects.create(agency=agency, technology=alpr, product="Mobile")

    def test_atlas_id_is_unique_when_present(self):
        agency = AgencyFactory()
        alpr = Technology.objects.get(slug="automated-license-plate-readers")
        drones = Technology.objects.get(slug="drones")
        Deployment.objects.create(agency=agency, technology=alpr, atlas_id="AOS000001")
        Deployment.objects.create(agency=agency, technology=drones)
        with pytest.raises(IntegrityError, match="atlas_id"):
            with transaction.atomic():
                Deployment.objects.create(
                    agency=agency, technology=drones, product="x", atlas_id="AOS000001"
                )

    def test_duplicate_technology_slug_is_refused(self):
        with pytest.raises(IntegrityError), transaction.atomic():
            Technology.objects.create(name="ALPR 2", slug="drones", category="drones")
