"""A throwaway Dovecot IMAP server on 127.0.0.1 for the intake tests: its own configuration, TLS
with a self-signed certificate made here, maildirs in a temporary folder, and any user name
logging in with the password ``secret`` (a fresh name is a fresh, empty mailbox)."""

from __future__ import annotations

import contextlib
import grp
import os
import pwd
import shutil
import signal
import socket
import ssl
import subprocess
import time
from pathlib import Path

from imap_tools import MailBox

DOVECOT = "/usr/sbin/dovecot"
PASSWORD = "secret"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Dovecot:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.host = "127.0.0.1"
        self.port = 0
        self.cert = folder / "cert.pem"

    def _config(self) -> str:
        f = self.folder
        if os.geteuid() == 0:  # the Debian package's users; mail belongs to nobody
            internal, login, uid, gid = (
                "dovecot",
                "dovenull",
                "nobody",
                grp.getgrgid(pwd.getpwnam("nobody").pw_gid).gr_name,
            )
        else:
            me = pwd.getpwuid(os.geteuid()).pw_name
            internal = login = uid = me
            gid = grp.getgrgid(os.getegid()).gr_name
        return f"""
protocols = imap
listen = 127.0.0.1
base_dir = {f}/run
state_dir = {f}/run/state
log_path = {f}/dovecot.log
ssl = required
ssl_cert = <{f}/cert.pem
ssl_key = <{f}/key.pem
default_internal_user = {internal}
default_login_user = {login}
first_valid_uid = 1
auth_mechanisms = plain
passdb {{
  driver = static
  args = password={PASSWORD}
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={f}/mail/%u
}}
mail_location = maildir:{f}/mail/%u/Maildir
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    port = 0
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {self.port}
  }}
}}
"""

    def start(self) -> Dovecot:
        f = self.folder
        f.chmod(0o755)
        (f / "mail").mkdir(mode=0o777, exist_ok=True)
        (f / "mail").chmod(0o777)
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
             "-keyout", str(f / "key.pem"), "-out", str(self.cert), "-subj", "/CN=127.0.0.1",
             "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
            check=True, capture_output=True, timeout=60,
        )  # fmt: skip
        for _attempt in range(3):
            self.port = _free_port()
            (f / "dovecot.conf").write_text(self._config())
            # Output to a file: the daemon keeps the descriptors it was started with open.
            with open(f / "start.log", "ab") as log:
                started = subprocess.run(
                    [DOVECOT, "-c", str(f / "dovecot.conf")], stdout=log, stderr=log, timeout=30
                )
            if started.returncode == 0 and self._wait_listening():
                return self
            self.stop()  # most likely the port was taken meanwhile: try another
        raise RuntimeError(f"dovecot did not start: {(f / 'dovecot.log').read_text()[-2000:]}")

    def _wait_listening(self, timeout: float = 10) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                socket.create_connection((self.host, self.port), timeout=1).close()
                return True
            except OSError:
                time.sleep(0.05)
        return False

    def stop(self) -> None:
        pid_file = self.folder / "run" / "master.pid"
        if pid_file.exists():
            with contextlib.suppress(ProcessLookupError, ValueError):
                os.kill(int(pid_file.read_text().strip()), signal.SIGTERM)
            for _ in range(100):
                if not pid_file.exists():
                    break
                time.sleep(0.05)
        shutil.rmtree(self.folder / "run", ignore_errors=True)

    def tls(self) -> ssl.SSLContext:
        context = ssl.create_default_context()
        context.load_verify_locations(cafile=str(self.cert))
        return context

    def mailbox(self, user: str) -> MailBox:
        """A logged-in IMAP connection (a context manager) to ``user``'s mailbox."""
        return MailBox(self.host, port=self.port, ssl_context=self.tls()).login(user, PASSWORD)

    def append(self, user: str, messages: list[bytes], folder: str = "INBOX") -> None:
        with self.mailbox(user) as box:
            for raw in messages:
                box.append(raw, folder)

    def unseen(self, user: str, folder: str = "INBOX") -> int:
        with self.mailbox(user) as box:
            box.folder.set(folder)
            return len(box.uids("UNSEEN"))

    def count(self, user: str, folder: str = "INBOX") -> int:
        with self.mailbox(user) as box:
            box.folder.set(folder)
            return len(box.uids("ALL"))
