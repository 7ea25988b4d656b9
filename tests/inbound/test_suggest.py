from datetime import date
from decimal import Decimal

import pytest

from rtcc_requests.inbound.suggest import (
    Citation,
    citations_in,
    dates_in,
    reply_text,
    suggest_determination,
)

from .conftest import eml


def kinds(text: str) -> list[str]:
    return [s.kind for s in suggest_determination(text)]


class TestSuggestDetermination:
    def test_acknowledgement(self):
        text = "We received your public records request and assigned it reference number R-12."
        assert kinds(text) == ["acknowledgement"]

    def test_extension_with_the_date_named_in_the_next_sentence(self):
        text = (
            "Due to unusual circumstances under Gov. Code section 7922.535(b) we need more "
            "time.\nWe expect to make a determination by December 14, 2026."
        )
        [suggestion] = suggest_determination(text)
        assert suggestion.kind == "extension"
        assert suggestion.extension_date == date(2026, 12, 14)

    def test_extension_with_the_reason_of_the_statute_it_gives(self):
        text = (
            "We are extending the time to respond by 14 days. The extension is needed to "
            "collect records from field facilities separate from our office.\n"
            "We expect to make a determination by December 14, 2026."
        )
        [suggestion] = suggest_determination(text)
        assert suggestion.extension_ground == "field_facilities"
        assert suggestion.extension_reason.startswith("The extension is needed to collect")
        assert suggestion.extension_date == date(2026, 12, 14)

    @pytest.mark.parametrize(
        ("reason", "ground"),
        [
            ("Your request involves a voluminous amount of separate records.", "voluminous"),
            ("We must consult with another agency that has an interest.", "consultation"),
            ("Staff must compile data and write programming to extract it.", "data_compilation"),
            ("A state of emergency has closed our records office.", "emergency"),
            # Not (c)(3): a vendor is neither another agency nor a component (cpra.md).
            ("We must consult the vendor about its contract.", ""),
        ],
    )
    def test_extension_reasons_are_read_from_the_statutes_list(self, reason, ground):
        [suggestion] = suggest_determination(f"Due to unusual circumstances {reason}")
        assert (suggestion.kind, suggestion.extension_ground) == ("extension", ground)

    def test_fee_with_its_amount(self):
        text = "The estimated duplication fee is $1,042.50. We will release the records on payment."
        [suggestion] = suggest_determination(text)
        assert (suggestion.kind, suggestion.fee_amount) == ("fee_estimate", Decimal("1042.50"))

    def test_a_dollar_figure_that_is_no_fee_is_not_a_fee(self):
        assert kinds("The center cost about $600,000, paid by private donations.") == []

    def test_denial_with_cited_sections_current_and_former(self):
        text = (
            "Your request is denied. The records are exempt from disclosure under Government "
            "Code section 6254(f), § 7922.000 and Penal Code 832.7."
        )
        [suggestion] = suggest_determination(text)
        assert suggestion.kind == "denial"
        assert [str(c) for c in suggestion.citations] == [
            "§7923.600 [former §6254(f)]",
            "§7922.000",
            "Penal Code §832.7",
        ]

    def test_records_released(self):
        assert kinds("Please find attached the responsive records.") == ["released"]

    def test_release_with_withholding_is_a_partial_release(self):
        text = "Attached are the contracts. The audit logs are withheld under §7923.600."
        [suggestion] = suggest_determination(text)
        assert suggestion.kind == "partial"
        assert suggestion.citations == (Citation("Gov. Code", "§7923.600"),)

    def test_no_records(self):
        assert kinds("After a diligent search we did not locate any responsive records.") == [
            "no_records"
        ]

    def test_our_quoted_letter_below_the_reply_is_ignored(self):
        text = (
            "Thank you.\n\nOn Mon, Nov 16, 2026 at 9:00 AM Demo <request+x@r.example> wrote:\n"
            "> If you deny any part of this request, cite the exemption (section 6255)."
        )
        assert kinds(text) == []
        assert reply_text(text).strip() == "Thank you."

    def test_outlook_original_message_is_ignored(self):
        # The extension is read from the reply, not "deny" from the quoted request.
        assert kinds(eml("alternative.eml").decode()) == ["extension", "acknowledgement"]

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("by Dec. 4, 2026", date(2026, 12, 4)),
            ("by 4 December 2026", date(2026, 12, 4)),
            ("by 12/04/2026", date(2026, 12, 4)),
            ("by 2026-12-04", date(2026, 12, 4)),
            ("by February 30, 2026", None),
        ],
    )
    def test_dates_people_write(self, text, expected):
        assert dates_in(text) == ([expected] if expected else [])

    def test_section_numbers_need_a_section_sign_or_word(self):
        assert citations_in("Call 6254 or see page 7922.") == ()


class TestCitations:
    def test_every_section_of_a_list_is_found(self):
        text = "The records are withheld under Government Code sections 7923.600 and 7922.000."
        assert [str(c) for c in citations_in(text)] == ["§7923.600", "§7922.000"]

    def test_a_list_of_former_numbers_is_mapped_to_current_ones(self):
        text = "Exempt under §§6254(f), 6254(k) and 6255."
        assert [str(c) for c in citations_in(text)] == [
            "§7923.600 [former §6254(f)]",
            "§7927.705 [former §6254(k)]",
            "§7922.000 [former §6255]",
        ]

    @pytest.mark.parametrize(
        ("former", "current"),
        [
            ("6253(a)", "§7922.525(b)"),
            ("6253(b)", "§7922.530"),
            ("6253(c)", "§7922.535"),
            ("6253(d)", "§7922.540"),
            ("6253.1", "§7922.600"),
            ("6253.9", "§7922.570"),
            ("6254(a)", "§7927.500"),
            ("6254(b)", "§7927.200"),
            ("6254(c)", "§7927.700"),
            ("6254(aa)", "§7929.200"),
            ("6255(a)", "§7922.000"),
            ("6255(b)", "§7922.540"),
            ("6259(d)", "§7923.115"),
        ],
    )
    def test_former_numbers_of_cpra_md(self, former, current):
        (citation,) = citations_in(f"See section {former}.")
        assert (citation.section, citation.former) == (current, f"§{former}")

    def test_a_bare_832_7_is_the_penal_code(self):
        (citation,) = citations_in("Personnel records are confidential under §832.7.")
        assert str(citation) == "Penal Code §832.7"


@pytest.mark.parametrize(
    ("text", "sections"),
    [
        (
            "The records are exempt from disclosure under Government Code sections 7923.600 "
            "(investigatory records) and 7922.000.",
            ["§7923.600", "§7922.000"],
        ),
        (
            "Your request is denied under sections 7923.600 ... and 7922.000.",
            ["§7923.600", "§7922.000"],
        ),
        (
            "Your request is denied under §§ 7923.600, 7927.705 and 7922.000.",
            ["§7923.600", "§7927.705", "§7922.000"],
        ),
        (
            "The records are withheld under Government Code sections 6254(f) and 6255.",
            ["§7923.600", "§7922.000"],
        ),
    ],
)
def test_every_section_of_a_list_is_found(text, sections):
    # Before, a parenthesis or an ellipsis after the first number hid the rest of the list.
    [denial] = [s for s in suggest_determination(text) if s.kind == "denial"]
    assert [c.section for c in denial.citations] == sections
