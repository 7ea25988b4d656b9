"""Charts: well-formed SVG that names itself, escapes its labels and fetches nothing."""

import re
from itertools import pairwise
from xml.etree import ElementTree

import pytest
from freezegun import freeze_time

from rtcc_requests.common import charts
from rtcc_requests.common.charts import NO_DATA, PALETTE, bars, stacked_bars

SVG = "{http://www.w3.org/2000/svg}"
# The only URIs an SVG of ours may name: namespaces, which nothing fetches.
NAMESPACES = ("http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink")

AGENCIES = ["Fresno Police Department", "Clovis Police Department", "Fresno County Sheriff"]
ANSWERS = [
    ("released", [3, 1, 0]),
    ("withheld", [2, 4, 1]),
    ("late", [1, 0, 0]),
    ("silent", [0, 2, 3]),
]


def _answers(**overrides) -> str:
    return stacked_bars(
        **{"title": "Answers per agency", "categories": AGENCIES, "series": ANSWERS, **overrides}
    )


def _median_days(**overrides) -> str:
    return bars(
        **{
            "title": "Median days to respond",
            "labels": ["2023", "2024", "2025"],
            "values": [12, 14.5, 9],
            "unit": "days",
            **overrides,
        }
    )


def _parse(svg: str) -> ElementTree.Element:
    return ElementTree.fromstring(svg)  # noqa: S314 (our own output)


def _texts(root: ElementTree.Element) -> list[str]:
    return [node.text for node in root.iter(f"{SVG}text") if node.text]


CHARTS = {
    "stacked": _answers,
    "bars": _median_days,
    "empty": lambda: bars(title="Denials per year", labels=[], values=[]),
}


@pytest.fixture(params=CHARTS)
def svg(request) -> str:
    return CHARTS[request.param]()


class TestEveryChart:
    def test_it_is_a_well_formed_svg_document(self, svg):
        root = _parse(svg)
        assert root.tag == f"{SVG}svg"

    def test_it_scales_to_its_container(self, svg):
        root = _parse(svg)
        assert re.fullmatch(r"0 0 \d+ \d+", root.get("viewBox"))
        assert "width" not in root.attrib and "height" not in root.attrib

    def test_it_begins_with_its_title_and_description(self, svg):
        root = _parse(svg)
        assert root[0].tag == f"{SVG}title" and root[0].text
        assert root[1].tag == f"{SVG}desc" and root[1].text
        assert len(root.findall(f"{SVG}title")) == 1
        assert root.get("role") == "img"

    def test_it_names_nothing_to_fetch(self, svg):
        text = svg
        for namespace in NAMESPACES:
            text = text.replace(namespace, "")
        assert "http" not in text.lower()
        assert "//" not in text  # pygal's CDN links are protocol-relative
        assert "href" not in text and "url(" not in text and "@import" not in text
        assert "<?xml-stylesheet" not in text

    def test_it_has_no_script(self, svg):
        root = _parse(svg)
        assert not list(root.iter(f"{SVG}script"))
        assert "<script" not in svg.lower() and "window.pygal" not in svg

    @pytest.mark.parametrize("name", CHARTS)
    def test_it_is_the_same_bytes_every_time_and_every_day(self, name):
        draw = CHARTS[name]
        with freeze_time("2026-12-01"):
            first = draw()
        with freeze_time("2027-06-30"):
            assert draw() == first
        assert draw() == first


class TestStackedBars:
    def test_it_draws_every_series_and_names_it_in_the_legend(self):
        svg = _answers()
        for index, (name, _values) in enumerate(ANSWERS):
            assert f'class="series serie-{index} color-{index}"' in svg
            assert name in _texts(_parse(svg))

    def test_the_description_spells_out_every_number(self):
        desc = _parse(_answers())[1].text
        assert desc == (
            "Fresno Police Department: released 3, withheld 2, late 1, silent 0; "
            "Clovis Police Department: released 1, withheld 4, late 0, silent 2; "
            "Fresno County Sheriff: released 0, withheld 1, late 0, silent 3"
        )

    def test_the_first_category_is_the_top_bar(self):
        root = _parse(_answers())
        y = {
            node.text: float(node.get("y"))
            for node in root.iter(f"{SVG}text")
            if node.text in AGENCIES
        }
        assert y["Fresno Police Department"] < y["Clovis Police Department"]
        assert y["Clovis Police Department"] < y["Fresno County Sheriff"]

    def test_the_palette_colours_the_series(self):
        svg = _answers()
        for index, colour in enumerate(PALETTE[: len(ANSWERS)]):
            assert re.search(rf"\.color-{index}[^{{]*\{{[^}}]*fill:{colour}", svg)

    def test_more_bars_make_a_taller_chart(self):
        def height(svg):
            return int(_parse(svg).get("viewBox").split()[3])

        one = _answers(categories=AGENCIES[:1], series=[(n, v[:1]) for n, v in ANSWERS])
        assert height(_answers()) > height(one)

    def test_a_series_of_the_wrong_length_is_refused(self):
        with pytest.raises(ValueError, match="'late' has 2 values for 3 categories"):
            _answers(series=[("released", [1, 2, 3]), ("late", [1, 2])])


class TestBars:
    def test_values_and_their_unit_are_described(self):
        desc = _parse(_median_days())[1].text
        assert desc == "2023: 12 days; 2024: 14.5 days; 2025: 9 days"

    def test_each_value_is_printed_on_its_bar_and_the_unit_names_the_axis(self):
        texts = _texts(_parse(_median_days()))
        assert {"12", "14.5", "9", "days"} <= set(texts)

    def test_without_a_unit_the_numbers_stand_alone(self):
        svg = bars(title="Exemptions cited", labels=["§7922.000", "§7923.600"], values=[14, 1])
        assert _parse(svg)[1].text == "§7922.000: 14; §7923.600: 1"

    def test_a_long_label_is_shortened_on_the_chart_but_whole_in_the_description(self):
        label = "Government Code §7923.600 (investigatory records)"
        root = _parse(bars(title="Exemptions cited", labels=[label], values=[3]))
        assert label not in _texts(root)
        assert any(t.endswith("…") and label.startswith(t[:-1]) for t in _texts(root))
        assert root[1].text == f"{label}: 3"

    def test_values_of_the_wrong_count_are_refused(self):
        with pytest.raises(ValueError, match="2 values for 3 labels"):
            _median_days(values=[1, 2])


class TestEscaping:
    NASTY = '<script>alert("x")</script> & Co'

    @pytest.mark.parametrize(
        "draw",
        [
            lambda nasty: stacked_bars(
                title=nasty, categories=[nasty], series=[(nasty, [2]), ("late", [1])]
            ),
            lambda nasty: bars(title=nasty, labels=[nasty], values=[2], unit=nasty),
        ],
        ids=["stacked", "bars"],
    )
    def test_markup_in_a_title_label_or_name_comes_out_as_text(self, draw):
        svg = draw(self.NASTY)
        assert "<script" not in svg.lower()
        assert "&lt;script&gt;" in svg and "&amp; Co" in svg
        root = _parse(svg)
        assert not list(root.iter(f"{SVG}script"))
        assert root[0].text == self.NASTY
        assert self.NASTY in root[1].text
        # Shortened on the chart, the label is still the text it was given.
        assert any(t.startswith('<script>alert("x")') for t in _texts(root))

    def test_the_empty_chart_escapes_its_title_too(self):
        svg = bars(title=self.NASTY, labels=[], values=[])
        assert "<script" not in svg.lower()
        assert _parse(svg)[0].text == self.NASTY


class TestNoData:
    @pytest.mark.parametrize(
        "svg",
        [
            bars(title="Denials per year", labels=[], values=[]),
            bars(title="Denials per year", labels=["2025"], values=[0]),
            stacked_bars(title="Answers", categories=[], series=[]),
            stacked_bars(title="Answers", categories=["Fresno PD"], series=[]),
            stacked_bars(title="Answers", categories=["Fresno PD"], series=[("late", [0])]),
        ],
        ids=["no labels", "all zero", "no categories", "no series", "all zero stacked"],
    )
    def test_it_says_so_in_a_small_chart(self, svg):
        root = _parse(svg)
        assert NO_DATA in _texts(root)
        assert root[1].text == NO_DATA
        assert int(root.get("viewBox").split()[3]) < 150
        assert not list(root.iter(f"{SVG}rect"))[1:]  # one background, no bars

    def test_it_keeps_the_title(self):
        root = _parse(bars(title="Denials per year", labels=[], values=[]))
        assert root[0].text == "Denials per year"
        assert "Denials per year" in _texts(root)


def _channels(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))


def _contrast(one: str, other: str) -> float:
    """WCAG 2 contrast ratio."""

    def luminance(colour):
        srgb = [c / 255 for c in _channels(colour)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in srgb]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    dark, light = sorted((luminance(one), luminance(other)))
    return (light + 0.05) / (dark + 0.05)


class TestPalette:
    def test_its_colours_stay_apart_in_greyscale(self):
        greys = sorted(
            0.2126 * red + 0.7152 * green + 0.0722 * blue
            for red, green, blue in map(_channels, PALETTE)
        )
        assert min(b - a for a, b in pairwise(greys)) >= 40

    def test_the_numbers_on_each_bar_are_legible(self):
        svg = stacked_bars(
            title="Five", categories=["A"], series=[(str(i), [1]) for i in range(len(PALETTE))]
        )
        for index, colour in enumerate(PALETTE):
            text = re.search(rf"\.text-overlay \.color-{index} text\{{fill:(#[0-9a-f]{{6}})", svg)
            assert _contrast(colour, text[1]) >= 4.5, (colour, text[1])


def test_a_cached_chart_is_drawn_once_per_set_of_numbers(db):
    drawn = []

    def draw(**data):
        drawn.append(data)
        return charts.bars(**data)

    draw.__name__ = "bars"
    first = charts.cached(draw, title="Denials", labels=["2018"], values=[3])
    again = charts.cached(draw, title="Denials", labels=["2018"], values=[3])
    changed = charts.cached(draw, title="Denials", labels=["2018"], values=[4])
    assert first == again and first != changed
    assert len(drawn) == 2
