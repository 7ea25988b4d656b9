import pytest
from django.db import connection, transaction

from rtcc_requests.core.db import read_to_the_end

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
def test_does_nothing_on_sqlite():
    read_to_the_end()
