"""Which determination is a request's row, and the keyword API others call."""

from datetime import date

import pytest

from rtcc_requests.denials.selectors import denial_log, denial_log_base, denial_log_rows
from rtcc_requests.requests import services
from tests import factories

TODAY = date(2026, 11, 26)


class TestOneRowPerRequest:
    def test_a_partial_release_then_a_denial_is_one_row_with_the_denial(self, make_denial):
        request = make_denial(title="Rolling", kind="partial", exemptions=("§7923.600",))
        services.determination_record(
            records_request=request,
            actor=request.owner,
            kind="denial",
            response_date=date(2026, 4, 20),
            exemptions=[factories.exemption("§7927.705")],
            official_name="Chief Records Officer",
            official_title="Custodian",
        )
        [row] = denial_log_rows(today=TODAY)
        assert row.kind == "denial"
        assert row.denial_date == date(2026, 4, 20)
        assert [e.section for e in row.exemptions] == ["§7927.705"]
        assert row.official_name == "Chief Records Officer"
        assert denial_log_base(today=TODAY).count() == 1

    def test_requests_still_open_or_released_are_not_denials(self, make_denial, user):
        factories.filed_request(received=date(2026, 3, 2), owner=user, visibility="public")
        released = make_denial(title="Released in the end", kind="partial")
        services.determination_record(
            records_request=released,
            actor=released.owner,
            kind="released",
            response_date=date(2026, 5, 1),
        )
        assert denial_log_rows(today=TODAY) == []

    def test_exemption_page_base_keeps_one_row_when_two_exemptions_match(self, make_denial):
        make_denial(title="Two grounds", exemptions=("§7923.600", "§7927.705"))
        log = denial_log(
            today=TODAY,
            params={"technology_category": "alpr"},
            exemption=factories.exemption("§7923.600"),
        )
        assert [row["request__title"] for row in log.rows] == ["Two grounds"]


class TestDenialLogRows:
    def test_accepts_model_instances_and_booleans(self, make_denial):
        agency = factories.AgencyFactory()
        make_denial(title="Mine", agency=agency, official_name="")
        make_denial(title="Other", exemptions=("§7927.500",))
        assert [r.title for r in denial_log_rows(today=TODAY, agency=agency)] == ["Mine"]
        assert [r.title for r in denial_log_rows(today=TODAY, deficient=False)] == ["Other"]

    @pytest.mark.django_db
    def test_refuses_a_filter_it_cannot_read(self):
        with pytest.raises(ValueError, match="year"):
            denial_log_rows(today=TODAY, year="last")
