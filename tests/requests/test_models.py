"""Integrity lives in the database; the stored deadline fields answer list filters in one query."""

from datetime import date, timedelta

import pytest
from django.db import IntegrityError, transaction

from rtcc_requests.requests.choices import Status
from rtcc_requests.requests.models import RecordsRequest

from ..factories import AgencyFactory, RecordsRequestFactory, UserFactory, law

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 26)


class TestConstraints:
    def test_embargo_without_date_is_refused(self):
        req = RecordsRequestFactory()
        with pytest.raises(IntegrityError, match="embargo_needs_date"), transaction.atomic():
            RecordsRequest.objects.filter(pk=req.pk).update(visibility="embargoed")

    def test_received_before_filed_is_refused(self):
        req = RecordsRequestFactory()
        with pytest.raises(IntegrityError, match="received_not_before_filed"):
            with transaction.atomic():
                RecordsRequest.objects.filter(pk=req.pk).update(
                    filed_on=date(2026, 11, 16), received_on=date(2026, 11, 10)
                )

    def test_negative_fee_is_refused(self):
        from rtcc_requests.requests.models import Determination

        req = RecordsRequestFactory()
        with pytest.raises(IntegrityError, match="fee_not_negative"), transaction.atomic():
            Determination.objects.create(
                request=req, kind="fee_estimate", date=TODAY, fee_amount=-5
            )

    def test_reply_tokens_are_unique_and_unguessable(self):
        tokens = {RecordsRequestFactory().reply_token for _ in range(20)}
        assert len(tokens) == 20
        assert all(len(t) >= 20 and t.isalnum() for t in tokens)


@pytest.fixture
def thousand_requests():
    owner = UserFactory()
    agency = AgencyFactory()
    cpra = law()
    rows = []
    for n in range(1000):
        due = TODAY + timedelta(days=(n % 40) - 20)
        rows.append(
            RecordsRequest(
                owner=owner,
                agency=agency,
                law=cpra,
                title=f"Request {n}",
                records_sought="x",
                status=Status.FILED if n % 5 else Status.DENIED,
                next_due=due if n % 5 else None,
                is_late=n % 7 == 0,
                is_deficient=n % 5 == 0 and n % 2 == 0,
                reply_token=f"token{n:05d}",
            )
        )
    RecordsRequest.objects.bulk_create(rows)
    return rows


class TestListFilters:
    def test_overdue_is_one_query(self, thousand_requests, django_assert_num_queries):
        with django_assert_num_queries(1):
            overdue = list(RecordsRequest.objects.open().overdue(TODAY))
        expected = [r for r in thousand_requests if r.next_due and r.next_due < TODAY]
        assert len(overdue) == len(expected) > 0

    def test_due_within_a_week_is_one_query(self, thousand_requests, django_assert_num_queries):
        with django_assert_num_queries(1):
            soon = list(RecordsRequest.objects.due_within(TODAY, 7))
        assert soon and all(TODAY <= r.next_due <= TODAY + timedelta(days=7) for r in soon)

    def test_late_and_deficient_are_one_query_each(
        self, thousand_requests, django_assert_num_queries
    ):
        with django_assert_num_queries(2):
            late = RecordsRequest.objects.filter(is_late=True).count()
            deficient = RecordsRequest.objects.filter(is_deficient=True).count()
        assert late == sum(r.is_late for r in thousand_requests)
        assert deficient == sum(r.is_deficient for r in thousand_requests)
