from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html

from .mime import parse_message
from .models import ReviewItem, ReviewStatus
from .services import InboundError, review_attach, review_dismiss

PREVIEW_CHARS = 5000


@admin.register(ReviewItem)
class ReviewItemAdmin(admin.ModelAdmin):
    list_display = ["created_at", "status", "reason", "from_address", "subject", "records_request"]
    list_filter = ["status", "reason"]
    search_fields = ["from_address", "to_address", "subject", "message_id"]
    list_select_related = ["records_request"]
    raw_id_fields = ["records_request"]
    readonly_fields = [
        "reason",
        "detail",
        "status",
        "message_id",
        "from_address",
        "to_address",
        "subject",
        "sent_at",
        "original",
        "size",
        "preview",
        "communication",
        "resolved_by",
        "resolved_at",
        "created_at",
    ]
    fields = ["records_request", *readonly_fields]
    actions = ["attach_to_request", "dismiss"]

    def has_add_permission(self, request) -> bool:
        return False

    def get_urls(self):
        download = path(
            "<int:pk>/original/",
            self.admin_site.admin_view(self.download_original),
            name="inbound_reviewitem_original",
        )
        return [download, *super().get_urls()]

    def download_original(self, request, pk: int):
        """The message exactly as received, for staff only (media is not served publicly)."""
        item = get_object_or_404(ReviewItem, pk=pk)
        if not self.has_view_permission(request, item):
            raise PermissionDenied
        return FileResponse(
            item.raw.open("rb"),
            as_attachment=True,
            filename=f"review-{item.pk}.eml",
            content_type="message/rfc822",
        )

    @admin.display(description="original message")
    def original(self, item: ReviewItem) -> str:
        url = reverse("admin:inbound_reviewitem_original", args=[item.pk])
        return format_html('<a href="{}">Download the original (.eml)</a>', url)

    @admin.display(description="text of the message")
    def preview(self, item: ReviewItem) -> str:
        try:
            with item.raw.open("rb") as handle:
                parsed = parse_message(handle.read(), max_bytes=0)
        except Exception as error:  # noqa: BLE001 - staff still see the stored original
            return f"(could not be read: {error})"
        files = ", ".join(f.filename for f in parsed.refused) or "none"
        return f"{parsed.body[:PREVIEW_CHARS]}\n\n[files: {files}]"

    @admin.action(description="Attach to the chosen request as the agency's reply")
    def attach_to_request(self, request, queryset) -> None:
        done = 0
        for item in queryset.select_related("records_request"):
            try:
                review_attach(item=item, actor=request.user)
                done += 1
            except InboundError as error:
                self.message_user(request, f"{item}: {error}", messages.WARNING)
        if done:
            self.message_user(request, f"Attached {done} message(s).", messages.SUCCESS)

    @admin.action(description="Dismiss (keep, but out of the queue)")
    def dismiss(self, request, queryset) -> None:
        for item in queryset.filter(status=ReviewStatus.OPEN):
            review_dismiss(item=item, actor=request.user)
        self.message_user(request, "Dismissed.", messages.SUCCESS)
