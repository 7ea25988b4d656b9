from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "rtcc_requests.campaigns"
    verbose_name = "Campaigns"
