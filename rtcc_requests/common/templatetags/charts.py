import base64

from django import template

register = template.Library()


@register.filter
def svg_data_uri(svg: str) -> str:
    """An SVG document as a data: URI for <img src>; why an image: common/charts.py."""
    # Base64 rather than percent-encoding: nothing in the text (#, quotes, %) needs thought.
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")
