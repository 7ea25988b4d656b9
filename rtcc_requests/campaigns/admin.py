from django.contrib import admin

from .models import Campaign, CampaignEntry


class CampaignEntryInline(admin.TabularInline):
    model = CampaignEntry
    extra = 0
    fields = ["agency", "request", "wave"]
    raw_id_fields = ["agency", "request"]


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["title", "owner", "technology", "visibility", "created_at"]
    list_filter = ["visibility", "technology"]
    search_fields = ["title", "records_sought", "owner__username"]
    list_select_related = ["owner", "technology"]
    raw_id_fields = ["owner"]
    inlines = [CampaignEntryInline]


@admin.register(CampaignEntry)
class CampaignEntryAdmin(admin.ModelAdmin):
    list_display = ["campaign", "agency", "wave"]
    list_select_related = ["campaign", "agency"]
    raw_id_fields = ["campaign", "agency", "request"]
