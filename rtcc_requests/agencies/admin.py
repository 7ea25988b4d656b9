from django.contrib import admin

from . import admin_atlas  # noqa: F401  (registers the Atlas CSV upload page)
from .models import Agency, ClosureDay, Deployment, Technology, Vendor


class DeploymentInline(admin.TabularInline):
    model = Deployment
    extra = 0
    autocomplete_fields = ["technology", "vendor"]
    fields = ["technology", "vendor", "product", "status", "first_reported", "notes"]


class ClosureDayInline(admin.TabularInline):
    """Days the office is closed all day: holidays for its deadlines (Code Civ. Proc. §12b)."""

    model = ClosureDay
    extra = 0
    fields = ["day", "reason", "source"]
    ordering = ["day"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "city", "county", "state", "records_email"]
    list_filter = ["kind", "state", "county"]
    search_fields = ["name", "city", "county", "records_email"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [DeploymentInline, ClosureDayInline]


@admin.register(Technology)
class TechnologyAdmin(admin.ModelAdmin):
    list_display = ["name", "category"]
    list_filter = ["category"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Vendor)
class VendorAdmin(admin.ModelAdmin):
    list_display = ["name", "website"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Deployment)
class DeploymentAdmin(admin.ModelAdmin):
    list_display = ["agency", "technology", "vendor", "product", "status", "first_reported"]
    list_filter = ["status", "technology__category", "technology", "agency__state"]
    search_fields = ["agency__name", "technology__name", "vendor__name", "product", "notes"]
    autocomplete_fields = ["agency", "technology", "vendor"]
    list_select_related = ["agency", "technology", "vendor"]


@admin.register(ClosureDay)
class ClosureDayAdmin(admin.ModelAdmin):
    list_display = ["agency", "day", "reason"]
    # Only the agencies that have closure days: the directory holds thousands.
    list_filter = [("agency", admin.RelatedOnlyFieldListFilter)]
    date_hierarchy = "day"
    search_fields = ["agency__name", "reason"]
    autocomplete_fields = ["agency"]
    list_select_related = ["agency"]
