"""A generated corpus of raw e-mails shaped like the ones real mailboxes receive: five languages
in their legacy code pages, every transfer encoding, HTML-only mail with scripts, broken encoded
words, missing or malformed senders, NUL and invalid bytes, nested and very deep multiparts,
forwarded messages, TNEF, inline images and attachments, auto-replies and bounces.

``corpus()`` yields ``Sample``s; ``expect`` says what intake should make of each: a case whose
text contains ``text``, or a quarantine with ``reason``."""

from __future__ import annotations

import base64
import quopri
from collections.abc import Iterator
from dataclasses import dataclass
from email.header import Header

TEXTS = {
    "en": "The parcel arrived two weeks late and the box was crushed.",
    "et": "Tere! Pakk jõudis kohale kaks nädalat hiljem ja karp oli katki. See on minu kaebus.",
    "uk": "Посилка прийшла із запізненням на два тижні, а коробка була зім'ята. Прошу повернути гроші.",  # noqa: RUF001
    "sv": "Hej! Paketet kom två veckor för sent och lådan var trasig. Jag vill ha pengarna tillbaka.",
    "fa": "بسته دو هفته دیر رسید و جعبه‌اش له شده بود. لطفاً پولم را پس بدهید.",
}
SUBJECTS = {
    "en": "Late parcel",
    "et": "Hilinenud pakk – kaebus",  # noqa: RUF001 - the dash as people type it
    "uk": "Запізніла посилка",
    "sv": "Försenat paket – klagomål",  # noqa: RUF001
    "fa": "شکایت از تأخیر بسته",
}
# The code pages each language's mail really arrives in (besides UTF-8 and UTF-16).
CHARSETS = {
    "en": ["us-ascii", "cp1252"],
    "et": ["iso-8859-15", "cp1257", "iso-8859-13"],
    "uk": ["koi8-u", "cp1251"],
    "sv": ["iso-8859-1", "cp1252"],
    "fa": ["windows-1256"],
}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@dataclass(frozen=True)
class Sample:
    name: str
    raw: bytes
    expect: str  # "case", "quarantined" or "either"
    text: str = ""  # what the case's description must contain
    language: str = ""
    reason: str = ""


def _body(text: str, charset: str, cte: str) -> bytes:
    data = text.encode(charset)
    if cte == "base64":
        return base64.encodebytes(data).replace(b"\n", b"\r\n")
    if cte == "quoted-printable":
        return quopri.encodestring(data).replace(b"\n", b"\r\n")
    return data


def _headers(items: list[tuple[str, str]]) -> bytes:
    lines = []
    for key, value in items:
        if any(ord(c) > 127 for c in value):
            value = Header(value, "utf-8").encode()
        lines.append(f"{key}: {value}")
    return ("\r\n".join(lines) + "\r\n").encode("ascii")


def mail(
    i: int,
    body: bytes,
    *,
    content_type: str = "text/plain; charset=utf-8",
    cte: str = "8bit",
    subject: str = "Complaint",
    sender: str | None = None,
    extra: list[tuple[str, str]] | None = None,
    message_id: bool = True,
) -> bytes:
    head = [
        ("From", sender if sender is not None else f"Customer {i} <customer{i}@example.org>"),
        ("To", "complaints@example.com"),
        ("Subject", subject),
        ("Date", "Tue, 01 Dec 2026 10:00:00 +0000"),
        *([("Message-ID", f"<corpus-{i}@mail.example.org>")] if message_id else []),
        ("MIME-Version", "1.0"),
        ("Content-Type", content_type),
        ("Content-Transfer-Encoding", cte),
        *(extra or []),
    ]
    return _headers(head) + b"\r\n" + body


def multipart(subtype: str, parts: list[bytes], boundary: str) -> tuple[str, bytes]:
    out = b""
    for part in parts:
        out += f"--{boundary}\r\n".encode() + part + b"\r\n"
    out += f"--{boundary}--\r\n".encode()
    return f'multipart/{subtype}; boundary="{boundary}"', out


def part(content_type: str, body: bytes, cte: str = "8bit", extra: str = "") -> bytes:
    head = f"Content-Type: {content_type}\r\nContent-Transfer-Encoding: {cte}\r\n{extra}"
    return head.encode() + b"\r\n" + body


def attachment(name: str, data: bytes, content_type: str, inline_id: str = "") -> bytes:
    disposition = "inline" if inline_id else "attachment"
    extra = f'Content-Disposition: {disposition}; filename="{name}"\r\n'
    if inline_id:
        extra += f"Content-ID: <{inline_id}>\r\n"
    return part(content_type, _body_b64(data), "base64", extra)


def _body_b64(data: bytes) -> bytes:
    return base64.encodebytes(data).replace(b"\n", b"\r\n")


def _as_written_in(text: str, charset: str) -> str:
    """Persian as Windows-1256 mail carries it: Arabic yeh and kaf stand in for the Persian
    letters that code page lacks."""
    if charset == "windows-1256":
        return text.replace("\u06cc", "\u064a").replace("\u06a9", "\u0643")
    return text


def _language_samples(start: int) -> Iterator[Sample]:
    """Each language in each of its code pages, UTF-8 and UTF-16, in every transfer encoding,
    as plain text, HTML only (with scripts) and multipart/alternative."""
    i = start
    for lang, persian_text in TEXTS.items():
        for charset in [*CHARSETS[lang], "utf-8", "utf-16"]:
            text = _as_written_in(persian_text, charset)
            for cte in ["8bit", "quoted-printable", "base64"]:
                if charset == "utf-16" and cte == "8bit":
                    cte = "base64"  # UTF-16 has NUL bytes: never sent as 8bit
                for shape in ["plain", "html", "alternative", "mixed", "signed-off"]:
                    i += 1
                    html = (
                        f"<html><head><style>p{{color:red}}</style><script>steal()</script>"
                        f"</head><body><p dir='auto'>{text}</p>"
                        f"<img src='https://tracker.example/p.gif' onerror='x()'></body></html>"
                    )
                    if shape == "plain":
                        raw = mail(
                            i,
                            _body(text, charset, cte),
                            content_type=f"text/plain; charset={charset}",
                            cte=cte,
                            subject=SUBJECTS[lang],
                        )
                    elif shape == "html":
                        raw = mail(
                            i,
                            _body(html, charset, cte),
                            content_type=f"text/html; charset={charset}",
                            cte=cte,
                            subject=SUBJECTS[lang],
                        )
                    elif shape == "mixed":  # the text and a receipt
                        ctype, body = multipart(
                            "mixed",
                            [
                                part(
                                    f"text/plain; charset={charset}", _body(text, charset, cte), cte
                                ),
                                attachment("receipt.pdf", PDF, "application/pdf"),
                            ],
                            f"mix-{i}",
                        )
                        raw = mail(i, body, content_type=ctype, cte="7bit", subject=SUBJECTS[lang])
                    elif shape == "signed-off":  # a signature and a quoted earlier mail below
                        signed = f"{text}\n\n-- \nCustomer {i}\n\n> {text}\n"
                        raw = mail(
                            i,
                            _body(signed, charset, cte),
                            content_type=f"text/plain; charset={charset}; format=flowed",
                            cte=cte,
                            subject=f"Re: {SUBJECTS[lang]}",
                        )
                    else:
                        ctype, body = multipart(
                            "alternative",
                            [
                                part(
                                    f"text/plain; charset={charset}", _body(text, charset, cte), cte
                                ),
                                part(
                                    f"text/html; charset={charset}", _body(html, charset, cte), cte
                                ),
                            ],
                            f"alt-{i}",
                        )
                        raw = mail(i, body, content_type=ctype, cte="7bit", subject=SUBJECTS[lang])
                    yield Sample(f"{lang}-{charset}-{cte}-{shape}", raw, "case", text, lang)


def _odd_samples(start: int) -> Iterator[Sample]:
    i = start
    en = TEXTS["en"]
    # Mislabelled code pages: Ukrainian in cp1251 declared as UTF-8 or as an unknown charset.
    for declared in ["utf-8", "x-unknown-charset", "", "koi8-r"]:
        i += 1
        ctype = f"text/plain; charset={declared}" if declared else "text/plain"
        raw = mail(i, TEXTS["uk"].encode("cp1251"), content_type=ctype)
        yield Sample(f"uk-cp1251-declared-{declared or 'none'}", raw, "case", "", "")
    # Invalid bytes in the middle of UTF-8 text: the rest still reads.
    for junk in [b"\xff\xfe", b"\xc3", b"\xed\xa0\x80", b"\x80\x81\x82"]:
        i += 1
        body = b"First line is fine.\r\n" + junk + b"\r\nLast line is fine too.\r\n"
        yield Sample(f"invalid-bytes-{junk.hex()}", mail(i, body), "case", "Last line is fine too.")
    # NUL bytes in the body and in a header.
    i += 1
    yield Sample(
        "nul-body", mail(i, b"Broken\x00 printer\x00 driver.\r\n"), "case", "Broken printer driver."
    )
    i += 1
    raw = mail(i, en.encode()).replace(b"Subject: Complaint", b"Subject: Compl\x00aint")
    yield Sample("nul-subject", raw, "case", en)
    # Broken RFC 2047 encoded words in the subject and the sender's name.
    for subject in [
        "=?utf-8?Q?unterminated",
        "=?utf-8?B?!!!notbase64?=",
        "=?x-unknown?Q?abc?=",
        "=?koi8-u?B?8NLP08LBINDP18XSztXUySDH0s/b3w==?=",
        "=?utf-8?Q?=E2=82?= half a euro",
        "=?windows-1256?Q?=D4=DF=C7=ED=CA?=",
    ]:
        i += 1
        raw = mail(i, en.encode(), extra=[]).replace(
            b"Subject: Complaint", f"Subject: {subject}".encode()
        )
        yield Sample(f"broken-subject-{i}", raw, "case", en)
    i += 1
    raw = mail(i, en.encode(), sender=f"=?utf-8?Q?Ol=C3=A9na_?= <olena{i}@example.org>")
    yield Sample("encoded-name", raw, "case", en)
    # No sender, a malformed one, an unanswerable one.
    i += 1
    raw = mail(i, en.encode()).replace(
        f"From: Customer {i} <customer{i}@example.org>\r\n".encode(), b""
    )
    yield Sample("no-from", raw, "quarantined", reason="no_sender")
    for bad in ["a <b@c", "<>", "undisclosed-recipients:;", '"Broken <quote@x.org']:
        i += 1
        yield Sample(f"bad-from-{i}", mail(i, en.encode(), sender=bad), "either")
    # Machines writing: auto-replies, bulk mail, bounces.
    for extra, ctype in [
        ([("Auto-Submitted", "auto-replied")], "text/plain"),
        ([("Precedence", "bulk")], "text/plain"),
        ([("X-Autoreply", "yes")], "text/plain"),
        ([], 'multipart/report; report-type=delivery-status; boundary="r"'),
    ]:
        i += 1
        body = (
            b"--r\r\nContent-Type: text/plain\r\n\r\nDelivery failed.\r\n--r--\r\n"
            if "report" in ctype
            else b"I am away until Monday."
        )
        yield Sample(
            f"automatic-{i}",
            mail(i, body, content_type=ctype, extra=extra),
            "quarantined",
            reason="automatic",
        )
    i += 1
    yield Sample(
        "out-of-office",
        mail(i, b"Away.", subject="Out of Office: Complaint"),
        "quarantined",
        reason="automatic",
    )
    i += 1
    yield Sample(
        "mailer-daemon",
        mail(i, b"Undeliverable", sender="MAILER-DAEMON@mx.example.org"),
        "quarantined",
        reason="automatic",
    )
    # No Message-ID (deduplicated by content), an empty body (the subject is the text).
    i += 1
    yield Sample("no-message-id", mail(i, en.encode(), message_id=False), "case", en)
    i += 1
    yield Sample(
        "empty-body",
        mail(i, b"", subject="Broken kettle, please call"),
        "case",
        "Broken kettle, please call",
    )
    # Attachments and inline images under the upload rules; a TNEF winmail.dat is left out.
    i += 1
    ctype, body = multipart(
        "mixed",
        [
            part("text/plain; charset=utf-8", en.encode()),
            attachment("receipt.pdf", PDF, "application/pdf"),
            attachment("photo.png", PNG, "image/png"),
            attachment("winmail.dat", b"\x78\x9f\x3e\x22" + b"\x00" * 40, "application/ms-tnef"),
            attachment("run.exe", b"MZ" + b"\x00" * 40, "application/octet-stream"),
        ],
        f"mixed-{i}",
    )
    yield Sample("attachments", mail(i, body, content_type=ctype, cte="7bit"), "case", en)
    i += 1
    _, related = multipart(
        "related",
        [
            part("text/html; charset=utf-8", f"<p>{en}</p><img src='cid:img1'>".encode()),
            attachment("", PNG, "image/png", "img1"),
        ],
        f"rel-{i}",
    )
    ctype = f'multipart/related; boundary="rel-{i}"'
    yield Sample("inline-image", mail(i, related, content_type=ctype, cte="7bit"), "case", en)
    # A forwarded message (message/rfc822) inside, the outer text first.
    i += 1
    inner = mail(
        i + 100000, TEXTS["sv"].encode("iso-8859-1"), content_type="text/plain; charset=iso-8859-1"
    )
    ctype, body = multipart(
        "mixed",
        [
            part("text/plain; charset=utf-8", b"See the forwarded mail below."),
            part("message/rfc822", inner, "8bit"),
        ],
        f"fwd-{i}",
    )
    yield Sample(
        "forwarded-rfc822",
        mail(i, body, content_type=ctype, cte="8bit"),
        "case",
        "See the forwarded mail below.",
    )
    # 100-deep multipart with the text at the bottom: read as far as it is sane, never a crash.
    i += 1
    yield Sample(
        "deep-multipart",
        mail(i, b"", content_type="text/plain").split(b"Content-Type")[0] + deep_multipart(100),
        "either",
    )
    # Headers only, garbage, a lone line.
    for raw in [
        b"Subject: only a subject\r\n\r\n",
        b"\x00\x01\x02garbage",
        b"not an e-mail at all",
        b"\r\n\r\n",
    ]:
        i += 1
        yield Sample(f"garbage-{i}", raw, "quarantined")


def deep_multipart(depth: int) -> bytes:
    """A ``depth``-deep chain of multipart/mixed with one text part at the bottom."""
    inner = b"Content-Type: text/plain; charset=utf-8\r\n\r\nDeep down text.\r\n"
    for level in range(depth):
        boundary = f"d{level}".encode()
        inner = (
            b'Content-Type: multipart/mixed; boundary="'
            + boundary
            + b'"\r\n\r\n--'
            + boundary
            + b"\r\n"
            + inner
            + b"\r\n--"
            + boundary
            + b"--\r\n"
        )
    return b"MIME-Version: 1.0\r\n" + inner


def corpus() -> list[Sample]:
    samples = [*_language_samples(0)]
    samples.extend(_odd_samples(len(samples) + 1000))
    return samples


def huge_mail(i: int, megabytes: int) -> bytes:
    """A mail of about ``megabytes`` MB: a short text and one large PDF (over the upload limit)."""
    big = PDF + b"0" * (megabytes * 1024 * 1024 * 3 // 4)
    ctype, body = multipart(
        "mixed",
        [
            part("text/plain; charset=utf-8", TEXTS["et"].encode()),
            attachment("scan.pdf", big, "application/pdf"),
        ],
        f"huge-{i}",
    )
    return mail(i, body, content_type=ctype, cte="7bit")


def many_attachments(i: int, count: int) -> bytes:
    ctype, body = multipart(
        "mixed",
        [
            part("text/plain; charset=utf-8", TEXTS["uk"].encode()),
            *(attachment(f"page-{n}.png", PNG, "image/png") for n in range(count)),
        ],
        f"many-{i}",
    )
    return mail(i, body, content_type=ctype, cte="7bit")
