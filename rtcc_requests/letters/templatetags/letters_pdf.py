from django import template

from ..fetcher import STATIC_SCHEME

register = template.Library()


@register.simple_tag
def pdf_static(path: str) -> str:
    """A static file for a PDF template, served by the safe fetcher from the static dirs."""
    return f"{STATIC_SCHEME}{path.lstrip('/')}"
