"""Letter rendering: each kind through our path, against a bare WeasyPrint render of its HTML.

Our path (letter_preview_pdf, the same one the Celery task takes) = the request's queries,
the default body, the template, the safe fetcher, the page count check, the PDF. The baseline
is WeasyPrint alone on the very same HTML and stylesheet, so the ratio is our overhead.
Python's peak (tracemalloc) misses Pango/Cairo's native memory: the note gives the
process's peak RSS too.

The data is made inside a transaction that is rolled back: the bench database keeps nothing.
"""

import resource
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from weasyprint import CSS, HTML

from bench.measuring import BenchRow, measure, row
from rtcc_requests.agencies.models import Agency
from rtcc_requests.common.fetcher import static_path
from rtcc_requests.laws.models import Exemption, Law
from rtcc_requests.requests import services as request_services
from rtcc_requests.requests.choices import DeterminationKind, LetterKind
from rtcc_requests.requests.letters.documents import default_body, letter_html, subject_for
from rtcc_requests.requests.letters.services import letter_preview_pdf

# The keys of bench SIZES this module reads (the command stages its calls by them).
SIZE_KEYS = ("letters",)


class _Rollback(Exception):
    pass


def run(*, sizes: dict[str, list[int]]) -> list[BenchRow]:
    rows: list[BenchRow] = []
    for renders in sizes.get("letters", []):
        try:
            with transaction.atomic():
                rows.extend(_bench(renders))
                raise _Rollback
        except _Rollback:
            pass
    return rows


def _setup():
    today = timezone.localdate()
    owner = get_user_model().objects.create_user(
        username=f"bench-letters-{timezone.now().timestamp()}", email="bench@example.org"
    )
    owner.profile.display_name = "Bench Requester"
    owner.profile.organization = "Benchmark Newsroom"
    owner.profile.mailing_address = "1 Test Way\nFresno, CA 93721"
    owner.profile.save()
    agency = Agency.objects.create(
        name="Bench Police Department",
        slug=f"bench-pd-{owner.pk}",
        state="CA",
        records_email="records@bench-pd.example",
        mailing_address="2323 Mariposa St\nFresno, CA 93721",
    )
    cpra = Law.objects.get(code="ca-cpra")

    def filed(title: str):
        draft = request_services.request_create(
            owner=owner,
            agency=agency,
            law=cpra,
            title=title,
            records_sought="The ALPR policy, audit logs and vendor contracts since 2020.",
        )
        received = today - timedelta(days=30)
        return request_services.request_file(
            records_request=draft,
            actor=owner,
            method="portal",
            filed_on=received,
            received_on=received,
            tracking_number="PRR-BENCH-1",
        )

    late = filed("ALPR records (late)")
    denied = filed("ALPR records (denied)")
    request_services.determination_record(
        records_request=denied,
        actor=owner,
        kind=DeterminationKind.DENIAL,
        response_date=today - timedelta(days=2),
        exemptions=list(Exemption.objects.filter(law=cpra, is_catch_all=True)),
    )
    denied.refresh_from_db()
    return {
        LetterKind.REQUEST: late,
        LetterKind.FOLLOW_UP: late,
        LetterKind.DENIAL_CHALLENGE: denied,
    }


def _bench(renders: int) -> list[BenchRow]:
    requests = _setup()
    stylesheet = CSS(filename=static_path("static:css/letter.css"))
    today = timezone.localdate()
    rows = []
    for kind, records_request in requests.items():
        html = letter_html(
            records_request=records_request,
            kind=kind,
            body=default_body(records_request, kind, today),
            subject=subject_for(records_request, kind),
            letter_date=today,
        )
        # The bare render cannot resolve our static: link; it gets the same CSS directly.
        bare_html = html.replace('href="static:css/letter.css"', 'href=""')

        def ours(records_request=records_request, kind=kind) -> bytes:
            return letter_preview_pdf(records_request=records_request, kind=kind)

        def bare(bare_html=bare_html) -> bytes:
            return HTML(string=bare_html).write_pdf(stylesheets=[stylesheet])

        timing = measure(ours, runs=renders, warmup=1)
        baseline = measure(bare, runs=renders, warmup=1)
        peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        rows.append(
            row(
                f"letter PDF: {LetterKind(kind).label.lower()}",
                renders,
                timing,
                baseline=baseline,
                note=f"peak RSS {peak_rss_mb:.0f} MB; bare peak {baseline.peak_mb} MB; "
                "size = renders; baseline = bare WeasyPrint, same HTML",
            )
        )
    return rows
