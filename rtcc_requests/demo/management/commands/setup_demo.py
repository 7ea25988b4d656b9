from django.core.management.base import BaseCommand

from rtcc_requests.demo.data import DEMO_ADMIN, DEMO_USER, demo_setup


class Command(BaseCommand):
    help = "Load reference data (laws, exemptions, technologies) and the Fresno demo data."

    def handle(self, *args, **options) -> None:
        report = demo_setup()
        self.stdout.write(
            f"Demo data ready: {len(report.users_created)} users, "
            f"{len(report.requests_created)} requests and {len(report.campaigns_created)} "
            "campaigns created (existing ones kept)."
        )
        self.stdout.write(
            f"Log in as {DEMO_USER['username']} / {DEMO_USER['password']} "
            f"or, for /admin/, {DEMO_ADMIN['username']} / {DEMO_ADMIN['password']}."
        )
