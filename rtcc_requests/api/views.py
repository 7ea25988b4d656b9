"""The REST API, version 1. Thin like the pages: who may see or change what is decided by
the apps' selectors (`visible_to`, `agencies_visible_to`, `campaigns_visible_to`,
`can_change`), what a write does by their services and, where a form already checks the
input (a determination, a reply), by that form: one definition of each rule."""

import django_filters
from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from rtcc_requests.accounts.models import Organization
from rtcc_requests.agencies.models import Agency, Deployment, DeploymentStatus, Technology
from rtcc_requests.agencies.selectors import agencies_open_to, agencies_visible_to
from rtcc_requests.campaigns import comparison
from rtcc_requests.campaigns.selectors import campaigns_visible_to
from rtcc_requests.denials.exports import row_dict
from rtcc_requests.denials.selectors import build_rows, denial_log
from rtcc_requests.documents.forms import SearchForm, page_number
from rtcc_requests.documents.models import Document, TextStatus
from rtcc_requests.documents.search import KINDS, results_json, search
from rtcc_requests.documents.selectors import documents_visible_to
from rtcc_requests.laws.models import Exemption, Law
from rtcc_requests.requests import services
from rtcc_requests.requests.choices import FilingMethod, LetterKind
from rtcc_requests.requests.forms import DeterminationForm, ReplyForm
from rtcc_requests.requests.letters import services as letters
from rtcc_requests.requests.lifecycle import TransitionError
from rtcc_requests.requests.models import (
    Communication,
    Determination,
    RecordsRequest,
    RequestItem,
)
from rtcc_requests.requests.selectors import can_change, law_for_agency

from . import serializers
from .pagination import Cursor

REFUSED = (services.RequestError, TransitionError)
# What a URL's id or slug may be: anything else is a 404 from the router, never a lookup
# (a NUL in a value is an error in PostgreSQL, not a miss).
ID = r"[0-9]{1,18}"
SLUG = r"[-a-zA-Z0-9_]{1,200}"


class AgencyViewSet(viewsets.ReadOnlyModelViewSet):
    """The directory: approved agencies (and your own proposals awaiting review)."""

    serializer_class = serializers.AgencySerializer
    lookup_field = "slug"
    lookup_value_regex = SLUG
    filterset_fields = ["state", "county", "kind"]

    def get_queryset(self):
        return agencies_visible_to(self.request.user).order_by("pk")


class TechnologyViewSet(viewsets.ReadOnlyModelViewSet):
    """The Atlas of Surveillance taxonomy, each technology with its records checklist."""

    serializer_class = serializers.TechnologySerializer
    lookup_field = "slug"
    lookup_value_regex = SLUG
    queryset = Technology.objects.prefetch_related("checklist").order_by("pk")


class DeploymentFilter(django_filters.FilterSet):
    agency = django_filters.CharFilter(field_name="agency__slug")
    technology = django_filters.CharFilter(field_name="technology__slug")
    state = django_filters.CharFilter(field_name="agency__state")
    county = django_filters.CharFilter(field_name="agency__county", lookup_expr="iexact")

    class Meta:
        model = Deployment
        fields = ["agency", "technology", "state", "county", "status"]


class DeploymentViewSet(viewsets.ReadOnlyModelViewSet):
    """Which agency uses which technology, with the sources that report it."""

    lookup_value_regex = ID
    serializer_class = serializers.DeploymentSerializer
    filterset_class = DeploymentFilter

    def get_queryset(self):
        return (
            Deployment.objects.filter(agency__in=agencies_visible_to(self.request.user))
            .exclude(status=DeploymentStatus.REJECTED)
            .select_related("agency", "technology", "vendor")
            .order_by("pk")
        )


class LawViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.LawSerializer
    lookup_field = "code"
    lookup_value_regex = SLUG
    queryset = Law.objects.order_by("pk")


class ExemptionViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_value_regex = ID
    serializer_class = serializers.ExemptionSerializer
    queryset = Exemption.objects.select_related("law").order_by("pk")
    filterset_fields = {"law__code": ["exact"]}


class RequestFilter(django_filters.FilterSet):
    """The web list's filters, by the values its links use."""

    agency = django_filters.CharFilter(field_name="agency__slug")
    technology = django_filters.CharFilter(field_name="technologies__slug")
    law = django_filters.CharFilter(field_name="law__code")

    class Meta:
        model = RecordsRequest
        fields = ["status", "agency", "technology", "law"]


class RequestViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Requests you may see: your own, and everyone's public ones. Create a draft, file it,
    record the agency's reply and its determination."""

    filterset_class = RequestFilter
    lookup_value_regex = ID

    def get_queryset(self):
        visible = RecordsRequest.objects.visible_to(self.request.user, timezone.localdate())
        requests = visible.select_related("agency", "law", "organization").prefetch_related(
            "technologies",
            Prefetch("items", queryset=RequestItem.objects.select_related("exemption")),
        )
        if self.action != "list":
            requests = requests.prefetch_related(
                Prefetch(
                    "determinations",
                    queryset=Determination.objects.prefetch_related("exemptions"),
                ),
                Prefetch("communications", queryset=Communication.objects.order_by("sent_at")),
            )
        return requests.order_by("pk")

    def get_serializer_class(self):
        if self.action == "create":
            return serializers.RequestCreateSerializer
        if self.action == "list":
            return serializers.RequestSerializer
        return serializers.RequestDetailSerializer

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if self.action == "retrieve" and "pk" in self.kwargs:
            try:
                request = self.get_object()
            except NotFound:
                return context
            context["can_change"] = can_change(user=self.request.user, records_request=request)
        return context

    def _changeable(self) -> RecordsRequest:
        request = self.get_object()  # 404 unless visible
        if not can_change(user=self.request.user, records_request=request):
            raise PermissionDenied("Only the requester can change this request.")
        return request

    def _detail(self, request, *, code=status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=request.pk)
        data = serializers.RequestDetailSerializer(fresh, context={"can_change": True}).data
        return Response(data, status=code)

    @extend_schema(
        request=serializers.RequestCreateSerializer,
        responses={201: serializers.RequestDetailSerializer},
    )
    def create(self, request, *args, **kwargs):
        given = serializers.RequestCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        agency = agencies_open_to(request.user).filter(slug=data["agency"]).first()
        if agency is None:
            raise ValidationError({"agency": ["No agency you may file to has this slug."]})
        law = Law.objects.filter(code=data["law"]).first() if "law" in data else None
        law = law or (law_for_agency(agency=agency) if "law" not in data else None)
        if law is None:
            raise ValidationError({"law": ["Give a law code from /api/v1/laws/."]})
        organization = None
        if "organization" in data:
            organization = Organization.objects.filter(slug=data["organization"]).first()
            if organization is None:
                raise ValidationError({"organization": ["No organization has this slug."]})
        technologies = list(Technology.objects.filter(slug__in=data.get("technologies", [])))
        if len(technologies) != len(set(data.get("technologies", []))):
            raise ValidationError({"technologies": ["Unknown technology slug."]})
        try:
            draft = services.request_create(
                owner=request.user,
                agency=agency,
                law=law,
                title=data["title"],
                records_sought=data["records_sought"],
                technologies=technologies,
                letter_body=data.get("letter_body", ""),
                visibility=data["visibility"],
                organization=organization,
            )
        except REFUSED as refused:
            raise ValidationError({"detail": [str(refused)]}) from refused
        return self._detail(draft, code=status.HTTP_201_CREATED)

    @extend_schema(
        request=serializers.FilingSerializer, responses={200: serializers.RequestDetailSerializer}
    )
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def file(self, request, pk=None):
        """File a draft: by email from this app (the letter goes out in the request's own
        thread), or record that you sent it another way."""
        records_request = self._changeable()
        given = serializers.FilingSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        try:
            if data["method"] == FilingMethod.EMAIL:
                letters.request_send_by_email(records_request=records_request, actor=request.user)
            else:
                services.request_file(
                    records_request=records_request,
                    actor=request.user,
                    method=data["method"],
                    filed_on=data.get("filed_on") or timezone.localdate(),
                    received_on=data.get("received_on"),
                    tracking_number=data.get("tracking_number", ""),
                )
                letters.letter_queue(
                    records_request=records_request, kind=LetterKind.REQUEST, actor=request.user
                )
        except REFUSED as refused:
            raise ValidationError({"detail": [str(refused)]}) from refused
        return self._detail(records_request)

    @extend_schema(
        request={"multipart/form-data": {"type": "object"}},
        responses={201: serializers.RequestDetailSerializer},
    )
    @action(
        detail=True,
        methods=["post"],
        permission_classes=[IsAuthenticated],
        parser_classes=[MultiPartParser, FormParser, JSONParser],
    )
    def replies(self, request, pk=None):
        """Log the agency's reply: received_on, from_address, subject, body, attachments
        (files), as the request page's form takes them."""
        records_request = self._changeable()
        form = ReplyForm(request.data, request.FILES)
        if not form.is_valid():
            raise ValidationError(form.errors)
        data = form.cleaned_data
        try:
            services.reply_log(
                records_request=records_request,
                actor=request.user,
                subject=data["subject"],
                body=data["body"],
                received_on=data["received_on"],
                from_address=data["from_address"],
                files=data["attachments"],
            )
        except REFUSED as refused:
            raise ValidationError({"detail": [str(refused)]}) from refused
        return self._detail(records_request, code=status.HTTP_201_CREATED)

    @extend_schema(
        request={"application/json": {"type": "object"}},
        responses={201: serializers.RequestDetailSerializer},
    )
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def determinations(self, request, pk=None):
        """Record the agency's determination, with the fields of the request page's form
        (kind, response_date, exemptions as ids from /api/v1/exemptions/, official_name,
        official_title, ..., item_<n> outcomes); the same checks apply."""
        records_request = self._changeable()
        form = DeterminationForm(
            _form_data(request.data), law=records_request.law, records_request=records_request
        )
        if not form.is_valid():
            raise ValidationError(form.errors)
        try:
            services.determination_record(
                records_request=records_request, actor=request.user, **form.cleaned_data
            )
        except REFUSED as refused:
            raise ValidationError({"detail": [str(refused)]}) from refused
        return self._detail(records_request, code=status.HTTP_201_CREATED)


def _form_data(data):
    """JSON as a Django form reads it: a list stays a list (getlist), booleans as the
    checkbox's "on"."""
    if hasattr(data, "getlist"):
        return data
    from django.utils.datastructures import MultiValueDict

    values = MultiValueDict()
    for key, value in data.items():
        if isinstance(value, list):
            values.setlist(key, [str(v) for v in value])
        elif isinstance(value, bool):
            if value:
                values[key] = "on"
        elif value is not None:
            values[key] = str(value)
    return values


class DocumentFilter(django_filters.FilterSet):
    request = django_filters.NumberFilter(field_name="request_id")
    agency = django_filters.CharFilter(field_name="request__agency__slug")
    technology = django_filters.CharFilter(field_name="request__technologies__slug", distinct=True)
    status = django_filters.ChoiceFilter(choices=TextStatus.choices)

    class Meta:
        model = Document
        fields = ["request", "agency", "technology", "status"]


class DocumentViewSet(viewsets.ReadOnlyModelViewSet):
    """Released documents you may see (public requests' and your own), with their reading
    status; one document with its text and pages. Upload one with POST
    /requests/{id}/replies/ (attachments)."""

    lookup_value_regex = ID
    filterset_class = DocumentFilter

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.DocumentDetailSerializer
        return serializers.DocumentSerializer

    def get_queryset(self):
        documents = documents_visible_to(self.request.user).select_related("attachment")
        if self.action == "retrieve":
            return documents.defer("search_vector").prefetch_related("pages")
        return documents.defer("text", "search_vector").order_by("pk")


class SearchView(APIView):
    """The search box: released documents' text, request titles and letters (`kind`), with
    the page's filters; what you may see only. Page by `page` (20 a page, up to 50 pages)."""

    filter_backends = []

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, required=True),
            OpenApiParameter("kind", str, enum=list(KINDS)),
            OpenApiParameter("agency", str),
            OpenApiParameter("technology", str),
            OpenApiParameter("year", int),
            OpenApiParameter("status", str),
            OpenApiParameter("page", int),
        ],
        responses={200: {"type": "object"}},
    )
    def get(self, request):
        today = timezone.localdate()
        form = SearchForm(request.query_params, today=today)
        filters = form.filters()
        if form.errors:
            raise ValidationError(form.errors)
        results = search(
            user=request.user,
            today=today,
            query=form.query(),
            kind=form.result_kind(),
            filters=filters,
            page=page_number(request.query_params.get("page")),
        )
        return Response(results_json(results, absolute=request.build_absolute_uri))


class DenialCursor(Cursor):
    ordering = ("-date", "-pk")


class DenialViewSet(viewsets.GenericViewSet):
    """The public denial log, newest first, with the page's filters (agency, technology,
    exemption, year, deficient, ...): the same rows as /denials.json."""

    pagination_class = DenialCursor
    filter_backends = []

    @extend_schema(
        parameters=[
            OpenApiParameter("agency", str),
            OpenApiParameter("technology", str),
            OpenApiParameter("year", int),
            OpenApiParameter("deficient", str),
        ],
        responses={200: {"type": "object"}},
    )
    def list(self, request):
        log = denial_log(today=timezone.localdate(), params=request.query_params)
        if log.errors:
            raise ValidationError(log.errors)
        page = self.paginate_queryset(log.rows)
        return self.get_paginated_response([row_dict(row) for row in build_rows(list(page))])


class CampaignViewSet(viewsets.ReadOnlyModelViewSet):
    """Campaigns you may see: public ones and your own; each with its agencies' answers
    compared item by item (only the requests you may see)."""

    lookup_value_regex = ID
    serializer_class = serializers.CampaignSerializer

    def get_queryset(self):
        return campaigns_visible_to(self.request.user).order_by("pk")

    @extend_schema(responses={200: {"type": "object"}})
    @action(detail=True, methods=["get"])
    def comparison(self, request, pk=None):
        campaign = self.get_object()
        compared = comparison.cached_comparison(
            campaign=campaign, user=request.user, today=timezone.localdate()
        )
        return Response(comparison.comparison_json(compared, site_url=settings.SITE_URL))


__all__ = [
    "Agency",
    "AgencyViewSet",
    "CampaignViewSet",
    "DenialViewSet",
    "DocumentViewSet",
    "DeploymentViewSet",
    "ExemptionViewSet",
    "LawViewSet",
    "RequestViewSet",
    "SearchView",
    "TechnologyViewSet",
]
