from django.contrib import admin

from .models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["subject", "status", "attempts", "created_at", "sent_at", "user"]
    list_filter = ["status"]
    search_fields = ["subject", "idempotency_key", "to"]
    raw_id_fields = ["user", "records_request"]
    readonly_fields = ["idempotency_key", "claimed_at", "sent_at", "attempts", "last_error"]
