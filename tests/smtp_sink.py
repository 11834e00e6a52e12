"""A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps every message it accepts, for tests."""

from __future__ import annotations

import email
import email.policy
import logging
import socket
import threading
import time
from dataclasses import dataclass
from email.message import EmailMessage

from aiosmtpd.controller import Controller

# aiosmtpd logs every SMTP command at INFO; tests only need its warnings.
logging.getLogger("mail.log").setLevel(logging.WARNING)


@dataclass(frozen=True)
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage

    @property
    def message_id(self) -> str:
        return str(self.message["Message-ID"])

    @property
    def body(self) -> str:
        return self.message.get_body(preferencelist=("plain",)).get_content()


class _Collector:
    def __init__(self, sink: SmtpSink):
        self.sink = sink

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd calls it by this name
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        self.sink._add(Received(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SmtpSink:
    """Listens on a fixed loopback port; ``stop()`` closes the port (connections are refused) and
    ``start()`` opens it again, so tests can take the mail server down and bring it back."""

    host = "127.0.0.1"

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self._lock = threading.Lock()
        self._messages: list[Received] = []
        self._controller: Controller | None = None

    def _add(self, item: Received) -> None:
        with self._lock:
            self._messages.append(item)

    @property
    def messages(self) -> list[Received]:
        with self._lock:
            return list(self._messages)

    @property
    def running(self) -> bool:
        return self._controller is not None

    def start(self) -> SmtpSink:
        if self._controller is None:
            controller = Controller(
                _Collector(self), hostname=self.host, port=self.port, ready_timeout=10
            )
            controller.start()
            self._controller = controller
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def wait_for(self, count: int, *, timeout: float = 10.0) -> list[Received]:
        """Wait (bounded) until at least ``count`` messages arrived; return them all."""
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.messages
