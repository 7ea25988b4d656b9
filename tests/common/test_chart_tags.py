"""A chart on a page: an <img> of the SVG (a data: URI our CSP allows) and its numbers."""

import base64

import html5lib
from django.conf import settings
from django.template.loader import render_to_string

from rtcc_requests.common.charts import bars
from rtcc_requests.common.templatetags.charts import svg_data_uri

PREFIX = "data:image/svg+xml;base64,"
SVG = bars(title="Median days to respond", labels=["2024", "2025"], values=[12, 9], unit="days")


def _figure(**context):
    html = render_to_string("common/_chart.html", context)
    return html5lib.parse(html, namespaceHTMLElements=False).find(".//figure")


def _decoded(src: str) -> str:
    assert src.startswith(PREFIX)
    return base64.b64decode(src.removeprefix(PREFIX)).decode()


class TestSvgDataUri:
    def test_it_carries_the_svg_unchanged(self):
        svg = bars(title="Ünïcode & <b>", labels=["§7922.000"], values=[1])
        assert _decoded(svg_data_uri(svg)) == svg

    def test_our_content_security_policy_lets_pages_show_it(self):
        # Without data: in img-src every chart on every page is a broken image.
        assert "data:" in settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"]


class TestChartSnippet:
    HEADERS = ["Year", "Median days"]
    ROWS = [["2024", 12], ["2025", 9]]

    def test_it_shows_the_svg_as_an_image_named_by_the_caption(self):
        figure = _figure(svg=SVG, caption="How long agencies take", headers=[], rows=[])
        img = figure.find("img")
        assert _decoded(img.get("src")) == SVG
        assert img.get("alt").startswith("How long agencies take")
        assert figure.find("figcaption").text == "How long agencies take"

    def test_it_can_show_a_chart_served_at_a_url_instead(self):
        figure = _figure(url="/denials/chart.svg?year=2025", svg=SVG, caption="c", rows=[])
        assert figure.find("img").get("src") == "/denials/chart.svg?year=2025"

    def test_the_numbers_are_a_table_with_headers_and_row_names(self):
        figure = _figure(svg=SVG, caption="Days", headers=self.HEADERS, rows=self.ROWS)
        table = figure.find(".//table")
        assert [th.text for th in table.findall("thead/tr/th")] == self.HEADERS
        assert all(th.get("scope") == "col" for th in table.findall("thead/tr/th"))
        rows = table.findall("tbody/tr")
        assert [(r.find("th").text, [td.text for td in r.findall("td")]) for r in rows] == [
            ("2024", ["12"]),
            ("2025", ["9"]),
        ]
        assert all(r.find("th").get("scope") == "row" for r in rows)
        # Scrolls sideways on a phone rather than widening the page.
        assert "table-wrap" in figure.find("div").get("class")

    def test_the_caption_and_cells_are_escaped(self):
        nasty = '<script>alert("x")</script> & "Co"'
        html = render_to_string(
            "common/_chart.html",
            {"svg": SVG, "caption": nasty, "headers": [nasty], "rows": [[nasty, nasty]]},
        )
        assert "<script" not in html
        figure = html5lib.parse(html, namespaceHTMLElements=False).find(".//figure")
        assert figure.find("figcaption").text == nasty
        assert figure.find("img").get("alt").startswith(nasty)
        assert figure.find(".//tbody/tr/td").text == nasty

    def test_without_rows_there_is_no_empty_table(self):
        figure = _figure(svg=SVG, caption="Days", headers=self.HEADERS, rows=[])
        assert figure.find(".//table") is None
        assert figure.find("img") is not None
