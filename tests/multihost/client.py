"""A complainant's browser in a few lines: the public form (with its CSRF cookie and token) posted
to a chosen web host from a chosen address of the test process."""

from __future__ import annotations

import http.client
import re
import secrets
import urllib.parse
from dataclasses import dataclass

from tests.multihost.roles import WEB_PORT

FORM = {
    "name": "Mari Maasikas",
    "phone": "",
    "language": "en",
    "preferred_channel": "email",
    "product": "Parcel delivery",
    "category": "",
    "subject": "Late parcel",
    "desired_outcome": "Refund the delivery fee.",
    "consent": "on",
    "website": "",
}


_FORM = "application/x-www-form-urlencoded"


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


class Browser:
    """One client address; keeps its cookies (CSRF, a staff session) across web hosts (the same
    secret key signs them, the sessions are in the database)."""

    def __init__(self, source: str):
        self.source = source
        self.cookies: dict[str, str] = {}
        self.token = ""

    def request(
        self, host: str, method: str, path: str, body: bytes = b"", content_type: str = ""
    ) -> Answer:
        connection = http.client.HTTPConnection(
            host, WEB_PORT, timeout=60, source_address=(self.source, 0)
        )
        headers = {"Host": f"{host}:{WEB_PORT}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if content_type:
            headers["Content-Type"] = content_type
        try:
            connection.request(method, path, body=body or None, headers=headers)
            response = connection.getresponse()
            answer = Answer(response.status, dict(response.getheaders()), response.read())
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    key, _, rest = value.split(";", 1)[0].partition("=")
                    self.cookies[key.strip()] = rest
        finally:
            connection.close()
        return answer

    def open_form(self, host: str, path: str = "/complain/") -> None:
        page = self.request(host, "GET", path)
        assert page.status == 200, page.text[:500]
        self.token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)

    def sign_in(self, host: str, username: str, password: str) -> None:
        """The staff sign-in form (no two-step sign-in asked of the role)."""
        self.open_form(host, "/staff/login/")
        fields = {"csrfmiddlewaretoken": self.token, "username": username, "password": password}
        body = urllib.parse.urlencode(fields).encode()
        answer = self.request(host, "POST", "/staff/login/", body, _FORM)
        assert answer.status == 302 and "sessionid" in self.cookies, answer.text[:500]

    def complain(self, host: str, email: str, description: str, files=()) -> Answer:
        """POST the form (multipart when there are files: ``[(name, content_type, bytes)]``)."""
        if not self.token:
            self.open_form(host)
        fields = {**FORM, "email": email, "description": description,
                  "csrfmiddlewaretoken": self.token}  # fmt: skip
        if not files:
            body = urllib.parse.urlencode(fields).encode()
            return self.request(host, "POST", "/complain/", body, _FORM)
        boundary = secrets.token_hex(16)
        parts = []
        for key, value in fields.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
            )
        for name, content_type, content in files:
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="attachments"; '
                f'filename="{name}"\r\nContent-Type: {content_type}\r\n\r\n'.encode()
                + content
                + b"\r\n"
            )
        parts.append(f"--{boundary}--\r\n".encode())
        return self.request(
            host, "POST", "/complain/", b"".join(parts), f"multipart/form-data; boundary={boundary}"
        )


def tracking_path(thanks: Answer) -> str:
    match = re.search(r'<a id="tracking-link" href="(/track/[^/"]+/)"', thanks.text)
    assert match, f"no tracking link on the page ({thanks.status}): {thanks.text[:500]}"
    return match.group(1)
