from django.contrib import admin

from .models import Exemption, Law


class ExemptionInline(admin.TabularInline):
    model = Exemption
    extra = 0
    fields = ["section", "former_section", "short_name", "is_catch_all", "needs_verification"]


@admin.register(Law)
class LawAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "jurisdiction",
        "response_days",
        "day_type",
        "extension_days",
        "holiday_calendar",
        "needs_verification",
    ]
    list_filter = ["jurisdiction", "day_type", "needs_verification"]
    search_fields = ["code", "name", "citation"]
    inlines = [ExemptionInline]


@admin.register(Exemption)
class ExemptionAdmin(admin.ModelAdmin):
    list_display = ["section", "former_section", "short_name", "law", "is_catch_all"]
    list_filter = ["law", "is_catch_all", "needs_verification"]
    search_fields = ["section", "former_section", "short_name", "description"]
