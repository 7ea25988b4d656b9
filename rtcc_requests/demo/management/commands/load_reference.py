from django.core.management.base import BaseCommand

from rtcc_requests.demo.data import reference_load


class Command(BaseCommand):
    help = "Load or refresh reference data only: laws, exemptions, technology categories."

    def handle(self, *args, **options) -> None:
        reference_load()
        self.stdout.write("Reference data loaded.")
