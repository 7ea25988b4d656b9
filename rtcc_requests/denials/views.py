"""The public denial log: anyone may read it; every view goes through `denial_log`."""

from django.core.paginator import Paginator
from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    QueryDict,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from rtcc_requests.accounts.lockout import client_ip
from rtcc_requests.agencies.selectors import agencies_visible_to
from rtcc_requests.laws.models import Exemption

from . import exports, pdf_log, versioning
from .charts import summary_charts
from .filters import filter_in_words
from .selectors import DEFAULT_SORT, DenialLog, build_rows, denial_log
from .summaries import log_menus, log_summary

PER_PAGE = 50
PRINT_LIMIT = 1000
# The page that follows a PDF's render reloads itself this often.
PDF_REFRESH_SECONDS = 3
SORTABLE = [
    ("agency", "Agency"),
    ("title", "Request"),
    ("filed", "Filed"),
    ("received", "Received"),
    ("date", "Denied"),
    ("days", "Days to respond"),
]


def _params(request: HttpRequest, **fixed: str) -> QueryDict:
    """The filter in the URL, without the page number, with a fixed agency or exemption."""
    params = request.GET.copy()
    params.pop("page", None)
    for key, value in fixed.items():
        params[key] = value
    return params


def _active_filters(log: DenialLog, params: QueryDict) -> list[dict]:
    active = []
    for name, label, shown in filter_in_words(log.filterset):
        if name not in params:
            continue
        rest = params.copy()
        rest.pop(name, None)
        active.append({"label": label, "value": shown, "remove": rest.urlencode()})
    return active


def _sort_columns(request: HttpRequest, sort: str) -> dict[str, dict]:
    """Header links: a click sorts by the column, a second click reverses it."""
    columns = {}
    for key, label in SORTABLE:
        params = _params(request)
        state = "ascending" if sort == key else "descending" if sort == f"-{key}" else ""
        # Dates and durations read best newest / longest first.
        first = key if key in ("agency", "title") else f"-{key}"
        params["sort"] = {"ascending": f"-{key}", "descending": key}.get(state, first)
        columns[key] = {"label": label, "url": f"?{params.urlencode()}", "state": state}
    return columns


def _sort_label(sort: str) -> str:
    label = dict(SORTABLE)[sort.lstrip("-")].lower()
    return f"{label}, {'descending' if sort.startswith('-') else 'ascending'}"


def _render_log(
    request: HttpRequest, log: DenialLog, *, today, heading: str, fixed: dict, **extra
) -> HttpResponse:
    version = versioning.denial_log_version()
    log.filterset.list_choices(log_menus(log, today=today, version=version, fixed=fixed))
    summary = log_summary(log, today=today, version=version, fixed=fixed)
    paginator = Paginator(log.rows, PER_PAGE)
    paginator.count = summary.count  # already counted: spare the database a second pass
    page = paginator.get_page(request.GET.get("page"))
    export_query = _params(request, **fixed).urlencode()
    context = {
        "heading": heading,
        "log": log,
        "form": log.filterset.form,
        "summary": summary,
        "charts": summary_charts(summary),
        "page": page,
        "rows": build_rows(list(page.object_list)),
        "columns": _sort_columns(request, log.sort),
        "sort_label": _sort_label(log.sort),
        "sort": log.sort,
        "default_sort": DEFAULT_SORT,
        "export_query": f"?{export_query}" if export_query else "",
        "active_filters": _active_filters(log, request.GET),
        "fields": exports.FIELDS,
        **extra,
    }
    status = 400 if log.errors else 200
    return render(request, "denials/log.html", context, status=status)


@require_safe
def log_page(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    log = denial_log(today=today, params=request.GET)
    return _render_log(request, log, today=today, heading="Public denial log", fixed={})


@require_safe
def agency_page(request: HttpRequest, slug: str) -> HttpResponse:
    agency = get_object_or_404(agencies_visible_to(request.user), slug=slug)
    today = timezone.localdate()
    log = denial_log(today=today, params=request.GET, agency=agency)
    return _render_log(
        request,
        log,
        today=today,
        heading=f"Denials by {agency.name}",
        fixed={"agency": agency.slug},
        agency=agency,
    )


@require_safe
def exemption_page(request: HttpRequest, pk: int) -> HttpResponse:
    exemption = get_object_or_404(Exemption.objects.select_related("law"), pk=pk)
    today = timezone.localdate()
    log = denial_log(today=today, params=request.GET, exemption=exemption)
    return _render_log(
        request,
        log,
        today=today,
        heading=f"Denials citing {exemption.section}",
        fixed={"exemption": str(exemption.pk)},
        exemption=exemption,
    )


def _export_log(request: HttpRequest) -> DenialLog:
    log = denial_log(today=timezone.localdate(), params=request.GET)
    if log.errors:
        # An export must never quietly widen a filter it could not read.
        raise _BadFilter(log.errors)
    return log


class _BadFilter(Exception):
    def __init__(self, errors: dict):
        self.errors = errors

    def response(self) -> HttpResponse:
        lines = [f"{name}: {' '.join(errs)}" for name, errs in self.errors.items()]
        return HttpResponseBadRequest(
            "Invalid filter.\n" + "\n".join(lines), content_type="text/plain; charset=utf-8"
        )


@require_safe
def csv_export(request: HttpRequest) -> HttpResponse:
    try:
        log = _export_log(request)
    except _BadFilter as bad:
        return bad.response()
    response = StreamingHttpResponse(
        exports.csv_stream(log.rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="denials.csv"'
    return response


@require_safe
def json_export(request: HttpRequest) -> HttpResponse:
    try:
        log = _export_log(request)
    except _BadFilter as bad:
        return bad.response()
    filters = {k: v for k, v in _params(request).items() if v}
    return StreamingHttpResponse(
        exports.json_stream(
            log.rows, count=log.filtered.count(), filters=filters, today=timezone.localdate()
        ),
        content_type="application/json",
    )


@require_safe
def atom_export(request: HttpRequest) -> HttpResponse:
    try:
        log = _export_log(request)
    except _BadFilter as bad:
        return bad.response()
    query = _params(request).urlencode()
    suffix = f"?{query}" if query else ""
    newest = log.rows.order_by("-date", "-pk")[: exports.FEED_ENTRIES]
    feed = exports.atom_feed(
        build_rows(list(newest)),
        title="Public denial log" + (" (filtered)" if query else ""),
        link=reverse("denials:log") + suffix,
        feed_url=reverse("denials:atom") + suffix,
        today=timezone.localdate(),
    )
    response = HttpResponse(content_type=f"{feed.content_type}")
    feed.write(response, "utf-8")
    return response


def _print_html(request: HttpRequest, log: DenialLog) -> str:
    today = timezone.localdate()
    summary = log_summary(log, today=today, version=versioning.denial_log_version(), fixed={})
    context = pdf_log.print_context(
        log, today=today, summary=summary, shown=min(summary.count, PRINT_LIMIT)
    )
    rows = build_rows(list(log.rows[:PRINT_LIMIT]))
    return render_to_string("denials/print.html", {**context, "rows": rows}, request=request)


@require_safe
def print_page(request: HttpRequest) -> HttpResponse:
    try:
        log = _export_log(request)
    except _BadFilter as bad:
        return bad.response()
    return HttpResponse(_print_html(request, log))


def _client(request: HttpRequest) -> tuple[str, int]:
    """Who is asking, for the limit on PDF renders: the account, or else the address."""
    if request.user.is_authenticated:
        return f"user:{request.user.pk}", pdf_log.starts_per_hour(signed_in=True)
    address = pdf_log.client_address_key(client_ip(request) or "")
    return f"ip:{address}", pdf_log.starts_per_hour(signed_in=False)


@require_safe
def pdf_export(request: HttpRequest) -> HttpResponse:
    """The finished PDF, or a page that follows its render (pdf_log.py) until it is."""
    try:
        log = _export_log(request)
    except _BadFilter as bad:
        return bad.response()
    job = pdf_log.pdf_job(log, today=timezone.localdate())
    client, limit = _client(request)
    try:
        status = pdf_log.denial_pdf_request(
            job, client=client, limit=limit, retry="retry" in request.GET
        )
    except pdf_log.TooManyStarts as over:
        minutes = -(-over.retry_after // 60)
        response = _pdf_page(
            request, log, job, "limited", limit=over.limit, minutes=minutes, status=429
        )
        response["Retry-After"] = str(over.retry_after)
        return response
    handle = pdf_log.open_pdf(job) if status.ready else None
    if handle is not None:
        response = FileResponse(handle, content_type="application/pdf", filename=job.filename)
        # The same URL gives a new file when the log changes: ask again each time.
        response["Cache-Control"] = "no-cache"
        return response
    if status.failed:
        return _pdf_page(request, log, job, "failed", pdf=status, status=500)
    return _pdf_page(request, log, job, "preparing", pdf=status, status=202)


def _pdf_page(
    request: HttpRequest, log: DenialLog, job: pdf_log.PdfJob, state: str, *, status: int, **extra
) -> HttpResponse:
    query = urlencode(job.params)
    suffix = f"?{query}" if query else ""
    retry_query = urlencode({**job.params, "retry": "1"})
    context = {
        "state": state,
        "active_filters": pdf_log.describe_filter(log),
        "refresh_seconds": PDF_REFRESH_SECONDS,
        # Without ?retry: a refresh must never start a failed render again by itself.
        "refresh_url": reverse("denials:pdf") + suffix,
        "retry_url": f"{reverse('denials:pdf')}?{retry_query}",
        "log_url": reverse("denials:log") + suffix,
        "csv_url": reverse("denials:csv") + suffix,
        "json_url": reverse("denials:json") + suffix,
        "print_url": reverse("denials:print") + suffix,
        **extra,
    }
    response = render(request, "denials/pdf_status.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response
