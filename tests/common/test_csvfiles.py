import csv
import io

import pytest

from rtcc_requests.common.csvfiles import SpreadsheetSafeWriter, spreadsheet_safe


class TestSpreadsheetSafe:
    @pytest.mark.parametrize(
        "value", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", '=HYPERLINK("x")']
    )
    def test_a_cell_that_starts_like_a_formula_gets_a_leading_quote(self, value):
        assert spreadsheet_safe(value) == "'" + value

    @pytest.mark.parametrize("value", ["", "Fresno PD", "1-2", "a=b", " =1", "'=1", "§7922.000"])
    def test_other_text_is_unchanged(self, value):
        assert spreadsheet_safe(value) == value


class TestSpreadsheetSafeWriter:
    def test_changes_text_cells_and_leaves_numbers_alone(self):
        out = io.StringIO()
        writer = SpreadsheetSafeWriter(out, lineterminator="\n")
        writer.writerow(["=cmd", -3, 2.5, None, "-3", "plain"])
        writer.writerows([["@x"], [-1]])
        assert list(csv.reader(io.StringIO(out.getvalue()))) == [
            ["'=cmd", "-3", "2.5", "", "'-3", "plain"],
            ["'@x"],
            ["-1"],
        ]

    def test_returns_what_the_file_returns_for_streaming(self):
        class Echo:
            def write(self, value):
                return value

        assert SpreadsheetSafeWriter(Echo()).writerow(["+1", 1]) == "'+1,1\r\n"
