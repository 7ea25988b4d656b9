"""The summary above the log: counts, most cited exemptions, share deficient, median days."""

from datetime import date

import pytest

from rtcc_requests.denials.selectors import denial_log
from rtcc_requests.denials.stats import denial_summary

TODAY = date(2026, 11, 26)


def _summary(**params):
    return denial_summary(denial_log(today=TODAY, params=params).filtered)


class TestDenialSummary:
    def test_counts_top_exemptions_share_deficient_and_median(self, make_denial):
        make_denial(title="A", exemptions=("§7923.600", "§7922.000"), days=4)
        make_denial(title="B", exemptions=("§7923.600",), days=8, official_name="")
        make_denial(title="C", exemptions=("§7923.600", "§7927.705"), days=30)
        summary = _summary()
        assert summary.count == 3
        # A (catch-all, no reasons), B (no official), C (late) are all deficient.
        assert (summary.deficient, summary.percent_deficient) == (3, 100)
        assert summary.late == 1
        assert summary.no_official == 1
        assert summary.median_days == 8
        cited = [(e.exemption.section, e.count) for e in summary.top_exemptions]
        assert cited[0] == ("§7923.600", 3)
        assert sorted(cited[1:]) == [("§7922.000", 1), ("§7927.705", 1)]

    def test_median_of_an_even_count_is_the_mean_of_the_middle_two(self, make_denial):
        for days in (2, 5, 9, 40):
            make_denial(title=f"{days} days", days=days)
        assert _summary().median_days == 7

    def test_share_deficient_follows_the_filter(self, make_denial):
        make_denial(title="Good", days=3, exemptions=("§7927.500",))
        make_denial(title="Unsigned", days=3, official_name="", official_title="")
        assert _summary().percent_deficient == 50
        assert _summary(deficient="yes").count == 1

    @pytest.mark.django_db
    def test_an_empty_log_has_no_share_or_median(self):
        summary = _summary()
        assert summary.count == 0
        assert summary.share_deficient is None and summary.median_days is None
        assert summary.top_exemptions == ()


def test_denials_per_year_count_the_late_ones_apart(make_denial):
    make_denial(title="2018 on time", received=date(2018, 3, 5), days=7)
    make_denial(title="2018 late", received=date(2018, 6, 4), days=30)
    make_denial(title="2026", received=date(2026, 3, 2), days=4)
    assert _summary().per_year == ((2018, 2, 1), (2026, 1, 0))


def test_the_log_page_draws_them_beside_their_numbers(client, make_denial):
    from ..support.html import parse_strict

    make_denial(title="2018 late", received=date(2018, 6, 4), days=30)
    make_denial(title="2026", received=date(2026, 3, 2), days=4, exemptions=("§7927.705",))
    tree = parse_strict(client.get("/denials/").text)
    [charts] = [d for d in tree.iter("details") if d.get("id") == "charts"]
    images = [img for img in charts.iter("img") if img.get("src", "").startswith("data:image/svg")]
    assert len(images) == 2
    tables = [t for t in charts.iter("table") if t.get("class") == "chart-numbers"]
    rows = [["".join(cell.itertext()).strip() for cell in row] for row in tables[0].find("tbody")]
    assert rows == [["2018", "0", "1"], ["2026", "1", "0"]]
