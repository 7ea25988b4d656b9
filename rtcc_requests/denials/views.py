"""The public denial log: anyone may read it; every view goes through `denial_log`."""

from django.core.paginator import Paginator
from django.http import (
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
from django.views.decorators.http import require_safe

from rtcc_requests.agencies.models import Agency
from rtcc_requests.common.pdf import PdfRenderError, render_pdf
from rtcc_requests.laws.models import Exemption

from . import exports, versioning
from .selectors import DEFAULT_SORT, DenialLog, build_rows, denial_log
from .stats import denial_summary
from .summaries import log_menus, log_summary

PER_PAGE = 50
PRINT_LIMIT = 1000
# WeasyPrint lays out about 12 rows a page and refuses more than 50 pages.
PDF_LIMIT = 300
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
    log.filterset.is_valid()  # cleaned_data then holds the values that could be read
    form = log.filterset.form
    active = []
    for name, value in form.cleaned_data.items():
        if value in (None, "") or name not in params:
            continue
        field = form.fields[name]
        shown = value
        if isinstance(value, str):
            shown = dict(getattr(field, "choices", ())).get(value, value)
        if name == "agency":
            # A slug shows as the agency's name; typed text as itself.
            shown = Agency.objects.filter(slug=value).values_list("name", flat=True).first()
            shown = shown or value
        rest = params.copy()
        rest.pop(name, None)
        active.append({"label": field.label, "value": shown, "remove": rest.urlencode()})
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
    agency = get_object_or_404(Agency, slug=slug)
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


def _print_html(request: HttpRequest, log: DenialLog, *, limit: int = PRINT_LIMIT) -> str:
    summary = denial_summary(log.filtered)
    query = _params(request).urlencode()
    return render_to_string(
        "denials/print.html",
        {
            "summary": summary,
            "rows": build_rows(list(log.rows[:limit])),
            "total": summary.count,
            "limit": limit,
            "active_filters": _active_filters(log, request.GET),
            "today": timezone.localdate(),
            "page_url": exports.absolute(reverse("denials:log")) + (f"?{query}" if query else ""),
        },
        request=request,
    )


@require_safe
def print_page(request: HttpRequest) -> HttpResponse:
    try:
        log = _export_log(request)
    except _BadFilter as bad:
        return bad.response()
    return HttpResponse(_print_html(request, log))


@require_safe
def pdf_export(request: HttpRequest) -> HttpResponse:
    try:
        log = _export_log(request)
    except _BadFilter as bad:
        return bad.response()
    try:
        pdf = render_pdf(_print_html(request, log, limit=PDF_LIMIT))
    except PdfRenderError as failed:
        return HttpResponse(
            f"{failed} Narrow the filter, or use the printable page or the CSV.",
            status=503,
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="denials.pdf"'
    return response
