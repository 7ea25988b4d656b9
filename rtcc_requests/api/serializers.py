"""What the API shows of each thing. Never a request's reply token (its inbound address),
saved letter drafts, private notes or communications, or anyone's email: the same public
record the pages show, and the owner's own request in full."""

from django.urls import reverse
from rest_framework import serializers

from rtcc_requests.agencies.models import Agency, ChecklistItem, Deployment, Technology
from rtcc_requests.campaigns.models import Campaign
from rtcc_requests.documents.models import Document
from rtcc_requests.documents.reading import has_page_images
from rtcc_requests.laws.models import Exemption, Law
from rtcc_requests.requests.models import (
    Communication,
    Determination,
    RecordsRequest,
    RequestItem,
)


class AgencySerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = [
            "slug",
            "name",
            "kind",
            "city",
            "county",
            "state",
            "records_email",
            "portal_url",
            "mailing_address",
            "website",
        ]


class ChecklistItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChecklistItem
        fields = ["id", "key", "position", "ask", "why", "basis", "published_duty", "sources"]


class TechnologySerializer(serializers.ModelSerializer):
    checklist = ChecklistItemSerializer(many=True, read_only=True)

    class Meta:
        model = Technology
        fields = ["slug", "name", "category", "description", "checklist"]


class DeploymentSerializer(serializers.ModelSerializer):
    agency = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    technology = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    vendor = serializers.SlugRelatedField(slug_field="name", read_only=True)

    class Meta:
        model = Deployment
        fields = [
            "id",
            "agency",
            "technology",
            "vendor",
            "product",
            "status",
            "first_reported",
            "sources",
        ]


class LawSerializer(serializers.ModelSerializer):
    class Meta:
        model = Law
        fields = [
            "code",
            "name",
            "short_name",
            "jurisdiction",
            "citation",
            "response_days",
            "response_citation",
            "day_type",
            "extension_days",
            "extension_citation",
        ]


class ExemptionSerializer(serializers.ModelSerializer):
    law = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Exemption
        fields = ["id", "law", "section", "former_section", "short_name", "description"]


class ItemSerializer(serializers.ModelSerializer):
    exemption = serializers.SlugRelatedField(slug_field="section", read_only=True)
    checklist_item = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = RequestItem
        fields = ["number", "text", "checklist_item", "outcome", "exemption", "promised_on"]


class DeterminationSerializer(serializers.ModelSerializer):
    exemptions = serializers.SlugRelatedField(slug_field="section", many=True, read_only=True)

    class Meta:
        model = Determination
        fields = [
            "id",
            "kind",
            "date",
            "exemptions",
            "other_exemptions",
            "official_name",
            "official_title",
            "in_writing",
            "fee_amount",
            "promised_date",
            "extension_date",
            "extension_ground",
            "is_late",
            "days_late",
            "deficiencies",
        ]


class CommunicationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Communication
        fields = ["id", "direction", "kind", "letter_kind", "sent_at", "subject", "body"]


class RequestSerializer(serializers.ModelSerializer):
    agency = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    organization = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    law = serializers.SlugRelatedField(slug_field="code", read_only=True)
    technologies = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    url = serializers.SerializerMethodField()
    items = ItemSerializer(many=True, read_only=True)

    class Meta:
        model = RecordsRequest
        fields = [
            "id",
            "url",
            "title",
            "agency",
            "organization",
            "law",
            "technologies",
            "status",
            "records_sought",
            "items",
            "filing_method",
            "filed_on",
            "received_on",
            "determination_due",
            "extended_due",
            "next_due",
            "next_due_kind",
            "responded_on",
            "is_late",
            "days_late",
            "is_deficient",
            "deficiencies",
            "procedure_flags",
            "closed_on",
        ]

    def get_url(self, obj) -> str:
        return obj.get_absolute_url()


class RequestDetailSerializer(RequestSerializer):
    determinations = DeterminationSerializer(many=True, read_only=True)
    communications = serializers.SerializerMethodField()

    class Meta(RequestSerializer.Meta):
        fields = [*RequestSerializer.Meta.fields, "determinations", "communications"]

    def get_communications(self, obj) -> list[dict]:
        """Letters and replies; a private one only to who may change the request."""
        owner = self.context.get("can_change", False)
        shown = [c for c in obj.communications.all() if owner or not c.is_private]
        return CommunicationSerializer(shown, many=True).data


class RequestCreateSerializer(serializers.Serializer):
    """A draft: the agency by slug, the law by code (the agency's state law if left out)."""

    agency = serializers.SlugField()
    law = serializers.SlugField(required=False)
    title = serializers.CharField(max_length=200)
    records_sought = serializers.CharField(max_length=20_000)
    technologies = serializers.ListField(child=serializers.SlugField(), required=False)
    letter_body = serializers.CharField(required=False, allow_blank=True, max_length=50_000)
    visibility = serializers.ChoiceField(choices=["private", "public"], default="private")
    organization = serializers.SlugField(
        required=False, help_text="File as this organization (you must be its editor or admin)."
    )


class FilingSerializer(serializers.Serializer):
    method = serializers.ChoiceField(choices=["email", "portal", "mail", "fax", "in_person"])
    filed_on = serializers.DateField(required=False)
    received_on = serializers.DateField(required=False)
    tracking_number = serializers.CharField(max_length=100, required=False, allow_blank=True)


class CampaignSerializer(serializers.ModelSerializer):
    technology = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Campaign
        fields = ["id", "url", "title", "technology", "records_sought", "description", "created_at"]

    def get_url(self, obj) -> str:
        return obj.get_absolute_url()


class DocumentSerializer(serializers.ModelSerializer):
    """A released document: where it came from, how far its reading got, where its file and
    page images are. `text` only on one document (GET /documents/{id}/)."""

    request = serializers.PrimaryKeyRelatedField(read_only=True)
    content_type = serializers.CharField(source="attachment.content_type", read_only=True)
    size = serializers.IntegerField(source="attachment.size", read_only=True)
    page = serializers.SerializerMethodField()
    download = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = [
            "id",
            "request",
            "title",
            "received_on",
            "content_type",
            "size",
            "sha256",
            "page_count",
            "pages_read",
            "pages_ocr",
            "status",
            "error",
            "read_at",
            "page",
            "download",
        ]

    def _absolute(self, path: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    def get_page(self, document) -> str:
        return self._absolute(document.get_absolute_url())

    def get_download(self, document) -> str:
        return self._absolute(
            reverse(
                "requests:attachment",
                kwargs={"pk": document.request_id, "attachment_pk": document.attachment_id},
            )
        )


class DocumentDetailSerializer(DocumentSerializer):
    pages = serializers.SerializerMethodField()

    class Meta(DocumentSerializer.Meta):
        fields = [*DocumentSerializer.Meta.fields, "text", "pages"]

    def get_pages(self, document) -> list[dict]:
        images = has_page_images(document.attachment.content_type)
        return [
            {
                "number": page.number,
                "ocr": page.ocr,
                "image": self._absolute(
                    reverse(
                        "documents:page_image", kwargs={"pk": document.pk, "number": page.number}
                    )
                )
                if images
                else None,
            }
            for page in document.pages.all()
        ]
