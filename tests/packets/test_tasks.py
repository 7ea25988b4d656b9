"""A real worker builds the packet the button asks for; the same task delivered again (as
after a crash) builds nothing more."""

import re

import pytest
from django.urls import reverse

from rtcc_requests.packets.models import Packet, PacketStatus
from rtcc_requests.packets.tasks import build_packet

from ..inbound.conftest import eml
from ..support.worker import wait_until
from .conftest import Unzipped, ingest


def _result_of(worker, task_id: str) -> str | None:
    log = worker.log_path.read_text(errors="replace")
    found = re.search(rf"\[{task_id}\] succeeded in [0-9.]+s: '(\w+)'", log)
    return found and found.group(1)


@pytest.mark.celery_worker
class TestBuildInWorker:
    def test_a_worker_builds_the_packet_and_a_redelivered_task_builds_nothing(
        self, client, fresno_request, celery_worker_process
    ):
        ingest("pdf_docx.eml")
        client.force_login(fresno_request.owner)
        response = client.post(reverse("packets:make", kwargs={"pk": fresno_request.pk}))
        assert response.status_code == 302
        packet = wait_until(
            lambda: Packet.objects.filter(status=PacketStatus.READY).first(),
            timeout=120,
            message="the worker never finished the packet",
        )
        download = client.get(reverse("packets:download", kwargs={"pk": fresno_request.pk}))
        unzipped = Unzipped(b"".join(download.streaming_content))
        [reply] = unzipped.under("replies")
        assert unzipped.read(reply) == eml("pdf_docx.eml")
        listed = {row["path"] for row in unzipped.manifest_rows}
        assert listed == set(unzipped.names) - {"manifest.csv", "manifest.json"}

        again = build_packet.delay(packet_id=packet.pk, token=packet.build_token)
        outcome = wait_until(
            lambda: _result_of(celery_worker_process, again.id),
            timeout=60,
            message="the redelivered task never finished",
        )
        assert outcome == "skipped"
        packet_now = Packet.objects.get()
        assert (packet_now.file.name, packet_now.attempts) == (packet.file.name, 1)
