import pytest

from rtcc_requests.agencies.models import Deployment, DeploymentStatus, ReviewStatus

from .. import factories


def fresno_county_agencies(*, count: int = 3, email: bool = True) -> list:
    """Agencies of Fresno County, CA, each listed with ALPR."""
    agencies = [
        factories.AgencyFactory(
            name=f"Agency {index:03d} of Fresno County",
            county="Fresno",
            state="CA",
            kind="police",
            records_email=f"records{index}@agency{index}.example" if email else "",
        )
        for index in range(count)
    ]
    for agency in agencies:
        Deployment.objects.create(
            agency=agency, technology=factories.technology(), status=DeploymentStatus.ACTIVE
        )
    return agencies


@pytest.fixture
def fresno_alpr(db):
    agencies = fresno_county_agencies()
    # Not picked: another county; ALPR rejected; someone else's proposal awaiting review.
    factories.AgencyFactory(name="Kern PD", county="Kern", state="CA")
    rejected = factories.AgencyFactory(name="Clovis PD", county="Fresno", state="CA")
    Deployment.objects.create(
        agency=rejected, technology=factories.technology(), status=DeploymentStatus.REJECTED
    )
    factories.AgencyFactory(
        name="Proposed PD",
        county="Fresno",
        state="CA",
        review_status=ReviewStatus.PROPOSED,
        proposed_by=factories.UserFactory(),
    )
    return agencies
