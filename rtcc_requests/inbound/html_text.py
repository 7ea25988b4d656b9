"""HTML mail bodies as plain text: tags dropped, scripts and styles never kept."""

import re
from html.parser import HTMLParser

# Elements whose content is never text for a reader (and may be hostile).
_SKIP = {"script", "style", "head", "title", "template", "noscript", "iframe", "object", "svg"}
_BLOCK = {
    "p", "div", "br", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6",
    "blockquote", "hr", "ul", "ol", "section", "article", "header", "footer", "pre",
}  # fmt: skip


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skipping = 0
        self.href: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP:
            self.skipping += 1
        elif tag in _BLOCK:
            self.out.append("\n")
        elif tag == "li":
            self.out.append("\n- ")
        elif tag == "a":
            href = dict(attrs).get("href") or ""
            self.href.append(href if re.match(r"https?://", href, re.I) else "")
        elif tag in ("td", "th"):
            self.out.append(" ")

    def handle_startendtag(self, tag, attrs):
        if tag in _BLOCK:
            self.out.append("\n")

    def handle_endtag(self, tag):
        if tag in _SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCK or tag == "li":
            self.out.append("\n")
        elif tag == "a" and self.href:
            href = self.href.pop()
            # Keep a link's address (a portal download link matters) unless it is the text.
            if href and href not in "".join(self.out[-3:]):
                self.out.append(f" <{href}>")

    def handle_data(self, data):
        if not self.skipping:
            self.out.append(data)


def html_to_text(html: str) -> str:
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    lines = [" ".join(line.split()) for line in "".join(parser.out).splitlines()]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()
