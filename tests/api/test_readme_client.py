"""The README's API client, run as written against a live server with the demo data."""

import contextlib
import io
import re
from pathlib import Path

import pytest
from django.utils import timezone
from knox.models import AuthToken

from rtcc_requests.demo.data import demo_setup
from rtcc_requests.denials.selectors import denial_log_rows
from rtcc_requests.requests.models import RecordsRequest

README = Path(__file__).resolve().parents[2] / "README.md"


def _client_code() -> str:
    text = README.read_text()
    match = re.search(r"<!-- api-client -->\n```python\n(.*?)```", text, re.S)
    assert match, "the README lost its API client example"
    return match.group(1)


@pytest.mark.django_db(transaction=True)
def test_the_readme_client_lists_denials_files_a_request_and_reads_its_due_date(live_server, user):
    demo_setup()
    _row, token = AuthToken.objects.create(user=user)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(_client_code(), {"BASE": live_server.url, "TOKEN": token})  # noqa: S102
    printed = out.getvalue()
    filed = RecordsRequest.objects.get(owner=user, title="ALPR usage and privacy policy")
    assert f"Determination due {filed.determination_due.isoformat()}" in printed
    shown = denial_log_rows(today=timezone.localdate(), agency="fresno-police-department")
    assert f"{len(shown)} public denials; first: {shown[0].title}" in printed
