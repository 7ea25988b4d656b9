"""Thin views: who is asking is checked by the selectors; writes are the services'."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from rtcc_requests.requests.selectors import can_change

from . import reading
from .forms import SearchForm, page_number
from .models import PAGES_PER_SCREEN, Document, TextStatus
from .search import results_json, search
from .selectors import document_for_viewer
from .services import DocumentError, document_page_image, document_retry


def _document_or_404(request: HttpRequest, pk: int) -> Document:
    try:
        return document_for_viewer(pk=pk, user=request.user)
    except Document.DoesNotExist as missing:
        # The same answer for "missing" and "not yours": existence is not disclosed.
        raise Http404("No such document.") from missing


@require_GET
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document_or_404(request, pk)
    # The foreign key too: the related manager reads it on every page it hands out.
    pages = Paginator(document.pages.only("document", "number", "text", "ocr"), PAGES_PER_SCREEN)
    screen = pages.get_page(page_number(request.GET.get("page")))
    return render(
        request,
        "documents/document_detail.html",
        {
            "document": document,
            "req": document.request,
            "screen": screen,
            "has_images": reading.has_page_images(document.attachment.content_type),
            "in_progress": document.status in (TextStatus.WAITING, TextStatus.READING),
            "can_change": can_change(user=request.user, records_request=document.request),
        },
    )


@require_GET
def page_image(request: HttpRequest, pk: int, number: int) -> FileResponse:
    document = _document_or_404(request, pk)
    try:
        name = document_page_image(document=document, number=number)
    except (DocumentError, reading.ReadError) as problem:
        raise Http404(str(problem)) from problem
    response = FileResponse(default_storage.open(name, "rb"), content_type="image/png")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
@require_POST
def retry(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document_or_404(request, pk)
    if not can_change(user=request.user, records_request=document.request):
        raise PermissionDenied("Only the people working on this request can retry reading it.")
    try:
        document_retry(document=document, actor=request.user)
    except DocumentError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, "Reading it again, from the first page not yet read.")
    return redirect(document)


def _results(request: HttpRequest):
    today = timezone.localdate()
    form = SearchForm(request.GET or None, today=today)
    results = search(
        user=request.user,
        today=today,
        query=form.query(),
        kind=form.result_kind(),
        filters=form.filters(),
        page=page_number(request.GET.get("page")),
    )
    return form, results


@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    form, results = _results(request)
    params = request.GET.copy()
    params.pop("page", None)
    kind_links = {}
    for kind in ("documents", "requests", "letters"):
        params["kind"] = kind
        kind_links[kind] = params.urlencode()
    params["kind"] = results.kind
    return render(
        request,
        "documents/search.html",
        {"form": form, "results": results, "kind_links": kind_links, "base": params.urlencode()},
    )


@require_GET
def search_json(request: HttpRequest) -> JsonResponse:
    _form, results = _results(request)
    return JsonResponse(results_json(results, absolute=request.build_absolute_uri))
