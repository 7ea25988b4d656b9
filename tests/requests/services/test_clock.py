"""Agency closure days (Code Civ. Proc. §12b) in a request's own count, kept current."""

from datetime import date

import pytest
from freezegun import freeze_time

from rtcc_requests.agencies.closures import closures_import
from rtcc_requests.requests import services
from rtcc_requests.requests.choices import DueKind

from ...factories import AgencyFactory, ClosureDayFactory, filed_request

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_frozen_today")]


@pytest.fixture
def _frozen_today():
    with freeze_time("2026-11-20 12:00:00-08:00"):
        yield


class TestClosureDays:
    def test_a_request_filed_with_a_closure_on_its_last_day_is_due_the_next_day(self):
        # Received Mon 2 Nov 2026: day 10 is Thu 12 Nov; the agency is closed that day.
        agency = AgencyFactory()
        ClosureDayFactory(agency=agency, day=date(2026, 11, 12), reason="Furlough day")
        req = filed_request(received=date(2026, 11, 2), agency=agency)
        assert req.determination_due == date(2026, 11, 13)
        event = req.events.get(message__startswith="Determination due")
        assert "agency is closed (Furlough day)" in event.message

    def test_a_closure_entered_later_moves_the_deadline_of_waiting_requests_only(self):
        agency = AgencyFactory()
        waiting = filed_request(received=date(2026, 11, 2), agency=agency)
        answered = filed_request(received=date(2026, 11, 2), agency=agency)
        services.determination_record(
            records_request=answered,
            actor=answered.owner,
            kind="released",
            response_date=date(2026, 11, 12),
        )
        elsewhere = filed_request(received=date(2026, 11, 2))

        ClosureDayFactory(agency=agency, day=date(2026, 11, 12), reason="City holiday")

        waiting.refresh_from_db(), answered.refresh_from_db(), elsewhere.refresh_from_db()
        assert (waiting.determination_due, waiting.next_due) == (date(2026, 11, 13),) * 2
        assert waiting.next_due_kind == DueKind.DETERMINATION
        assert waiting.events.filter(message__contains="closure days changed").exists()
        assert answered.determination_due == date(2026, 11, 12)
        assert elsewhere.determination_due == date(2026, 11, 12)

    def test_deleting_the_closure_moves_it_back(self):
        agency = AgencyFactory()
        closure = ClosureDayFactory(agency=agency, day=date(2026, 11, 12))
        req = filed_request(received=date(2026, 11, 2), agency=agency)
        closure.delete()
        req.refresh_from_db()
        assert req.determination_due == date(2026, 11, 12)

    def test_an_import_recounts_every_waiting_request_in_a_bounded_number_of_queries(
        self, django_assert_max_num_queries
    ):
        agencies = [AgencyFactory() for _ in range(3)]
        requests = [
            filed_request(received=date(2026, 11, 2), agency=agency)
            for agency in agencies
            for _ in range(10)
        ]
        rows = "".join(f"{a.slug},2026-11-12,Furlough day,\n" for a in agencies)
        with django_assert_max_num_queries(14):
            result = closures_import(data=f"agency,day,reason,source\n{rows}".encode())
        assert result.created == 3
        for req in requests:
            req.refresh_from_db()
            assert req.next_due == date(2026, 11, 13)

    def test_the_request_page_names_the_closure_it_skipped(self, client, user):
        agency = AgencyFactory()
        ClosureDayFactory(agency=agency, day=date(2026, 11, 12), reason="Furlough day")
        req = filed_request(received=date(2026, 11, 2), agency=agency, owner=user)
        client.force_login(user)
        page = client.get(req.get_absolute_url()).text
        assert "agency is closed (Furlough day)" in page
