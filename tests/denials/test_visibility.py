"""Who sees a denial: the same answer on the page, every export, the sub-pages and the counts."""

import io
import json
from datetime import date

import pytest
from django.urls import reverse
from freezegun import freeze_time
from pypdf import PdfReader

from tests import factories

from .parsing import body, ids_of

TODAY = date(2026, 11, 26)


@pytest.fixture
def world(make_denial):
    agency = factories.AgencyFactory(name="Oakland Police Department", slug="oakland-pd")
    common = {"agency": agency, "exemptions": ("§7923.600",)}
    return {
        "public": make_denial(title="Public ALPR denial", **common),
        "embargo_over": make_denial(
            title="Embargo over denial",
            visibility="embargoed",
            embargo_until=date(2026, 11, 26),
            **common,
        ),
        "private": make_denial(
            title="Private face recognition denial", **common, visibility="private"
        ),
        "embargoed": make_denial(
            title="Still embargoed denial",
            visibility="embargoed",
            embargo_until=date(2026, 11, 27),
            **common,
        ),
        "agency": agency,
        "exemption": factories.exemption("§7923.600"),
    }


def _surfaces(world) -> list[str]:
    return [
        reverse("denials:log"),
        reverse("denials:csv"),
        reverse("denials:json"),
        reverse("denials:atom"),
        reverse("denials:print"),
        reverse("denials:agency", kwargs={"slug": world["agency"].slug}),
        reverse("denials:exemption", kwargs={"pk": world["exemption"].pk}),
    ]


class TestVisibilityEverywhere:
    def test_public_and_past_embargo_appear_and_private_and_embargoed_appear_nowhere(
        self, client, world
    ):
        shown = {world["public"].pk, world["embargo_over"].pk}
        for url in _surfaces(world):
            response = client.get(url)
            assert response.status_code == 200, url
            text = body(response)
            assert set(ids_of(url, text)) == shown, url
            assert "Public ALPR denial" in text, url
            assert "Embargo over denial" in text, url
            assert "Private face recognition denial" not in text, url
            assert "Still embargoed denial" not in text, url

    def test_summary_counts_only_what_is_visible(self, client, world):
        for name in ("log", "agency", "exemption"):
            kwargs = {"log": {}, "agency": {"slug": "oakland-pd"}}.get(
                name, {"pk": world["exemption"].pk}
            )
            response = client.get(reverse(f"denials:{name}", kwargs=kwargs))
            summary = response.context["summary"]
            assert summary.count == 2, name
            assert [e.count for e in summary.top_exemptions] == [2], name
        data = json.loads(body(client.get(reverse("denials:json"))))
        assert data["count"] == 2

    def test_pdf_carries_only_visible_denials(self, client, world):
        response = client.get(reverse("denials:pdf"))
        assert response["Content-Type"] == "application/pdf"
        pdf = b"".join(response.streaming_content)  # a file from storage, streamed
        text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
        assert "Public ALPR denial" in text
        assert "Embargo over denial" in text
        assert "Private face recognition" not in text
        assert "Still embargoed" not in text

    def test_embargoed_denial_appears_on_the_day_its_embargo_ends(self, client, world):
        with freeze_time("2026-11-27 09:00:00"):
            for url in _surfaces(world):
                assert world["embargoed"].pk in ids_of(url, body(client.get(url))), url

    def test_making_a_request_private_again_removes_it_everywhere(self, client, world):
        from rtcc_requests.requests import services

        request = world["public"]
        services.request_set_visibility(
            records_request=request, actor=request.owner, visibility="private"
        )
        for url in _surfaces(world):
            assert request.pk not in ids_of(url, body(client.get(url))), url

    def test_a_request_released_after_a_denial_leaves_the_log(self, client, world):
        from rtcc_requests.requests import services

        request = world["public"]
        services.determination_record(
            records_request=request,
            actor=request.owner,
            kind="released",
            response_date=date(2026, 4, 1),
        )
        assert request.pk not in ids_of("/denials/", body(client.get(reverse("denials:log"))))


class TestRedaction:
    def test_owner_email_and_private_letters_never_appear(self, client, make_denial, user):
        make_denial(title="Denied with a private letter", owner=user, letter="private")
        for url in (
            "/denials/",
            "/denials.csv",
            "/denials.json",
            "/denials.atom",
            "/denials/print/",
        ):
            text = body(client.get(url))
            assert user.email not in text, url
            assert user.username not in text, url
            assert "#communication-" not in text, url
            assert "We deny your request" not in text, url

    def test_a_public_letter_is_linked_on_the_request_page(self, client, make_denial):
        request = make_denial(title="Denied with a public letter", letter="public")
        letter = request.determinations.get().communication
        anchor = (
            f"{reverse('requests:detail', kwargs={'pk': request.pk})}#communication-{letter.pk}"
        )
        assert anchor in body(client.get(reverse("denials:log")))
        row = json.loads(body(client.get(reverse("denials:json"))))["rows"][0]
        assert row["letter_url"].endswith(anchor)
