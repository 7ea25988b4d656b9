from django.contrib import admin, messages
from django.utils import timezone

from . import admin_atlas  # noqa: F401  (registers the Atlas CSV upload page)
from .models import Agency, ChecklistItem, ClosureDay, Deployment, Technology, Vendor
from .services import approve_agencies, reject_agencies


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
    """The directory, and the queue of users' proposals (filter "Review status: proposed")."""

    list_display = [
        "name",
        "kind",
        "city",
        "county",
        "state",
        "records_email",
        "review_status",
        "proposed_by",
        "proposed_at",
    ]
    list_filter = ["review_status", "kind", "state", "county"]
    search_fields = ["name", "city", "county", "records_email", "proposed_by__username"]
    list_select_related = ["proposed_by"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["proposed_by", "proposed_at", "reviewed_by", "reviewed_at"]
    inlines = [DeploymentInline, ClosureDayInline]
    actions = ["approve", "reject"]

    @admin.action(description="Approve the selected proposals (the directory shows them)")
    def approve(self, request, queryset):
        count = approve_agencies(agencies=queryset, reviewer=request.user)
        self.message_user(request, f"{count} agenc{'y' if count == 1 else 'ies'} approved.")

    @admin.action(description="Reject the selected proposals (nobody can file to them)")
    def reject(self, request, queryset):
        selected = queryset.count()
        count = reject_agencies(agencies=queryset, reviewer=request.user)
        text = f"{count} proposal{'' if count == 1 else 's'} rejected."
        if count < selected:
            text += " Approved agencies were left as they are (requests were filed to them)."
        if count:
            text += " Say why in each one's review note: its proposer reads it."
        self.message_user(request, text, messages.SUCCESS if count else messages.WARNING)

    def save_model(self, request, obj, form, change):
        if change and "review_status" in form.changed_data:
            obj.reviewed_by = request.user
            obj.reviewed_at = timezone.now()
        super().save_model(request, obj, form, change)


class ChecklistItemInline(admin.StackedInline):
    model = ChecklistItem
    extra = 0
    fields = ["position", "key", "ask", "why", "basis", "published_duty", "sources"]


@admin.register(Technology)
class TechnologyAdmin(admin.ModelAdmin):
    list_display = ["name", "category"]
    list_filter = ["category"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ChecklistItemInline]


@admin.register(ChecklistItem)
class ChecklistItemAdmin(admin.ModelAdmin):
    list_display = ["technology", "position", "ask", "basis", "published_duty"]
    list_filter = ["technology", "published_duty"]
    search_fields = ["ask", "why", "basis"]
    list_select_related = ["technology"]


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
