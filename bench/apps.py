from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Bulk data and benchmarks (`bench`, `seed_bulk`): development only.

    Installed only when DEBUG is on or BENCH=1 (settings.py), so a production deployment
    has neither command, and nothing in rtcc_requests/ imports from here.
    """

    name = "bench"
    label = "bench"
