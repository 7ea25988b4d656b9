from django.contrib import admin

from .models import Reminder


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = [
        "request",
        "recipient",
        "kind",
        "deadline",
        "occurrence",
        "event_on",
        "created_at",
    ]
    list_filter = ["kind", "event_on"]
    raw_id_fields = ["request", "recipient"]
    readonly_fields = ["outbox_key", "created_at"]
