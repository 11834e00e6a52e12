"""A real HTTP receiver on 127.0.0.1 for the webhook tests: it records each request and answers
with the next status of its script (200 when the script is done); "hang" answers nothing until
the receiver is closed, so the sender's timeout is what ends the attempt."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HANG = "hang"


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: str


@dataclass
class Receiver:
    script: list[int | str] = field(default_factory=list)
    requests: list[Received] = field(default_factory=list)
    released: threading.Event = field(default_factory=threading.Event)
    url: str = ""
    delay: float = 0.0  # seconds before each answer
    lock: threading.Lock = field(default_factory=threading.Lock)


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length).decode("utf-8")
            with receiver.lock:
                receiver.requests.append(Received(self.path, dict(self.headers.items()), body))
                answer = receiver.script.pop(0) if receiver.script else 200
            time.sleep(receiver.delay)
            if answer == HANG:
                receiver.released.wait(30)
                return
            self.send_response(int(answer))
            if 300 <= int(answer) < 400:
                self.send_header("Location", receiver.url + "elsewhere")
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, format: str, *args: object) -> None:  # quiet test output
            pass

    return Handler


class running:
    """``with running([500, 200]) as receiver:`` a receiver on a free port of 127.0.0.1."""

    def __init__(self, script: list[int | str] | None = None, *, delay: float = 0.0) -> None:
        self.receiver = Receiver(script=list(script or []), delay=delay)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self.receiver))
        self.server.daemon_threads = True
        self.receiver.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook/"

    def __enter__(self) -> Receiver:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self.receiver

    def __exit__(self, *exc: object) -> None:
        self.receiver.released.set()
        self.server.shutdown()
        self.server.server_close()
