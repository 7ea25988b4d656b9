"""Charts drawn on the server as SVG text, to show beside the numbers they picture.

Plain data in, a complete SVG document out (`stacked_bars`, `bars`); pure and deterministic,
so callers can cache the text and a test can compare it byte for byte. Drawn by pygal, a
maintained pure-Python library that writes SVG without a browser.

How a page shows one: as an ``<img>`` whose ``src`` is a ``data:`` URI, with
``common/_chart.html`` (the chart and a table of its numbers) or the ``svg_data_uri``
filter of the ``charts`` tags. Not inline ``<svg>``: its ``<style>`` element would need
'unsafe-inline' in our Content-Security-Policy (style-src 'self'). An SVG *image* is a
document of its own: its styles apply, its scripts never run, it fetches nothing, and
img-src already allows ``data:``. A ``data:`` URI rather than a URL of its own because the
chart is drawn from the page's data: a view per chart would repeat the page's query (or
need a cache shared between two requests) and common owns no URLs. The cost is the text in
the page, 10-20 kB a chart, base64 adding a third. A caller that wants a URL serves this
text as ``image/svg+xml`` and passes ``url`` to the template instead of ``svg``.

What we change from pygal's defaults, and why:
- no JavaScript (pygal links its tooltip script from a CDN) and no inline config script:
  the SVG fetches nothing and reads the same without scripts;
- a fixed chart id instead of a fresh uuid4, and no generator comment (it carries today's
  date), so the same input renders the same bytes;
- horizontal bars, so long agency and exemption names fit beside their bars on a phone;
  a ``viewBox`` and no width or height, so the image scales to its container, and a height
  that grows with the number of bars;
- a palette whose colours differ in lightness, outlined, so the series stay apart in
  greyscale and against the white plot;
- ``<title>`` and ``<desc>`` first in the document: the desc spells out every number.
"""

import hashlib
import json
from collections.abc import Callable, Sequence
from math import ceil
from xml.etree import ElementTree

import pygal
from django.core.cache import cache
from pygal.etree import etree as pygal_etree
from pygal.style import Style

# Greys (Rec. 709 luma) 34, 83, 128, 172 and 219 of 255: navy, plum, orange, sky, yellow.
# Each is outlined in ink (below), so the lightest still stands apart from the white plot.
# A sixth series gets a colour pygal derives, which may not.
PALETTE = ("#0b2545", "#9c3a6e", "#d8720c", "#66bbe8", "#f0e442")

NO_DATA = "No data yet"

# The viewBox is this wide; the page scales it. In a 390px phone's 358px column a 15px label
# is drawn at 10px; at the 36rem app.css allows it on a desktop, at 17px.
_WIDTH = 520
_BAR_HEIGHT = 34
# Title, axis labels and the legend, before the first bar.
_CHROME_HEIGHT = 150
_EMPTY_HEIGHT = 110
_LABEL_CHARS = 24
_LEGEND_ROW_HEIGHT = 24

_FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif'
_INK = "#1b1f24"
_SUBTLE = "#d0d7de"
_SVG_NS = "http://www.w3.org/2000/svg"

_STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground=_INK,
    foreground_strong=_INK,
    foreground_subtle=_SUBTLE,
    opacity="1",
    opacity_hover="1",
    transition="0s",
    colors=PALETTE,
    # Value text: pygal's guess put black on plum (3.2:1); white there is 6.5:1, ink on
    # the others at least 5:1.
    value_colors=("#ffffff", "#ffffff", _INK, _INK, _INK),
    font_family=_FONT,
    title_font_size=18,
    label_font_size=15,
    major_label_font_size=15,
    legend_font_size=15,
    value_font_size=14,
)

# pygal's own stylesheet fades bars on hover; ours outlines them (see PALETTE).
_CSS = f"inline:.reactive{{stroke:{_INK};stroke-width:1}}"

Series = Sequence[tuple[str, Sequence[int]]]


def stacked_bars(*, title: str, categories: Sequence[str], series: Series) -> str:
    """One bar per category, cut into its series: e.g. answers per agency by kind.

    ``series`` is ``[(name, [value per category, ...]), ...]``, in the order of the legend
    (two columns: keep names short, "withheld", not "withheld in full"); the first category
    is the top bar.
    """
    for name, values in series:
        if len(values) != len(categories):
            raise ValueError(
                f"series {name!r} has {len(values)} values for {len(categories)} categories"
            )
    if not categories or not any(value for _, values in series for value in values):
        return _empty(title)
    chart = pygal.HorizontalStackedBar(
        _config(title=title, bars=len(categories), legend_rows=ceil(len(series) / 2)),
        x_labels=_top_down([_short(category) for category in categories]),
        show_legend=True,
        print_zeroes=False,
    )
    for name, values in series:
        chart.add(name, _top_down(values))
    lines = [
        f"{category}: " + ", ".join(f"{name} {_number(values[i])}" for name, values in series)
        for i, category in enumerate(categories)
    ]
    return _render(chart, title=title, desc=lines)


def bars(*, title: str, labels: Sequence[str], values: Sequence[float], unit: str = "") -> str:
    """One bar per label: e.g. exemptions cited, denials per year, median days to respond.

    ``unit`` ("days") names the value axis and follows each value in the description; the
    first label is the top bar.
    """
    if len(values) != len(labels):
        raise ValueError(f"{len(values)} values for {len(labels)} labels")
    if not labels or not any(values):
        return _empty(title)
    chart = pygal.HorizontalBar(
        _config(title=title, bars=len(labels)),
        x_labels=_top_down([_short(label) for label in labels]),
        show_legend=False,
        x_title=unit or None,
    )
    chart.add(title, _top_down(values))
    lines = [
        f"{label}: {_number(value)} {unit}".rstrip()
        for label, value in zip(labels, values, strict=True)
    ]
    return _render(chart, title=title, desc=lines)


def _empty(title: str) -> str:
    # pygal would draw empty axes from 0 to 1 under its "no data" text: a hand-made card says
    # it plainly, in presentation attributes (no stylesheet to scope).
    svg = ElementTree.Element(
        "svg", xmlns=_SVG_NS, viewBox=f"0 0 {_WIDTH} {_EMPTY_HEIGHT}", role="img"
    )
    ElementTree.SubElement(svg, "title").text = title
    ElementTree.SubElement(svg, "desc").text = NO_DATA
    ElementTree.SubElement(svg, "rect", width="100%", height="100%", fill="#ffffff", stroke=_SUBTLE)
    text = {"x": str(_WIDTH // 2), "fill": _INK, "font-family": _FONT, "text-anchor": "middle"}
    ElementTree.SubElement(svg, "text", y="48", **{"font-size": "18", **text}).text = title
    ElementTree.SubElement(svg, "text", y="84", **{"font-size": "16", **text}).text = NO_DATA
    return ElementTree.tostring(svg, encoding="unicode")


def _config(*, title: str, bars: int, legend_rows: int = 0) -> pygal.Config:
    return pygal.Config(
        title=title,
        width=_WIDTH,
        height=_CHROME_HEIGHT + _BAR_HEIGHT * bars + _LEGEND_ROW_HEIGHT * legend_rows,
        style=_STYLE,
        css=(*pygal.Config.css.value, _CSS),
        js=[],
        disable_xml_declaration=True,
        legend_at_bottom=True,
        # The legend spans only the plot, right of the labels: four columns overlapped.
        legend_at_bottom_columns=2,
        truncate_legend=-1,
        truncate_label=-1,
        show_y_guides=False,
        # A tick every unit of a 0-14 axis ran its labels together.
        max_scale=6,
        value_formatter=_number,
        print_values=True,
    )


def _top_down(items: Sequence) -> list:
    # pygal draws the first horizontal bar at the bottom; people read the first at the top.
    return list(reversed(items))


def _short(label: str) -> str:
    # The label column would take the bars' room on a phone; the table has the whole name.
    return label if len(label) <= _LABEL_CHARS else label[: _LABEL_CHARS - 1].rstrip() + "…"


def _render(chart: pygal.graph.graph.Graph, *, title: str, desc: list[str]) -> str:
    # pygal scopes its stylesheet to the root's id, "chart-" + a fresh uuid4 per chart.
    chart.uuid = "rtcc"
    chart.add_xml_filter(_accessible_and_static(title=title, desc="; ".join(desc)))
    return chart.render()


def _accessible_and_static(*, title: str, desc: str) -> Callable:
    """An xml_filter: title and desc first, no comments or scripts."""

    def apply(root):
        # pygal's own etree: lxml's when that is installed, the standard library's otherwise.
        for parent in root.iter():
            for child in list(parent):
                if child.tag is pygal_etree.Comment or child.tag == "script":
                    parent.remove(child)
        for old in root.findall("title"):
            root.remove(old)
        title_node = pygal_etree.Element("title")
        title_node.text = title
        desc_node = pygal_etree.Element("desc")
        desc_node.text = desc
        root.insert(0, title_node)
        root.insert(1, desc_node)
        # Named by its title when opened on its own, as in an <img>.
        root.set("role", "img")
        return root

    return apply


def _number(value: float) -> str:
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}"


CACHE_SECONDS = 24 * 3600


def cached(draw: Callable[..., str], **data) -> str:
    """`draw(**data)`, kept in the shared cache under a digest of the data: a page drawn
    again from unchanged numbers reuses the SVG, and changed numbers are another key (the
    chart is cached with the page's data, never stale)."""
    digest = hashlib.sha256(
        json.dumps([draw.__name__, data], sort_keys=True, default=str).encode()
    ).hexdigest()
    return cache.get_or_set(f"chart:{digest}", lambda: draw(**data), CACHE_SECONDS)
