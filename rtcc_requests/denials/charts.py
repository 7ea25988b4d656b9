"""The log's pictures: denials per year (late ones apart) and the exemptions cited most,
drawn from its cached summary, so a chart costs no query and is cached with its numbers."""

from rtcc_requests.common import charts

from .stats import DenialSummary


def summary_charts(summary: DenialSummary) -> list[dict]:
    """Each chart as the context of common/_chart.html: svg, caption, headers, rows."""
    years = [str(year) for year, _, _ in summary.per_year]
    on_time = [count - late for _, count, late in summary.per_year]
    late = [late for _, _, late in summary.per_year]
    exemptions = [item.exemption.citation for item in summary.top_exemptions]
    cited = [item.count for item in summary.top_exemptions]
    return [
        {
            "caption": "Denials per year, answered on time or late",
            "svg": charts.cached(
                charts.stacked_bars,
                title="Denials per year",
                categories=years,
                series=[("on time", on_time), ("late", late)],
            ),
            "headers": ["Year", "On time", "Late"],
            "rows": [list(row) for row in zip(years, on_time, late, strict=True)],
        },
        {
            "caption": "Exemptions cited most",
            "svg": charts.cached(
                charts.bars, title="Exemptions cited most", labels=exemptions, values=cited
            ),
            "headers": ["Exemption", "Denials citing it"],
            "rows": [list(row) for row in zip(exemptions, cited, strict=True)],
        },
    ]
