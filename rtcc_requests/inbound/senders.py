"""Who sent a message, as far as we can tell: a From header read strictly, and what the
receiving mail server found when it checked SPF, DKIM and DMARC (Authentication-Results).

Pure: the standard library's `email` package only, no Django, no database.

Strict From. Before the fix for CVE-2023-27043 (Python 3.11.10+, 3.12.6+, where
`getaddresses` and `parseaddr` take `strict=True` and default to it), the address parser
reads `clerk@agency.example)<attacker@evil.example>` as `clerk@agency.example`, while a mail
client may show or reply to the other address. The fix is not in every Python we run on
(3.11.7 here), so the From header is read three ways (the policy parser of
`email.headerregistry`, the lenient parser, and a scan of the raw text for quotes, comments
and angle brackets) and refused unless all three find the same single address.

Authentication-Results (RFC 8601). Anyone can write this header into a message; only the one
our own mail server added means anything. `trusted_results` takes the topmost header (the
last one added, by the server that delivered the message to us) or, given an authserv-id
(settings.INBOUND_AUTHSERV_ID, e.g. "mx.rtcc.example"), the topmost header with that id,
which is safer when the server does not strip look-alike headers from incoming mail.
"""

import re
from dataclasses import dataclass, field
from email.errors import HeaderMissingRequiredValue, InvalidHeaderDefect, ObsoleteHeaderDefect
from email.message import EmailMessage
from email.utils import getaddresses

# Defects of the policy parser that mean the header could be read another way. Others
# (undecodable 8-bit bytes in a display name, a non-ASCII local part) do not.
_AMBIGUOUS_DEFECTS = (InvalidHeaderDefect, ObsoleteHeaderDefect, HeaderMissingRequiredValue)


def unfold(value: str) -> str:
    """A raw header value on one line (RFC 5322 unfolding)."""
    return re.sub(r"\r?\n(?=[ \t])", "", value).strip()


def raw_header_values(message: EmailMessage, name: str) -> list[str]:
    """Every `name` header as it came (unfolded), topmost first."""
    return [unfold(str(value)) for key, value in message.raw_items() if key.lower() == name]


def strict_from(message: EmailMessage) -> tuple[str, str]:
    """(address, "") for a From header that names one address one way, else ("", why not).

    A message with no From header gives ("", ""): nothing ambiguous, just no sender. The
    reason says how the lenient parser reads the header, for the staff who review it.
    """
    raw_values = raw_header_values(message, "from")
    if not raw_values:
        return "", ""
    if len(raw_values) > 1:
        return "", f"the message has {len(raw_values)} From headers"
    lenient = [address for _, address in getaddresses(raw_values) if address]
    address, problem = _strict_address(message, raw_values[0], lenient)
    if problem:
        readings = ", ".join(repr(a) for a in lenient) or "no address"
        return "", f"{problem}; a lenient parser reads it as {readings}"
    return address.lower(), ""


def _strict_address(message: EmailMessage, raw: str, lenient: list[str]) -> tuple[str, str]:
    try:
        header = message["from"]
        groups, defects = header.groups, header.defects
    except Exception as error:  # noqa: BLE001 - a header the policy parser chokes on
        return "", f"the From header cannot be parsed ({type(error).__name__})"
    if any(group.display_name is not None for group in groups):
        return "", "the From header is a group of addresses, not one mailbox"
    mailboxes = [address for group in groups for address in group.addresses]
    if len(mailboxes) != 1:
        return "", f"the From header holds {len(mailboxes) or 'no'} addresses, not one"
    if not mailboxes[0].username or not mailboxes[0].domain:
        return "", "the From header holds no complete address"
    bad = [d for d in defects if isinstance(d, _AMBIGUOUS_DEFECTS)]
    if bad:
        return "", f"the From header is malformed ({bad[0]})"
    if problem := _raw_problem(raw):
        return "", problem
    address = mailboxes[0].addr_spec
    if [a.lower() for a in lenient] != [address.lower()]:
        return "", f"it reads as {address!r} strictly but not leniently"
    return address, ""


def _raw_problem(raw: str) -> str:
    """What, outside quoted strings and comments, makes the raw From text ambiguous."""
    depth = 0  # inside how many (comments)
    quoted = escaped = False
    opened = closed = 0  # < and > outside quotes and comments
    at_outside = 0  # @ outside quotes, comments and <...>
    after_address = ""  # text after the closing >
    for char in raw:
        if escaped:
            escaped = False
            continue
        if char == "\\" and (quoted or depth):
            escaped = True
            continue
        if quoted:
            quoted = char != '"'
            continue
        if depth:
            depth += {"(": 1, ")": -1}.get(char, 0)
            continue
        if char == '"':
            quoted = True
        elif char == "(":
            depth = 1
        elif char == ")":
            return "the From header has a ')' that closes nothing"
        elif char == "<":
            opened += 1
        elif char == ">":
            closed += 1
        elif closed:
            after_address += char
        elif char == "@" and not opened:
            at_outside += 1
    if quoted:
        return "the From header has a quote that is never closed"
    if depth:
        return "the From header has a '(' that is never closed"
    if opened > 1 or closed > 1 or opened != closed:
        return "the From header has more than one <address>, or an unmatched < or >"
    if after_address.strip():
        return f"the From header has text after its <address> ({after_address.strip()!r})"
    if opened and at_outside:
        return "the name before the <address> contains an unquoted '@'"
    if not opened and at_outside != 1:
        return "the From header does not hold exactly one address"
    return ""


@dataclass(frozen=True)
class AuthResult:
    """One method's result: dkim=pass header.d=fresno.example -> ("dkim", "pass", {...})."""

    method: str
    result: str
    properties: dict[str, str] = field(default_factory=dict)

    def domain(self) -> str:
        """The domain this result is about: DMARC's From, DKIM's signer, SPF's envelope."""
        for key in {
            "dmarc": ("header.from",),
            "dkim": ("header.d", "header.i"),
            "spf": ("smtp.mailfrom",),
        }.get(self.method, ()):
            if value := self.properties.get(key, ""):
                return value.rpartition("@")[2].strip().strip(".").lower()
        return ""

    def __str__(self) -> str:
        domain = self.domain()
        return f"{self.method}={self.result}" + (f" for {domain}" if domain else "")


@dataclass(frozen=True)
class AuthResults:
    authserv_id: str
    results: tuple[AuthResult, ...]


def _tokens(value: str) -> list[tuple[str, str]]:
    """("word", text) for atoms and quoted strings, ("=", "=") and (";", ";"); no comments."""
    tokens: list[tuple[str, str]] = []
    word: list[str] = []

    def flush() -> None:
        if word:
            tokens.append(("word", "".join(word)))
            word.clear()

    i, n = 0, len(value)
    while i < n:
        char = value[i]
        if char == "(":
            flush()
            depth, i = 1, i + 1
            while i < n and depth:
                if value[i] == "\\":
                    i += 1
                else:
                    depth += {"(": 1, ")": -1}.get(value[i], 0)
                i += 1
        elif char == '"':
            flush()
            text, i = [], i + 1
            while i < n and value[i] != '"':
                if value[i] == "\\" and i + 1 < n:
                    i += 1
                text.append(value[i])
                i += 1
            tokens.append(("word", "".join(text)))
            i += 1
        elif char in "=;":
            flush()
            tokens.append((char, char))
            i += 1
        elif char.isspace():
            flush()
            i += 1
        else:
            word.append(char)
            i += 1
    flush()
    return tokens


def parse_authentication_results(value: str) -> AuthResults | None:
    """One Authentication-Results header (RFC 8601), or None if it has no authserv-id."""
    segments: list[list[tuple[str, str]]] = [[]]
    for token in _tokens(value):
        if token[0] == ";":
            segments.append([])
        else:
            segments[-1].append(token)
    head = segments[0]
    if not head or head[0][0] != "word":
        return None
    results = []
    for segment in segments[1:]:
        # method[/version] = result, then reason=... and ptype.property=value pairs
        if len(segment) < 3 or segment[1][0] != "=" or segment[0][0] != "word":
            continue  # "none", or a result we cannot read: nothing to go on
        props: dict[str, str] = {}
        i = 3
        while i + 2 < len(segment):
            name, equals, text = segment[i : i + 3]
            if name[0] == "word" and equals[0] == "=" and text[0] == "word":
                props.setdefault(name[1].lower(), text[1])
                i += 3
            else:
                i += 1
        method = segment[0][1].lower().split("/")[0]
        results.append(AuthResult(method, segment[2][1].lower(), props))
    return AuthResults(head[0][1].lower(), tuple(results))


def trusted_results(values: list[str], *, authserv_id: str | None) -> AuthResults | None:
    """The Authentication-Results our own mail server added, from the headers topmost first.

    authserv_id None: the topmost header. Otherwise the topmost with that authserv-id; the
    others were written by someone else and are ignored. None when there is none to trust.
    """
    for value in values:
        parsed = parse_authentication_results(value)
        if authserv_id is None:
            return parsed or AuthResults("", ())
        if parsed and parsed.authserv_id == authserv_id.lower():
            return parsed
    return None


def within(domain: str, domains: set[str]) -> bool:
    """domain is one of domains or a subdomain of one."""
    return bool(domain) and any(domain == d or domain.endswith("." + d) for d in domains)


@dataclass(frozen=True)
class Verdict:
    verified: bool | None  # None: no Authentication-Results to go on
    detail: str = ""


def authentication_verdict(
    results: AuthResults | None, *, from_address: str, domains: set[str]
) -> Verdict:
    """Did the mail server find SPF, DKIM or DMARC passing for the sender's domain?

    Verified by DMARC passing for the From domain, or by DKIM or SPF passing for a domain
    the request wrote to that is aligned with the From domain (the same, or one a subdomain
    of the other). DMARC failing for the From domain is a failure whatever else passed. A
    header that says nothing passing about the domain ("none", only another domain's
    results) is not a pass either.
    """
    if results is None:
        return Verdict(None)
    sender = from_address.rpartition("@")[2].lower()

    def aligned(domain: str) -> bool:
        return within(domain, {sender}) or within(sender, {domain})

    dmarc = [r for r in results.results if r.method == "dmarc" and r.domain() in ("", sender)]
    if failed := [r for r in dmarc if r.result == "fail"]:
        return Verdict(False, f"{_source(results)}: {failed[0]} ({_summary(results)}).")
    passed = [r for r in dmarc if r.result == "pass"] + [
        r
        for r in results.results
        if r.method in ("dkim", "spf")
        and r.result == "pass"
        and aligned(r.domain())
        and within(r.domain(), domains)
    ]
    if passed:
        return Verdict(True, f"{_source(results)}: {passed[0]}.")
    return Verdict(
        False,
        f"{_source(results)}: no SPF, DKIM or DMARC pass for {sender or 'the sender'} "
        f"({_summary(results)}).",
    )


def _source(results: AuthResults) -> str:
    return f"Authentication-Results of {results.authserv_id or 'the receiving server'}"


def _summary(results: AuthResults) -> str:
    return "; ".join(map(str, results.results)) or "no results"
