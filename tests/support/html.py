"""HTML checks for page tests: well-formed (html5lib strict) and every control labelled."""

import html5lib
from html5lib import treebuilders

_UNLABELLED_OK = {"hidden", "submit", "button", "reset", "image"}


def parse_strict(content: bytes | str):
    """Parse as HTML5 in strict mode: any parse error (bad nesting, stray tag) raises."""
    parser = html5lib.HTMLParser(
        strict=True, tree=treebuilders.getTreeBuilder("etree"), namespaceHTMLElements=False
    )
    if isinstance(content, bytes):
        content = content.decode("utf-8")
    return parser.parse(content)


def unlabelled_controls(content: bytes | str) -> list[str]:
    """Form controls with neither a <label for=...> nor an aria-label(ledby)."""
    tree = parse_strict(content)
    labelled = {label.get("for") for label in tree.iter("label") if label.get("for")}
    missing = []
    for element in tree.iter():
        if element.tag not in ("input", "select", "textarea"):
            continue
        if element.tag == "input" and element.get("type", "text") in _UNLABELLED_OK:
            continue
        if element.get("aria-label") or element.get("aria-labelledby"):
            continue
        if element.get("id") and element.get("id") in labelled:
            continue
        missing.append(f"<{element.tag} name={element.get('name')!r} id={element.get('id')!r}>")
    return missing


def assert_valid_and_labelled(response) -> None:
    assert response.status_code == 200, response.status_code
    missing = unlabelled_controls(response.content)
    assert not missing, f"controls without a label: {missing}"
