"""One search over released documents' text, request titles and letters.

On PostgreSQL, full-text search: a document's title and text are a `search_vector` column
written with its text (GIN-indexed), and a request's title and records sought, a letter's or
reply's subject and body, are read through GIN expression indexes on exactly the expressions
below (migration 0002), so they need no copy kept in step. Results are ranked; snippets come
from `ts_headline` over the matching page or text only for the page of results shown.

On SQLite (the embedded default), the fallback is simpler and documented as such: every
word must appear (case-insensitive substring), newest first, and the snippet is the text
around the first word, marked in Python.

Who finds what is `selectors.visible_q`, for all three kinds and for the document pages
alike, from the requests' own rules: visitors the public requests' material, a signed-in
user also their own and their organizations' requests, and private communications (and
their files) only where they may change the request (`worked_on_q(changing=True)`), like
the request page.
"""

import re
from dataclasses import dataclass, field
from datetime import date

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
)
from django.db import DataError, connection, transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Substr
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from rtcc_requests.agencies.filtering import agency_matches
from rtcc_requests.requests.choices import CommunicationKind
from rtcc_requests.requests.models import Communication, RecordsRequest

from .models import Document, DocumentPage
from .selectors import visible_q

CONFIG = "english"
# How much of one text to_tsvector reads: PostgreSQL refuses a vector over 1 MB, which a
# text of unique words this long cannot reach. A document's pages are read whole, each on
# its own (the matching page and its snippet); its own vector reads its first 100 pages or
# so, and a shorter start if even that is refused (services._finish).
DOCUMENT_INDEX_CHARS = 300_000
SHORT_INDEX_CHARS = 60_000
TEXT_INDEX_CHARS = 200_000
PAGE_SIZE = 20
MAX_PAGE = 25  # deep pages of a search are what a crawler asks for, not a reader
# Counted up to this many, then "500+": as many as the pages reach (MAX_PAGE * PAGE_SIZE).
# A full count of a common word reads every matching vector or text; capped, the count
# stops at the cap.
COUNT_CAP = MAX_PAGE * PAGE_SIZE
# Ranked among the newest this many matches (PostgreSQL): ts_rank reads each vector it ranks,
# and a common word matches most documents. The pages reach no further anyway.
RANK_WINDOW = COUNT_CAP
# The kind shown is counted by listing its matches' ids, which also gives the window its page
# is ranked in. With no narrowing filter, the newest COUNT_CAP + 1 by id, in one newest-first
# scan: a query with that many matches among every visible document meets them soon. A filter
# on the agency, technology or state makes matches sparse in that order, and the scan checks
# the words of each row it walks before the filter: for a phrase (checked against each
# candidate's whole vector, as the index keeps no word positions) that is most of the table
# for a few hundred matches. So with such a filter the ids are listed first, up to this many,
# in whatever order PostgreSQL finds them (the filter first), and the newest picked from them;
# past it, matches are plenty and the newest-first scan finds the window.
KNOWN_MATCHES = 2_000
QUERY_LIMIT = 200
KINDS = ("documents", "requests", "letters")
# Marks for ts_headline, replaced by <mark> after escaping (the text is the agency's).
_START, _STOP = "\x02", "\x03"


def full_text() -> bool:
    return connection.vendor == "postgresql"


def document_vector(chars: int = DOCUMENT_INDEX_CHARS):
    return SearchVector("title", weight="A", config=CONFIG) + SearchVector(
        Substr("text", 1, chars), weight="B", config=CONFIG
    )


# The expressions the GIN indexes of migration 0002 are built on, copied there: a change here
# is a new migration, or PostgreSQL stops using the index.
def request_vector():
    return SearchVector("title", Substr("records_sought", 1, TEXT_INDEX_CHARS), config=CONFIG)


def letter_vector():
    return SearchVector("subject", Substr("body", 1, TEXT_INDEX_CHARS), config=CONFIG)


def index_document(*, document_id: int) -> None:
    """Write a document's and its pages' vectors (PostgreSQL); after its text changed."""
    if not full_text():
        return
    DocumentPage.objects.filter(document_id=document_id).update(
        search_vector=SearchVector(Substr("text", 1, TEXT_INDEX_CHARS), config=CONFIG)
    )
    try:
        with transaction.atomic():
            Document.objects.filter(pk=document_id).update(search_vector=document_vector())
    except DataError:  # "string is too long for tsvector": a text of unusual words
        Document.objects.filter(pk=document_id).update(
            search_vector=document_vector(SHORT_INDEX_CHARS)
        )


@dataclass(frozen=True)
class SearchFilters:
    agency: str = ""  # a slug or part of a name, as the public list takes it
    technology_id: int | None = None
    year: int | None = None
    status: str = ""  # the request's state: the agency's determination, as the lists show it

    @property
    def narrows(self) -> bool:
        """Keeps a part of the requests (not of the years: the newest are this year's)."""
        return bool(self.agency or self.technology_id or self.status)


@dataclass
class Hit:
    kind: str
    title: str
    url: str
    request: RecordsRequest
    day: date | None
    snippet: SafeString
    page: int | None = None  # the document's first page that matches


@dataclass
class Results:
    query: str
    kind: str
    hits: list[Hit] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    page: int = 1
    has_next: bool = False
    full_text: bool = True
    rank_window: int = RANK_WINDOW

    @property
    def start(self) -> int:
        """The number of this page's first result."""
        return (self.page - 1) * PAGE_SIZE + 1

    @property
    def total(self) -> int:
        return self.counts.get(self.kind, 0)

    @property
    def capped(self) -> bool:
        """More matches of this kind than are counted (or ranked, on PostgreSQL)."""
        return self.total > COUNT_CAP

    @property
    def total_label(self) -> str:
        return self.labels.get(self.kind, "0")

    @property
    def labels(self) -> dict[str, str]:
        """Each kind's count as the page says it: "500+" past COUNT_CAP."""
        return {
            kind: f"{COUNT_CAP:,}+" if count > COUNT_CAP else f"{count:,}"
            for kind, count in self.counts.items()
        }


def _filtered(queryset: QuerySet, filters: SearchFilters, *, prefix: str, day: str) -> QuerySet:
    if (agency := agency_matches(filters.agency, prefix=prefix)) is not None:
        queryset = queryset.filter(agency)
    if filters.technology_id:
        through = RecordsRequest.technologies.through
        queryset = queryset.filter(
            Exists(
                through.objects.filter(
                    recordsrequest_id=OuterRef(f"{prefix}pk" if prefix else "pk"),
                    technology_id=filters.technology_id,
                )
            )
        )
    if filters.year:
        queryset = queryset.filter(**{f"{day}__year": filters.year})
    if filters.status:
        queryset = queryset.filter(**{f"{prefix}status": filters.status})
    return queryset


def _candidates(kind: str, *, user, today, filters: SearchFilters) -> QuerySet:
    if kind == "documents":
        queryset = Document.objects.filter(
            visible_q(user, today, prefix="request__", private_field="communication__is_private")
        )
        return _filtered(queryset, filters, prefix="request__", day="received_on")
    if kind == "requests":
        queryset = RecordsRequest.objects.filter(
            visible_q(user, today, prefix="", private_field=None)
        )
        return _filtered(queryset, filters, prefix="", day="filed_on")
    queryset = Communication.objects.filter(
        visible_q(user, today, prefix="request__", private_field="is_private"),
        kind__in=[CommunicationKind.LETTER, CommunicationKind.REPLY],
    )
    return _filtered(queryset, filters, prefix="request__", day="sent_at")


def search(
    *, user, today, query: str, kind: str = "documents", filters: SearchFilters, page: int = 1
) -> Results:
    """A page of results of one kind, and how many there are of each kind.

    Queries: three counts (the shown kind's also picks the window its page is ranked in) and
    one page, plus the snippets' query for documents; the counts only when nothing of the
    kind matches. The same whatever the number of rows.
    """
    query = " ".join(query.split())[:QUERY_LIMIT]
    kind = kind if kind in KINDS else "documents"
    page = min(max(page, 1), MAX_PAGE)
    results = Results(query=query, kind=kind, page=page, full_text=full_text())
    if not query:
        return results
    matcher = _FullText(query) if results.full_text else _Substrings(query)
    for each in KINDS:
        candidates = _candidates(each, user=user, today=today, filters=filters)
        if each == kind:
            shown = candidates
            results.counts[each], window = matcher.counted(each, candidates, filters)
        else:
            results.counts[each] = _count(matcher.matching(each, candidates))
    start = (page - 1) * PAGE_SIZE
    rows = []
    if results.counts[kind]:  # else nothing to rank (and no snippets to read)
        rows = list(matcher.ranked(kind, shown, window)[start : start + PAGE_SIZE + 1])
    results.has_next = len(rows) > PAGE_SIZE and page < MAX_PAGE
    results.hits = matcher.hits(kind, rows[:PAGE_SIZE])
    return results


def _count(matched: QuerySet) -> int:
    """How many match, counted up to COUNT_CAP + 1 (no ORDER BY: the models' ordering would
    sort every match before the limit)."""
    return matched.order_by().values("pk")[: COUNT_CAP + 1].count()


def _marked(text: str) -> SafeString:
    """Escape the agency's text, then turn our marks into <mark>."""
    html = escape(text).replace(_START, "<mark>").replace(_STOP, "</mark>")
    return mark_safe(html)  # noqa: S308 - escaped above; only our own marks become tags


def _url(kind: str, row, page: int | None = None) -> str:
    if kind == "documents":
        return row.page_url(page) if page else row.get_absolute_url()
    if kind == "requests":
        return row.get_absolute_url()
    anchor = f"#communication-{row.pk}"
    return reverse("requests:detail", kwargs={"pk": row.request_id}) + anchor


def _hit(kind: str, row, snippet: SafeString, page: int | None = None) -> Hit:
    if kind == "documents":
        return Hit(kind, row.title, _url(kind, row, page), row.request, row.received_on,
                   snippet, page)  # fmt: skip
    if kind == "requests":
        return Hit(kind, row.title, _url(kind, row), row, row.filed_on, snippet)
    title = row.subject or row.get_kind_display()
    return Hit(kind, title, _url(kind, row), row.request, row.sent_at.date(), snippet)


_RELATED = {
    "documents": ("request__agency",),
    "requests": ("agency",),
    "letters": ("request__agency",),
}


class _FullText:
    """PostgreSQL: websearch syntax ("exact phrase", -word, or), ranked."""

    def __init__(self, text: str) -> None:
        self.query = SearchQuery(text, config=CONFIG, search_type="websearch")

    def matching(self, kind: str, queryset: QuerySet) -> QuerySet:
        if kind == "documents":
            return queryset.filter(search_vector=self.query)
        vector = request_vector() if kind == "requests" else letter_vector()
        return queryset.annotate(vector=vector).filter(vector=self.query)

    def counted(
        self, kind: str, queryset: QuerySet, filters: SearchFilters
    ) -> tuple[int, list[int] | QuerySet]:
        """The capped count of `kind`'s matches, and the window of them its page is ranked
        in (the newest RANK_WINDOW): ids where the count listed them (KNOWN_MATCHES)."""
        matched = self.matching(kind, queryset).order_by()
        if not filters.narrows:
            newest = list(matched.order_by("-pk").values_list("pk", flat=True)[: COUNT_CAP + 1])
            return len(newest), newest[:RANK_WINDOW]
        found = list(matched.values_list("pk", flat=True)[: KNOWN_MATCHES + 1])
        if len(found) <= KNOWN_MATCHES:
            return min(len(found), COUNT_CAP + 1), sorted(found, reverse=True)[:RANK_WINDOW]
        return COUNT_CAP + 1, matched.order_by("-pk").values("pk")[:RANK_WINDOW]

    def ranked(self, kind: str, queryset: QuerySet, window: list[int] | QuerySet) -> QuerySet:
        vector = F("search_vector") if kind == "documents" else F("vector")
        # Matched (and checked for who may see them) once, in the window; ranked outside it.
        matched = queryset.model.objects.filter(pk__in=window).select_related(*_RELATED[kind])
        if kind == "requests":
            matched = matched.annotate(vector=request_vector())
        elif kind == "letters":
            matched = matched.annotate(vector=letter_vector())
        if kind == "documents":
            matched = matched.defer("text", "search_vector")
        rank = SearchRank(vector, self.query)
        headline = None
        if kind == "requests":
            headline = SearchHeadline("records_sought", self.query, **self._marks())
        elif kind == "letters":
            headline = SearchHeadline(
                Substr("body", 1, TEXT_INDEX_CHARS), self.query, **self._marks()
            )
        if headline is not None:
            # Computed for the rows of this page only: PostgreSQL evaluates a costly output
            # column after the sort and the limit.
            matched = matched.annotate(snippet=headline)
        return matched.annotate(rank=rank).order_by("-rank", "-pk")

    @staticmethod
    def _marks() -> dict:
        return {
            "config": CONFIG,
            "start_sel": _START,
            "stop_sel": _STOP,
            "max_words": 30,
            "min_words": 12,
            "max_fragments": 2,
            "fragment_delimiter": " … ",
        }

    def hits(self, kind: str, rows: list) -> list[Hit]:
        if kind != "documents":
            return [_hit(kind, row, _marked(row.snippet)) for row in rows]
        pages = (
            DocumentPage.objects.filter(
                document_id__in=[row.pk for row in rows], search_vector=self.query
            )
            .order_by("document_id", "number")
            .distinct("document_id")
            .annotate(snippet=SearchHeadline("text", self.query, **self._marks()))
            .values_list("document_id", "number", "snippet")
        )
        first = {document_id: (number, snippet) for document_id, number, snippet in pages}
        found = []
        for row in rows:
            number, snippet = first.get(row.pk, (None, ""))
            found.append(_hit(kind, row, _marked(snippet), number))
        return found


class _Substrings:
    """SQLite: every word somewhere in the title or text, newest first."""

    FIELDS = {
        "documents": ("title", "text"),
        "requests": ("title", "records_sought"),
        "letters": ("subject", "body"),
    }

    def __init__(self, text: str) -> None:
        self.words = [word for word in re.findall(r"[\w'-]+", text) if len(word) > 1][:8]

    def matching(self, kind: str, queryset: QuerySet) -> QuerySet:
        if not self.words:
            return queryset.none()
        for word in self.words:
            either = Q()
            for name in self.FIELDS[kind]:
                either |= Q(**{f"{name}__icontains": word})
            queryset = queryset.filter(either)
        return queryset

    def counted(self, kind: str, queryset: QuerySet, filters: SearchFilters) -> tuple[int, None]:
        return _count(self.matching(kind, queryset)), None

    def ranked(self, kind: str, queryset: QuerySet, window: None = None) -> QuerySet:
        order = {"documents": "-received_on", "requests": "-filed_on", "letters": "-sent_at"}
        matched = self.matching(kind, queryset).select_related(*_RELATED[kind])
        if kind == "documents":
            matched = matched.defer("text", "search_vector")
        return matched.order_by(F(order[kind][1:]).desc(nulls_last=True), "-pk")

    def _snippet(self, text: str) -> SafeString:
        pattern = re.compile("|".join(re.escape(word) for word in self.words), re.IGNORECASE)
        found = pattern.search(text)
        if found is None:
            return _marked("")
        start, stop = max(found.start() - 80, 0), min(found.end() + 120, len(text))
        # Whole words at the edges: back to the space before, on to the space after.
        if start:
            start = text.rfind(" ", 0, start) + 1  # 0 when there is no space before
        after = text.find(" ", stop)
        stop = after if after != -1 else len(text)
        window = " ".join(text[start:stop].split())
        marked = pattern.sub(lambda m: f"{_START}{m.group(0)}{_STOP}", window)
        return _marked(("… " if start else "") + marked + (" …" if stop < len(text) else ""))

    def hits(self, kind: str, rows: list) -> list[Hit]:
        if not rows:  # also when no word was long enough to look for
            return []
        if kind != "documents":
            body = self.FIELDS[kind][1]
            return [_hit(kind, row, self._snippet(getattr(row, body))) for row in rows]
        first_word = self.words[0]
        pages = (
            DocumentPage.objects.filter(
                document_id__in=[row.pk for row in rows], text__icontains=first_word
            )
            .order_by("document_id", "number")
            .values_list("document_id", "number", "text")
        )
        first: dict[int, tuple[int, str]] = {}
        for document_id, number, text in pages:
            first.setdefault(document_id, (number, text))
        found = []
        for row in rows:
            number, text = first.get(row.pk, (None, row.title))
            found.append(_hit(kind, row, self._snippet(text), number))
        return found


def results_json(results: Results, *, absolute) -> dict:
    """Results as /search.json and the API give them; `absolute` makes a path a URL."""
    return {
        "query": results.query,
        "kind": results.kind,
        "counts": results.counts,  # COUNT_CAP + 1 means "more than COUNT_CAP"
        "counts_capped_at": COUNT_CAP,
        "page": results.page,
        "has_next": results.has_next,
        "full_text": results.full_text,
        "results": [
            {
                "kind": hit.kind,
                "title": hit.title,
                "url": absolute(hit.url),
                "request": {
                    "id": hit.request.pk,
                    "title": hit.request.title,
                    "agency": hit.request.agency.name,
                },
                "date": hit.day.isoformat() if hit.day else None,
                "page": hit.page,
                "snippet_html": str(hit.snippet),
            }
            for hit in results.hits
        ],
    }
