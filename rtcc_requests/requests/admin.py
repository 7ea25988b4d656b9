from django.contrib import admin

from .models import Attachment, Communication, Determination, RecordsRequest, RequestEvent


class CommunicationInline(admin.StackedInline):
    model = Communication
    extra = 0
    fields = ["direction", "kind", "letter_kind", "sent_at", "subject", "is_private", "pdf_status"]
    show_change_link = True


class DeterminationInline(admin.TabularInline):
    model = Determination
    extra = 0
    fields = ["kind", "date", "official_name", "official_title", "is_late", "days_late"]
    readonly_fields = ["is_late", "days_late"]
    show_change_link = True


class RequestEventInline(admin.TabularInline):
    model = RequestEvent
    extra = 0
    can_delete = False
    fields = ["at", "actor", "kind", "from_status", "to_status", "message"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # the history is append-only, written by the services


@admin.register(RecordsRequest)
class RecordsRequestAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "agency",
        "owner",
        "status",
        "visibility",
        "received_on",
        "next_due",
        "is_late",
        "is_deficient",
    ]
    list_filter = [
        "status",
        "visibility",
        "law",
        "is_late",
        "is_deficient",
        "filing_method",
        "technologies__category",
    ]
    search_fields = ["title", "records_sought", "tracking_number", "agency__name", "owner__email"]
    date_hierarchy = "received_on"
    autocomplete_fields = ["agency", "owner", "technologies"]
    list_select_related = ["agency", "owner"]
    readonly_fields = ["reply_token", "created_at", "updated_at"]
    inlines = [DeterminationInline, CommunicationInline, RequestEventInline]


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0


@admin.register(Communication)
class CommunicationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "request", "direction", "kind", "sent_at", "pdf_status"]
    list_filter = ["direction", "kind", "letter_kind", "pdf_status", "is_private"]
    search_fields = ["subject", "body", "from_address", "request__title"]
    raw_id_fields = ["request"]
    inlines = [AttachmentInline]


@admin.register(Determination)
class DeterminationAdmin(admin.ModelAdmin):
    list_display = ["request", "kind", "date", "official_name", "is_late", "days_late"]
    list_filter = ["kind", "is_late", "exemptions"]
    search_fields = ["request__title", "official_name", "official_title"]
    raw_id_fields = ["request", "communication"]
    filter_horizontal = ["exemptions"]


@admin.register(RequestEvent)
class RequestEventAdmin(admin.ModelAdmin):
    list_display = ["at", "request", "kind", "from_status", "to_status", "message"]
    list_filter = ["kind"]
    search_fields = ["message", "request__title"]
    raw_id_fields = ["request"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
