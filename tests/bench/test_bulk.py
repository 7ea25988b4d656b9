from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from bench import bulk
from bench.bulk import BulkSpec, bulk_requests, bulk_reset, bulk_seed
from bench.bulk.shapes import DETERMINATION_COLUMNS, REQUEST_COLUMNS
from bench.bulk.writer import with_defaults
from rtcc_requests.laws import calendar
from rtcc_requests.laws.models import Law
from rtcc_requests.requests import rules
from rtcc_requests.requests.choices import (
    Deficiency,
    DeterminationKind,
    DueKind,
    Status,
    Visibility,
)
from rtcc_requests.requests.models import Communication, Determination, RecordsRequest, RequestEvent
from rtcc_requests.requests.rules import OPEN_STATUSES
from tests import factories

TODAY = date(2026, 11, 26)
ANSWERED = {Status.RELEASED, Status.NO_RECORDS, Status.DENIED, Status.AWAITING_FEE}


def fingerprint() -> list[tuple]:
    """What a user would see of each bulk request, in the order they were generated."""
    rows = bulk_requests().values_list(
        "demo_key", "status", "visibility", "agency__slug", "owner__username", "title",
        "filed_on", "next_due", "is_late", "deficiencies",
    )  # fmt: skip
    counts = {
        r.pk: (r.communications.count(), sorted(r.determinations.values_list("kind", flat=True)))
        for r in bulk_requests().prefetch_related("communications", "determinations")
    }
    by_key = {row[0]: row for row in rows}
    ordered = sorted(by_key, key=lambda key: int(key.rsplit(":", 1)[1]))
    pks = dict(bulk_requests().values_list("demo_key", "pk"))
    return [(*by_key[key], counts[pks[key]][0], tuple(counts[pks[key]][1])) for key in ordered]


@pytest.fixture
def seeded(db):
    bulk_seed(requests=600, spec=BulkSpec(seed=7), today=TODAY)
    return list(bulk_requests())


class TestBulkSeed:
    def test_makes_the_requests_with_their_owners_agencies_and_correspondence(self, seeded):
        assert len(seeded) == 600
        assert bulk.bulk_state() == (BulkSpec(seed=7), 600)
        owners = {r.owner_id for r in seeded}
        assert 20 < len(owners) <= bulk.owners_for(bulk.CHUNK, BulkSpec(seed=7))
        assert len({r.agency_id for r in seeded}) > 100
        communications = Communication.objects.filter(request__in=seeded).count()
        assert 600 * 2 < communications < 600 * 5  # about 3 a request by default
        assert RecordsRequest.technologies.through.objects.count() >= 600
        every_owner_has_a_profile = bulk.bulk_owner().profile.display_name
        assert every_owner_has_a_profile

    def test_the_newsroom_owner_has_a_large_share(self, seeded):
        newsroom = bulk.bulk_owner()
        counts = {}
        for request in seeded:
            counts[request.owner_id] = counts.get(request.owner_id, 0) + 1
        typical = sorted(counts.values())[len(counts) // 2]
        assert counts[newsroom.pk] >= 0.015 * len(seeded) > typical

    def test_has_every_status_and_visibility_in_a_realistic_mix(self, seeded):
        statuses = {r.status for r in seeded}
        assert statuses == set(Status.values)
        visibility = {v: sum(r.visibility == v for r in seeded) for v in Visibility.values}
        assert visibility[Visibility.PUBLIC] > visibility[Visibility.PRIVATE] > 0
        assert visibility[Visibility.EMBARGOED] > 0
        assert all(r.embargo_until for r in seeded if r.visibility == Visibility.EMBARGOED)
        assert sum(r.status in OPEN_STATUSES for r in seeded) > 150

    def test_deadlines_follow_the_statute_and_the_status(self, seeded):
        rule = Law.objects.get(code="ca-cpra").deadline_rule
        for r in seeded:
            if r.status == Status.DRAFT:
                assert (r.filed_on, r.next_due, r.visibility) == (None, None, "private")
                continue
            assert r.determination_due == calendar.determination_due(rule, r.received_on).due
            if r.status in ANSWERED | {Status.WITHDRAWN, Status.CLOSED}:
                assert r.next_due is None and r.next_due_kind == ""
            if r.status == Status.FILED:
                assert (r.next_due, r.next_due_kind) == (r.determination_due, DueKind.DETERMINATION)
            if r.status == Status.EXTENDED:
                assert r.next_due == r.extended_due >= r.determination_due
                assert r.next_due_kind == DueKind.EXTENDED
            if r.status in (Status.RELEASED, Status.NO_RECORDS, Status.WITHDRAWN, Status.CLOSED):
                assert r.closed_on is not None
        open_due = [r.next_due for r in seeded if r.status == Status.FILED]
        assert min(open_due) < TODAY < max(open_due)  # deadlines spread around today

    def test_denials_carry_their_determination_exemptions_and_deficiencies(self, seeded):
        denied = [r for r in seeded if r.status == Status.DENIED]
        for r in denied:
            denial = r.determinations.get(kind=DeterminationKind.DENIAL)
            assert r.responded_on == denial.date
            assert r.deficiencies == denial.deficiencies
            assert r.is_deficient == bool(denial.deficiencies)
            assert (Deficiency.LATE in denial.deficiencies) == denial.is_late == r.is_late
            cited = denial.exemptions.exists()
            assert cited or Deficiency.NO_EXEMPTION in denial.deficiencies
        assert any(r.is_deficient for r in denied) and not all(r.is_deficient for r in denied)
        assert Determination.exemptions.through.objects.exists()

    def test_the_agencys_other_answers_carry_their_procedure_flags(self, seeded):
        """Extensions, promises and fees are checked as the services check them."""
        rule = Law.objects.get(code="ca-cpra").deadline_rule
        flagged = set()
        for r in seeded:
            expected = set()
            if r.received_on:
                extended = calendar.determination_due(rule, r.received_on, extended=True)
                maximum = extended.arguably or extended.due  # the agency's reading
            for d in r.determinations.all():
                if d.kind == DeterminationKind.EXTENSION:
                    expected |= set(rules.extension_flags(
                        notice_on=d.date, ground=d.extension_ground, named_date=d.extension_date,
                        deadline=r.determination_due, maximum=maximum, cpra=True,
                    ))  # fmt: skip
                expected |= set(rules.fee_flags(kind=d.kind, fee_basis=d.fee_basis, cpra=True))
                expected |= set(rules.promise_flags(
                    kind=d.kind, promised_date=d.promised_date, maximum=maximum, cpra=True
                ))  # fmt: skip
            assert r.procedure_flags == sorted(expected), r.demo_key
            flagged |= expected
            if r.status == Status.EXTENDED:
                extension = r.determinations.get(kind=DeterminationKind.EXTENSION)
                assert not rules.extension_voided(r.procedure_flags)
                assert r.extended_due == extended.due <= extension.extension_date
                if r.extended_due_arguably:
                    assert r.extended_due < r.extended_due_arguably <= extension.extension_date
                    assert r.extended_due_arguably == extended.arguably
        assert {
            Deficiency.EXTENSION_OVERLONG,
            Deficiency.PROMISE_BEYOND_MAXIMUM,
            Deficiency.DISCLOSABLE_NO_DATE,
            Deficiency.FEE_NOT_CHARGEABLE,
        } <= flagged

    def test_withholdings_are_checked_by_the_cpra_rules(self, seeded):
        withholdings = Determination.objects.filter(
            request__in=seeded, kind__in=rules.WITHHOLDING_KINDS
        )
        found = {code for d in withholdings for code in d.deficiencies}
        assert {Deficiency.BLANKET_WITHHOLDING, Deficiency.ALPR_NOT_INVESTIGATORY} <= found
        assert any(d.more_officials for d in withholdings)
        assert any(d.segregation_stated for d in withholdings)

    def test_every_determination_links_the_reply_it_came_in(self, seeded):
        determinations = Determination.objects.filter(request__in=seeded)
        assert determinations.count() > 400
        assert not determinations.filter(communication__isnull=True).exists()
        assert not determinations.exclude(communication__request=models_f("request")).exists()

    def test_the_same_seed_gives_the_same_data_and_another_seed_other_data(self, seeded):
        first = fingerprint()
        bulk_reset()
        assert not RecordsRequest.objects.exists()
        bulk_seed(requests=600, spec=BulkSpec(seed=7), today=TODAY)
        assert fingerprint() == first
        bulk_seed(requests=600, spec=BulkSpec(seed=8), today=TODAY)
        assert fingerprint() != first

    def test_growing_gives_the_rows_of_seeding_at_once(self, db):
        bulk_seed(requests=250, spec=BulkSpec(seed=3), today=TODAY)
        bulk_seed(requests=400, spec=BulkSpec(seed=3), today=TODAY)
        grown = fingerprint()
        bulk_reset()
        bulk_seed(requests=400, spec=BulkSpec(seed=3), today=TODAY)
        assert fingerprint() == grown

    def test_shrinking_removes_the_last_requests_and_everything_hanging_off_them(self, db):
        bulk_seed(requests=300, spec=BulkSpec(seed=3), today=TODAY)
        report = bulk_seed(requests=120, spec=BulkSpec(seed=3), today=TODAY)
        assert report.removed == 180
        assert bulk_requests().count() == 120
        assert bulk.bulk_state()[1] == 120
        kept = bulk_requests().values("pk")
        assert not Communication.objects.exclude(request__in=kept).exists()
        assert not RequestEvent.objects.exclude(request__in=kept).exists()

    def test_ensure_requests_reuses_the_data_set_of_the_same_seed(self, db):
        bulk_seed(requests=100, spec=BulkSpec(seed=1, communications=6), today=TODAY)
        report = bulk.ensure_requests(150)
        assert (report.added, report.removed) == (50, 0)
        assert report.spec.communications == 6
        assert bulk.ensure_requests(150).added == 0

    def test_runs_a_bounded_number_of_queries_not_one_per_row(
        self, db, django_assert_max_num_queries
    ):
        bulk_seed(requests=50, spec=BulkSpec(seed=2), today=TODAY)  # reference lookups warmed
        # About 10,000 rows: COPY per table on PostgreSQL, batches of bulk_create on SQLite.
        with django_assert_max_num_queries(250):
            bulk_seed(requests=1000, spec=BulkSpec(seed=2), today=TODAY)
        assert bulk_requests().count() == 1000
        assert RequestEvent.objects.count() > 3000


class TestColumns:
    @pytest.mark.parametrize(
        ("model", "columns"),
        [(RecordsRequest, REQUEST_COLUMNS), (Determination, DETERMINATION_COLUMNS)],
    )
    def test_name_only_fields_and_the_writer_fills_the_rest_with_defaults(self, model, columns):
        fields = {f.attname: f for f in model._meta.concrete_fields}
        assert set(columns) <= set(fields)
        full_columns, [full_row] = with_defaults(model, columns, [tuple(range(len(columns)))])
        # COPY needs every column: a NOT NULL one left out would fail it on PostgreSQL.
        assert sorted(full_columns) == sorted(fields)
        filled = dict(zip(full_columns, full_row, strict=True))
        for name in set(fields) - set(columns):
            assert filled[name] == fields[name].get_default(), name


def models_f(name):
    from django.db.models import F

    return F(name)


class TestSeedBulkCommand:
    @pytest.fixture(autouse=True)
    def _debug(self, settings):
        settings.DEBUG = True  # the test runner turns it off; seed_bulk needs it on

    def test_seeds_and_says_how_many(self, db):
        out = StringIO()
        call_command("seed_bulk", "--requests", "40", "--seed", "4", "--owners", "5", stdout=out)
        assert "40 requests (added 40" in out.getvalue()
        assert bulk.bulk_state() == (BulkSpec(seed=4, owners=5), 40)
        assert len({r.owner_id for r in bulk_requests()}) <= 5

    def test_never_runs_without_debug(self, db, settings):
        settings.DEBUG = False
        with pytest.raises(CommandError, match="runs only with DJANGO_DEBUG=1"):
            call_command("seed_bulk", "--requests", "10")
        assert not bulk_requests().exists()

    def test_refuses_a_database_with_other_data_unless_forced(self, db, user):
        with pytest.raises(CommandError, match="holds users that are not bulk data"):
            call_command("seed_bulk", "--requests", "10", "--owners", "2")
        assert not bulk_requests().exists()
        factories.RecordsRequestFactory(owner=user)
        with pytest.raises(CommandError, match="holds requests and users"):
            call_command("seed_bulk", "--requests", "10", "--owners", "2")
        call_command("seed_bulk", "--requests", "10", "--owners", "2", "--force", stdout=StringIO())
        assert bulk_requests().count() == 10

    def test_refuses_negative_numbers(self, db):
        with pytest.raises(Exception, match="cannot be negative"):
            call_command("seed_bulk", "--requests", "-1")
