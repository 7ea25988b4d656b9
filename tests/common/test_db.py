import pytest
from django.db import connection, transaction

from rtcc_requests.common.db import read_to_the_end

pytestmark = pytest.mark.django_db


def _setting(name: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SHOW {name}")
        return cursor.fetchone()[0]


@pytest.mark.skipif("connection.vendor != 'postgresql'")
@pytest.mark.django_db(transaction=True)  # the block below must be a transaction, not a savepoint
class TestReadToTheEnd:
    def test_plans_cursors_for_every_row_until_the_transaction_ends(self):
        with transaction.atomic():
            read_to_the_end(work_mem="32MB")
            assert float(_setting("cursor_tuple_fraction")) == 1.0
            assert _setting("work_mem") == "32MB"
        assert float(_setting("cursor_tuple_fraction")) == 0.1
        assert _setting("work_mem") != "32MB"

    def test_outside_a_transaction_it_refuses(self):
        with pytest.raises(RuntimeError, match="needs a transaction"):
            read_to_the_end()


@pytest.mark.skipif("connection.vendor != 'sqlite'")
@pytest.mark.django_db(transaction=True)  # outside a transaction, where PostgreSQL refuses
def test_does_nothing_on_sqlite(django_assert_num_queries):
    assert not connection.in_atomic_block
    with django_assert_num_queries(0):
        assert read_to_the_end(work_mem="32MB") is None


class TestInsertIgnoringConflicts:
    def test_stores_every_field_and_skips_rows_that_would_break_a_unique_key(self):
        from django.db import transaction

        from rtcc_requests.common.db import insert_ignoring_conflicts
        from rtcc_requests.outbox.models import OutboxMessage, OutboxStatus

        def message(key, subject):
            return OutboxMessage(
                idempotency_key=key,
                to=["ana@example.org"],
                subject=subject,
                body_text="",
                render_args={"reminders": [1, 2], "today": "2026-11-30"},
                status=OutboxStatus.PENDING,
            )

        with transaction.atomic():
            insert_ignoring_conflicts([message("a", "First"), message("b", "Second")])
            insert_ignoring_conflicts([message("a", "Again"), message("c", "Third")])
        rows = {m.idempotency_key: m for m in OutboxMessage.objects.all()}
        assert sorted(rows) == ["a", "b", "c"]
        assert rows["a"].subject == "First"  # the earlier row is kept, untouched
        assert rows["c"].render_args == {"reminders": [1, 2], "today": "2026-11-30"}
        assert rows["c"].to == ["ana@example.org"] and rows["c"].status == "pending"
        assert rows["c"].created_at is not None
