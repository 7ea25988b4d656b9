"""Campaign pages: the list, creating one, its table, its letters, filing its waves.

Thin: parse, check who is asking (selectors decide), call one service or selector, render.
A campaign that is not public is a 404 to anyone but its owner and staff, like a request.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from rtcc_requests.agencies.models import Technology
from rtcc_requests.common import charts
from rtcc_requests.common.params import db_id
from rtcc_requests.requests.choices import LetterKind
from rtcc_requests.requests.letters.documents import default_body

from . import comparison, selectors, services
from .forms import AgencyPickForm, CampaignForm, FileWaveForm, RecordFiledForm
from .models import Campaign

PAGE_SIZE = 50
LETTERS_PER_PAGE = 20
TABLE_PER_PAGE = 100
COMPARED_PER_PAGE = 50


def _visible_or_404(request: HttpRequest, pk: int) -> Campaign:
    campaign = selectors.campaigns_visible_to(request.user).filter(pk=db_id(pk)).first()
    if campaign is None:
        raise Http404("No such campaign.")
    return campaign


def _owned_or_403(request: HttpRequest, pk: int) -> Campaign:
    """A campaign this user sees whole (its owner, its organization's members, staff)."""
    campaign = _visible_or_404(request, pk)
    if not selectors.sees_every_request(user=request.user, campaign=campaign):
        raise PermissionDenied("Only the campaign's owner can do this.")
    return campaign


def _filer_or_403(request: HttpRequest, pk: int) -> Campaign:
    campaign = _visible_or_404(request, pk)
    if not selectors.may_file(user=request.user, campaign=campaign):
        raise PermissionDenied("Only the campaign's owner or its organization's editors file.")
    return campaign


@require_safe
def campaign_list(request: HttpRequest) -> HttpResponse:
    campaigns = selectors.campaigns_visible_to(request.user)
    page = Paginator(campaigns, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "campaigns/list.html", {"page": page})


@login_required
def campaign_new(request: HttpRequest) -> HttpResponse:
    pick_form = AgencyPickForm(request.GET or None, initial={"state": "CA"})
    pick = pick_form.pick() if request.GET else selectors.AgencyPick(state="CA")
    if request.method == "POST":
        # The pick rides along as query parameters of the form's action, so the agencies
        # offered and the ones accepted are the same list.
        form = CampaignForm(request.POST, user=request.user, pick=pick)
        if form.is_valid():
            data = form.cleaned_data
            try:
                campaign = services.campaign_create(
                    owner=request.user,
                    title=data["title"],
                    records_sought=data["records_sought"],
                    agencies=data["agencies"],
                    technology=pick.technology,
                    description=data["description"],
                    visibility=data["visibility"],
                    pick=pick,
                    waves=data["waves"],
                    organization=data.get("organization"),
                )
            except services.CampaignError as refused:
                form.add_error(None, str(refused))
            else:
                count = len(data["agencies"])
                messages.success(
                    request,
                    f"{count} draft request{'s' if count != 1 else ''} created. Read the "
                    "letters, then file them.",
                )
                return redirect(campaign)
    else:
        technology = pick.technology
        initial = {"title": f"{technology.name} records" if technology else ""}
        form = CampaignForm(user=request.user, pick=pick, initial=initial)
    return render(
        request,
        "campaigns/new.html",
        {"pick_form": pick_form, "form": form, "pick": pick, "query": request.GET.urlencode()},
    )


@require_safe
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _visible_or_404(request, pk)
    today = timezone.localdate()
    owner = selectors.sees_every_request(user=request.user, campaign=campaign)
    table = selectors.campaign_table(campaign=campaign, user=request.user, today=today)
    page = Paginator(table, TABLE_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "campaigns/detail.html",
        {
            "campaign": campaign,
            "rows": selectors.campaign_rows(page.object_list, today=today),
            "page": page,
            "today": today,
            "is_owner": owner,
            "waves": selectors.campaign_waves(campaign=campaign) if owner else [],
            "can_file": selectors.may_file(user=request.user, campaign=campaign),
            "record_form": RecordFiledForm(initial={"filed_on": today}) if owner else None,
        },
    )


@login_required
@require_safe
def campaign_letters(request: HttpRequest, pk: int) -> HttpResponse:
    """The letters each agency will get, before they are filed: addressed, with its law."""
    campaign = _owned_or_403(request, pk)
    drafts = selectors.campaign_drafts(campaign=campaign)
    page = Paginator(drafts, LETTERS_PER_PAGE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    letters = [(draft, default_body(draft, LetterKind.REQUEST, today)) for draft in page]
    return render(
        request,
        "campaigns/letters.html",
        {"campaign": campaign, "page": page, "letters": letters},
    )


@login_required
@require_POST
def campaign_file(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _filer_or_403(request, pk)
    form = FileWaveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a wave from the list.")
        return redirect(campaign)
    wave = form.cleaned_data["wave"]  # None: every wave
    try:
        report = services.campaign_file_by_email(campaign=campaign, actor=request.user, wave=wave)
    except services.CampaignError as refused:
        messages.error(request, str(refused))
        return redirect(campaign)
    filed = len(report.filed)
    messages.success(
        request,
        f"{filed} request{'s' if filed != 1 else ''} filed by email; the letters are being "
        "prepared and sent.",
    )
    if report.refused:
        messages.warning(
            request,
            f"{len(report.refused)} not filed: they stay drafts. Each one's page says why; "
            "file those another way and record how.",
        )
    return redirect(campaign)


@login_required
@require_POST
def campaign_record_filed(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _filer_or_403(request, pk)
    form = RecordFiledForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect(campaign)
    data = form.cleaned_data
    try:
        report = services.campaign_record_filed(
            campaign=campaign,
            actor=request.user,
            method=data["method"],
            filed_on=data["filed_on"],
            wave=data["wave"],
        )
    except services.CampaignError as refused:
        messages.error(request, str(refused))
        return redirect(campaign)
    filed = len(report.filed)
    messages.success(request, f"{filed} request{'s' if filed != 1 else ''} recorded as filed.")
    if report.refused:
        messages.warning(request, f"{len(report.refused)} not recorded: each one's page says why.")
    return redirect(campaign)


def _comparison(request: HttpRequest, pk: int):
    campaign = _visible_or_404(request, pk)
    today = timezone.localdate()
    compared = comparison.cached_comparison(campaign=campaign, user=request.user, today=today)
    return campaign, compared


def _answers_chart(*, title: str, categories: list[str], values: dict[str, list[int]]) -> dict:
    """Answers per item as a stacked bar chart (CHART_GROUPS' order) and its numbers as
    table rows: the context of common/_chart.html."""
    groups = list(comparison.CHART_GROUPS)
    svg = charts.cached(
        charts.stacked_bars,
        title=title,
        categories=categories,
        series=[(group, values[group]) for group in groups],
    )
    rows = [[c, *(values[g][index] for g in groups)] for index, c in enumerate(categories)]
    return {"svg": svg, "headers": ["Item", *groups], "rows": rows}


@require_safe
def campaign_compare(request: HttpRequest, pk: int) -> HttpResponse:
    campaign, compared = _comparison(request, pk)
    chart = _answers_chart(
        title="Answers per item, in agencies",
        categories=[f"{c.number}. {c.text}" for c in compared.columns],
        values={
            group: [sum(counts.get(s, 0) for s in states) for counts in compared.counts]
            for group, states in comparison.CHART_GROUPS.items()
        },
    )
    page = Paginator(compared.rows, COMPARED_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "campaigns/compare.html",
        {
            "campaign": campaign,
            "compared": compared,
            "page": page,
            "chart": chart,
            "is_owner": selectors.sees_every_request(user=request.user, campaign=campaign),
        },
    )


@require_safe
def campaign_compare_csv(request: HttpRequest, pk: int) -> HttpResponse:
    campaign, compared = _comparison(request, pk)
    text = comparison.comparison_csv(compared, site_url=settings.SITE_URL)
    return _csv_download(text, filename=f"campaign-{campaign.pk}.csv")


@require_safe
def campaign_compare_json(request: HttpRequest, pk: int) -> JsonResponse:
    campaign, compared = _comparison(request, pk)
    data = comparison.comparison_json(compared, site_url=settings.SITE_URL)
    return JsonResponse({"campaign": campaign.title, **data})


def _csv_download(text: str, *, filename: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _technology_compared(request: HttpRequest, slug: str):
    technology = Technology.objects.filter(slug=slug).first()
    if technology is None:
        raise Http404("No such technology.")
    today = timezone.localdate()
    compared = comparison.technology_comparison(
        technology=technology, user=request.user, today=today
    )
    return technology, compared


@require_safe
def technology_compare_csv(request: HttpRequest, slug: str) -> HttpResponse:
    technology, compared = _technology_compared(request, slug)
    text = comparison.technology_csv(compared, site_url=settings.SITE_URL)
    return _csv_download(text, filename=f"{technology.slug}-answers.csv")


@require_safe
def technology_compare_json(request: HttpRequest, slug: str) -> JsonResponse:
    technology, compared = _technology_compared(request, slug)
    answers = comparison.technology_json(compared, site_url=settings.SITE_URL)
    return JsonResponse({"technology": technology.slug, "answers": answers})


@require_safe
def technology_compare(request: HttpRequest, slug: str) -> HttpResponse:
    """Every agency's answer to each checklist item of a technology, whatever campaign (if
    any) asked it: what one agency released, another can be asked for."""
    technology, compared = _technology_compared(request, slug)
    chart = _answers_chart(
        title=f"{technology.name}: answers per checklist item, in requests",
        categories=[f"{i.checklist_item.position}. {i.checklist_item.ask}" for i in compared],
        values={
            group: [len(i.answers[group]) for i in compared] for group in comparison.CHART_GROUPS
        },
    )
    return render(
        request,
        "campaigns/technology_compare.html",
        {
            "technology": technology,
            "compared": compared,
            "chart": chart,
        },
    )
