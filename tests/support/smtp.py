"""A real SMTP server (aiosmtpd) for tests: counts what actually arrives over the wire."""

import email
import email.policy
import socket
import threading
from dataclasses import dataclass, field

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class _Collector:
    messages: list = field(default_factory=list)
    raw: list = field(default_factory=list)  # the DATA bytes as they came over the wire
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append(parsed)
            self.raw.append(envelope.original_content or envelope.content)
        return "250 Message accepted for delivery"


class SmtpServer:
    """Start, stop and restart on the same port, to test "server down, then up"."""

    def __init__(self) -> None:
        self.host, self.port = "127.0.0.1", free_port()
        self._collector = _Collector()
        self._controller: Controller | None = None

    @property
    def messages(self) -> list[email.message.EmailMessage]:
        with self._collector.lock:
            return list(self._collector.messages)

    @property
    def raw_messages(self) -> list[bytes]:
        with self._collector.lock:
            return list(self._collector.raw)

    def start(self) -> None:
        self._controller = Controller(self._collector, hostname=self.host, port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    @property
    def url(self) -> str:
        return f"smtp://{self.host}:{self.port}"
