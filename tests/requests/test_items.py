"""A request's numbered items, read from its records sought (requests/items.py)."""

from rtcc_requests.requests.items import as_list, numbered_items, text_key


def _pairs(text):
    return [(i.number, i.text) for i in numbered_items(text)]


def test_numbered_lines_are_the_items_and_their_continuations_join_them():
    text = (
        "For 2015 to date:\n\n"
        "1. The ALPR usage and privacy policy\n"
        "   and each earlier version.\n"
        "2) The audit logs.\n"
        "\n"
        "Please send them by email."
    )
    assert _pairs(text) == [
        (1, "The ALPR usage and privacy policy and each earlier version."),
        (2, "The audit logs."),
    ]


def test_a_text_without_a_numbered_list_has_no_items():
    assert numbered_items("The ALPR policy and audit logs.") == []
    # A year at the start of a line is not an item: it needs "." or ")" and a space after.
    assert numbered_items("2018 contracts with Vigilant") == []


def test_numbers_that_do_not_run_upwards_are_replaced_by_the_order():
    assert _pairs("1. a\n1. b\n3. c") == [(1, "a"), (2, "b"), (3, "c")]
    assert _pairs("2. a\n5. b") == [(2, "a"), (5, "b")]


def test_a_checklist_offered_as_a_list_reads_back_as_the_same_items():
    asks = ["The usage and privacy policy.", "The records of each access."]
    items = numbered_items(as_list(asks))
    assert [text_key(i.text) for i in items] == [text_key(a) for a in asks]
    assert text_key("The  usage and Privacy policy") == text_key("The usage and privacy policy.")
