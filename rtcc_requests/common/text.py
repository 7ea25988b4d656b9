"""Text as the places it goes need it."""


def single_line(text: str) -> str:
    """On one line: a CR, LF or tab (pasted into a title) is a space; runs of spaces one."""
    return " ".join(text.split())
