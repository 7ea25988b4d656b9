"""factory_boy factories: build valid objects with as little as a test cares to say."""

from datetime import date

import factory
from django.contrib.auth import get_user_model

from rtcc_requests.agencies.models import Agency, AgencyKind, ClosureDay, Technology
from rtcc_requests.laws.models import Exemption, Law
from rtcc_requests.requests import services
from rtcc_requests.requests.models import RecordsRequest


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    # A name to sign letters with (Profile.signature); never the username.
    first_name = "Ada"
    last_name = factory.Sequence(lambda n: f"Tester {n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct-horse-battery")


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Springfield Police Department {n}")
    slug = factory.Sequence(lambda n: f"springfield-pd-{n}")
    kind = AgencyKind.POLICE
    city = "Springfield"
    county = "Fresno"
    state = "CA"
    records_email = factory.LazyAttribute(lambda a: f"records@{a.slug}.example")


class ClosureDayFactory(factory.django.DjangoModelFactory):
    """A day the agency's office is closed (Code Civ. Proc. §12b); say the `day`."""

    class Meta:
        model = ClosureDay

    agency = factory.SubFactory(AgencyFactory)
    day = date(2026, 11, 30)
    reason = "Furlough day"


def technology(slug: str = "automated-license-plate-readers") -> Technology:
    return Technology.objects.get(slug=slug)


def law(code: str = "ca-cpra") -> Law:
    return Law.objects.get(code=code)


def exemption(section: str, code: str = "ca-cpra") -> Exemption:
    return Exemption.objects.get(law__code=code, section=section)


class RecordsRequestFactory(factory.django.DjangoModelFactory):
    """A draft; use `filed_request` for one whose clock is running."""

    class Meta:
        model = RecordsRequest
        skip_postgeneration_save = True

    owner = factory.SubFactory(UserFactory)
    agency = factory.SubFactory(AgencyFactory)
    law = factory.LazyFunction(law)
    title = factory.Sequence(lambda n: f"ALPR records {n}")
    records_sought = "The ALPR policy and audit logs."

    @factory.post_generation
    def technologies(self, create, extracted, **kwargs):
        if create:
            self.technologies.set(extracted or [technology()])


def filed_request(*, received: date, method: str = "portal", **kwargs) -> RecordsRequest:
    records_request = RecordsRequestFactory(**kwargs)
    return services.request_file(
        records_request=records_request,
        actor=records_request.owner,
        method=method,
        filed_on=received,
        received_on=received,
    )
