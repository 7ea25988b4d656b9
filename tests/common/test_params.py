import pytest

from rtcc_requests.common.params import DB_INT_MAX, bounded_int, db_id, search_text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("42", 42),
        (" 42 ", 42),
        ("-3", -3),
        (7, 7),
        (str(DB_INT_MAX), DB_INT_MAX),
        (str(DB_INT_MAX + 1), None),
        ("9" * 20, None),
        ("9" * 5000, None),
        ("²", None),
        ("١٢", None),
        ("1.5", None),
        ("1e3", None),
        ("", None),
        (None, None),
        (True, None),
    ],
)
def test_bounded_int_reads_only_whole_numbers_the_database_can_hold(value, expected):
    assert bounded_int(value) == expected


def test_bounded_int_keeps_to_its_bounds():
    assert bounded_int("1990", low=1990, high=2027) == 1990
    assert bounded_int("1989", low=1990, high=2027) is None
    assert bounded_int("2028", low=1990, high=2027) is None


@pytest.mark.parametrize("value", ["0", "-1", str(DB_INT_MAX + 1), "abc"])
def test_db_id_is_a_positive_id_or_none(value):
    assert db_id(value) is None
    assert db_id("12") == 12


def test_search_text_drops_control_characters_and_keeps_to_its_limit():
    assert search_text("fres\x00no\tpd\x1f", limit=100) == "fres no pd"
    assert search_text("  " + "a" * 300, limit=100) == "a" * 100
    assert search_text(None, limit=10) == ""
