"""The log's version moves for a write the log can show, and for no other."""

from contextlib import contextmanager
from datetime import date

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rtcc_requests.denials import selectors
from rtcc_requests.denials.models import DenialLogVersion
from rtcc_requests.denials.signals import LOGGED_REQUEST_FIELDS
from rtcc_requests.denials.versioning import denial_log_changed, denial_log_version
from rtcc_requests.requests import services
from rtcc_requests.requests.models import RecordsRequest
from tests import factories

pytestmark = pytest.mark.django_db
URL = reverse("denials:log")
VERSION_TABLE = DenialLogVersion._meta.db_table
RECEIVED = date(2026, 3, 2)


def _count(client) -> int:
    return client.get(URL).context["summary"].count


@pytest.fixture(autouse=True)
def _a_version():
    denial_log_changed()  # the row exists, so "unchanged" means no write, not no row


@contextmanager
def moves_the_version():
    before = denial_log_version()
    yield
    assert denial_log_version() != before


@contextmanager
def leaves_the_version_alone():
    before = denial_log_version()
    with CaptureQueriesContext(connection) as captured:
        yield
    assert denial_log_version() == before
    assert not [q["sql"] for q in captured if VERSION_TABLE in q["sql"]]


def _filed(**kwargs) -> RecordsRequest:
    return factories.filed_request(received=RECEIVED, **kwargs)


def _record(records_request, kind: str, **kwargs):
    return services.determination_record(
        records_request=records_request,
        actor=records_request.owner,
        kind=kind,
        response_date=date(2026, 3, 9),
        **kwargs,
    )


class TestRequestSaves:
    def test_a_private_drafts_edit_leaves_the_version_alone(self, user):
        draft = services.request_create(
            owner=user,
            agency=factories.AgencyFactory(),
            law=factories.law(),
            title="Draft",
            records_sought="ALPR audits.",
        )
        with leaves_the_version_alone():
            services.request_update_draft(
                records_request=draft,
                agency=factories.AgencyFactory(),
                law=draft.law,
                title="Draft, retitled",
                records_sought="ALPR audits and policies.",
                letter_body="",
                technologies=[factories.technology("face-recognition")],
            )

    def test_a_new_draft_leaves_it_alone(self, user):
        with leaves_the_version_alone():
            factories.RecordsRequestFactory(owner=user, visibility="public")

    def test_a_private_filed_requests_answers_and_notes_leave_it_alone(self):
        filed = _filed()
        with leaves_the_version_alone():
            _record(filed, "acknowledgement")
            services.communication_log(
                records_request=filed, actor=filed.owner, direction="note", kind="note", body="x"
            )
            services.request_set_visibility(
                records_request=filed, actor=filed.owner, visibility="private"
            )
            _record(filed, "denial", exemptions=[factories.exemption("§7923.600")])

    def test_a_public_request_awaiting_an_answer_is_not_in_the_log(self):
        filed = _filed()
        services.request_set_visibility(
            records_request=filed, actor=filed.owner, visibility="public"
        )
        with leaves_the_version_alone():
            _record(filed, "acknowledgement")
            filed.refresh_from_db()
            filed.title = "Retitled"
            filed.save()

    def test_a_public_denials_title_edit_moves_it(self, make_denial):
        denied = make_denial(title="Denied")
        denied.title = "Denied, retitled"
        with moves_the_version():
            denied.save()
        denied.title = "Denied, again"
        with moves_the_version():
            denied.save(update_fields=["title"])

    def test_an_embargoed_denial_counts_before_its_embargo_lapses(self, make_denial):
        denied = make_denial(title="Later", visibility="embargoed", embargo_until=date(2027, 1, 1))
        denied.agency = factories.AgencyFactory()
        with moves_the_version():
            denied.save()

    def test_the_logged_fields_are_the_request_columns_the_rows_read(self):
        read = {
            column.removeprefix("request__").split("__")[0]
            for column in selectors._ROW_COLUMNS
            if column.startswith("request__")
        }
        assert read <= LOGGED_REQUEST_FIELDS
        assert {"procedure_flags", "agency_received_on"} <= LOGGED_REQUEST_FIELDS

    def test_a_public_denials_procedure_flags_or_stated_receipt_move_it(self, make_denial):
        denied = make_denial(title="Denied")
        denied.procedure_flags = ["extension_overlong"]
        with moves_the_version():
            denied.save(update_fields=["procedure_flags"])
        denied.agency_received_on = date(2026, 3, 4)
        with moves_the_version():
            denied.save()
        with leaves_the_version_alone():
            denied.save()  # the same flags and date again

    def test_a_private_denials_procedure_flags_leave_it_alone(self, make_denial):
        denied = make_denial(title="Private", visibility="private")
        denied.procedure_flags = ["fee_basis_unstated"]
        with leaves_the_version_alone():
            denied.save(update_fields=["procedure_flags"])

    def test_a_save_changing_nothing_the_log_shows_leaves_it_alone(
        self, make_denial, django_assert_num_queries
    ):
        denied = make_denial(title="Denied")
        denied.tracking_number = "R-123"
        with leaves_the_version_alone():
            denied.save()  # reads the stored row, finds no logged field changed
        with leaves_the_version_alone(), django_assert_num_queries(1):
            denied.save(update_fields=["tracking_number"])  # the UPDATE alone: nothing read

    def test_a_stale_instance_is_compared_with_the_stored_row(self, make_denial):
        stale = make_denial(title="Private at first", visibility="private")
        fresh = RecordsRequest.objects.get(pk=stale.pk)
        services.request_set_visibility(
            records_request=fresh, actor=fresh.owner, visibility="public"
        )
        assert stale.visibility == "private"
        with moves_the_version():
            stale.save()  # stored public, saved private: the row leaves the log

    def test_making_a_public_denial_private_invalidates_at_once(self, client, make_denial):
        denied = make_denial(title="Goes private")
        make_denial(title="Stays public")
        with transaction.atomic():
            assert _count(client) == 2
            with moves_the_version():
                services.request_set_visibility(
                    records_request=denied, actor=denied.owner, visibility="private"
                )
            assert _count(client) == 1  # same transaction, next read
        assert _count(client) == 1

    def test_closing_a_public_denial_moves_it(self, client, make_denial):
        denied = make_denial(title="Denied")
        assert _count(client) == 1
        with moves_the_version():
            services.request_close(records_request=denied, actor=denied.owner)
        assert _count(client) == 0

    def test_deleting_a_public_denial_moves_it(self, client, make_denial):
        denied = make_denial(title="Denied")
        make_denial(title="Kept")
        assert _count(client) == 2
        with moves_the_version():
            denied.delete()
        assert _count(client) == 1

    def test_deleting_a_private_draft_leaves_it_alone(self, user):
        draft = factories.RecordsRequestFactory(owner=user)
        with leaves_the_version_alone():
            draft.delete()

    def test_deleting_a_private_denial_leaves_it_alone(self, make_denial):
        denied = make_denial(title="Private", visibility="private")
        with leaves_the_version_alone():
            denied.delete()


class TestDeterminations:
    def test_a_withholding_on_a_private_request_leaves_it_alone(self):
        filed = _filed()
        with leaves_the_version_alone():
            _record(filed, "denial", exemptions=[factories.exemption("§7923.600")])

    def test_a_withholding_on_a_public_request_moves_it(self, client):
        filed = _filed()
        services.request_set_visibility(
            records_request=filed, actor=filed.owner, visibility="public"
        )
        assert _count(client) == 0
        with moves_the_version():
            _record(filed, "denial", exemptions=[factories.exemption("§7923.600")])
        assert _count(client) == 1

    def test_a_release_after_a_public_denial_moves_it_and_the_row_leaves(self, client, make_denial):
        denied = make_denial(title="Reconsidered")
        assert _count(client) == 1
        with moves_the_version():
            _record(denied, "released")
        assert _count(client) == 0

    def test_a_second_withholding_moves_it_though_the_status_stays(self, client, make_denial):
        partial = make_denial(title="Rolling", kind="partial", official_name="")
        assert client.get(URL).context["summary"].no_official == 1
        with moves_the_version():
            _record(partial, "partial", official_name="Jane Roe", official_title="Clerk")
        assert client.get(URL).context["summary"].no_official == 0

    def test_an_edit_turning_a_public_withholding_into_something_else_moves_it(
        self, client, make_denial
    ):
        determination = make_denial(title="Denied").determinations.get()
        assert _count(client) == 1
        determination.kind = "acknowledgement"
        with moves_the_version():
            determination.save()
        assert _count(client) == 0

    def test_a_non_withholding_edit_reads_nothing(self, django_assert_num_queries):
        acknowledgement = _record(_filed(), "acknowledgement")
        acknowledgement.notes = "Called the clerk."
        with leaves_the_version_alone(), django_assert_num_queries(2):
            acknowledgement.save()  # its stored kind, then the UPDATE

    def test_deleting_a_public_withholding_moves_it(self, client, make_denial):
        determination = make_denial(title="Denied").determinations.get()
        with moves_the_version():
            determination.delete()
        assert _count(client) == 0

    def test_deleting_a_private_withholding_leaves_it_alone(self, make_denial):
        determination = make_denial(title="Private", visibility="private").determinations.get()
        with leaves_the_version_alone():
            determination.delete()


class TestLinks:
    def test_a_citation_on_a_public_withholding_moves_it(self, make_denial):
        determination = make_denial(title="Denied").determinations.get()
        cited = factories.exemption("§7922.000")
        with moves_the_version():
            determination.exemptions.add(cited)
        with moves_the_version():
            cited.determinations.remove(determination)
        with moves_the_version():
            factories.exemption("§7923.600").determinations.clear()

    def test_a_citation_on_a_private_withholding_leaves_it_alone(self, make_denial):
        determination = make_denial(title="Private", visibility="private").determinations.get()
        cited = factories.exemption("§7922.000")
        with leaves_the_version_alone():
            determination.exemptions.add(cited)
            cited.determinations.remove(determination)
            determination.exemptions.clear()
            factories.exemption("§7923.600").determinations.clear()

    def test_a_technology_on_a_public_denial_moves_it(self, make_denial):
        denied = make_denial(title="Denied")
        technology = factories.technology("face-recognition")
        with moves_the_version():
            denied.technologies.add(technology)
        with moves_the_version():
            technology.requests.remove(denied)
        with moves_the_version():
            factories.technology().requests.clear()

    def test_a_technology_on_a_request_outside_the_log_leaves_it_alone(self, make_denial):
        private = make_denial(title="Private", visibility="private")
        draft = factories.RecordsRequestFactory(visibility="public")
        technology = factories.technology("face-recognition")
        with leaves_the_version_alone():
            private.technologies.add(technology)
            draft.technologies.set([technology])
            technology.requests.clear()
            draft.technologies.clear()


class TestDirectory:
    def test_renaming_an_agency_with_a_public_denial_moves_it(self, make_denial):
        agency = make_denial(title="Denied").agency
        agency.name = "Renamed PD"
        with moves_the_version():
            agency.save()

    def test_an_agency_with_nothing_in_the_log_leaves_it_alone(self, make_denial):
        agency = make_denial(title="Private", visibility="private").agency
        agency.county = "Alameda"
        with leaves_the_version_alone():
            agency.save()
            factories.AgencyFactory()

    def test_editing_a_law_moves_it(self):
        # Its short name shows in every row, its code decides which citations the flags carry.
        law = factories.law("us-foia")
        law.short_name = "U.S. FOIA"
        with moves_the_version():
            law.save()

    def test_editing_an_exemption_or_a_technology_moves_it(self):
        exemption = factories.exemption("§7923.600")
        exemption.short_name = "Investigations"
        with moves_the_version():
            exemption.save()
        technology = factories.technology()
        technology.category = "camera_network"
        with moves_the_version():
            technology.save()
