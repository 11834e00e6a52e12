"""A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps every message it accepts, for tests."""

from __future__ import annotations

import asyncio
import email
import email.policy
import logging
import socket
import threading
import time
from collections.abc import Callable
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


@dataclass(frozen=True)
class Answer:
    """How the sink answers one message's DATA: ``reply`` is sent after ``stall`` seconds; only a
    2xx reply keeps the message (the moment responsibility passes to the server, RFC 5321)."""

    reply: str = "250 Message accepted for delivery"
    stall: float = 0.0

    @property
    def accepts(self) -> bool:
        return self.reply.startswith("2")


ACCEPT = Answer()
# A fault policy sees each message before it is answered: (message, how many times a message with
# this Message-ID reached DATA so far, this one included) -> Answer.
Faults = Callable[[EmailMessage, int], Answer]


class _Collector:
    def __init__(self, sink: SmtpSink):
        self.sink = sink

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.sink.refused_recipients:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd calls it by this name
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        answer = self.sink._answer(message)
        if answer.stall:
            await asyncio.sleep(answer.stall)  # the client gives up first: nothing is kept
        if answer.accepts:
            self.sink._add(Received(envelope.mail_from, list(envelope.rcpt_tos), message))
        return answer.reply


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SmtpSink:
    """Listens on a fixed loopback port; ``stop()`` closes the port (connections are refused) and
    ``start()`` opens it again, so tests can take the mail server down and bring it back."""

    host = "127.0.0.1"

    def __init__(self, port: int | None = None, *, faults: Faults | None = None):
        self.port = port or free_port()
        self.faults = faults
        self.refused_recipients: set[str] = set()  # answered "550" at RCPT TO
        self._lock = threading.Lock()
        self._messages: list[Received] = []
        self._tries: dict[str, int] = {}
        self._controller: Controller | None = None

    def _answer(self, message: EmailMessage) -> Answer:
        with self._lock:
            key = str(message["Message-ID"])
            self._tries[key] = self._tries.get(key, 0) + 1
            tries = self._tries[key]
        return self.faults(message, tries) if self.faults else ACCEPT

    @property
    def tries(self) -> dict[str, int]:
        """How many times each Message-ID reached DATA, whatever the answer."""
        with self._lock:
            return dict(self._tries)

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
