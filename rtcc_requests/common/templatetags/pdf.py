from django import template

from ..fetcher import STATIC_SCHEME

register = template.Library()


@register.simple_tag
def pdf_static(path: str) -> str:
    """A static file for a PDF template, served by the safe fetcher from the static dirs."""
    return f"{STATIC_SCHEME}{path.lstrip('/')}"


# Longer unbroken runs (a pasted hash, a URL) make WeasyPrint's line breaking quadratic:
# 29,000 characters without a space took a minute to lay out.
_LONGEST_RUN = 60
_ZERO_WIDTH_SPACE = "\u200b"


@register.filter
def soft_wrap(text: str) -> str:
    """Break opportunities in very long words. Returns plain text: escaping still happens."""
    words = []
    for word in str(text).split(" "):
        if len(word) > _LONGEST_RUN:
            word = _ZERO_WIDTH_SPACE.join(
                word[i : i + _LONGEST_RUN] for i in range(0, len(word), _LONGEST_RUN)
            )
        words.append(word)
    return " ".join(words)
