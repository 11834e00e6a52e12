"""Reading one raw e-mail into what intake needs: sender, subject, the best text body, the files,
the threading headers and whether a machine sent it. Built on the standard library's ``email``
(policy.default) and forgiving: any header or part that cannot be decoded is read with
replacement characters instead, so only a message with nothing usable at all fails
(``MailParseError``)."""

from __future__ import annotations

import codecs
import email
import re
from dataclasses import dataclass, field
from email import policy
from email.header import decode_header
from email.message import Message
from email.utils import getaddresses
from html.parser import HTMLParser

import charset_normalizer
import nh3

MAX_DEPTH = 32  # deeper MIME nesting than this is not searched for text or files
MAX_PARTS = 5000  # parts looked at in one message (a 1,000-attachment mail has ~1,000)
TEXT_MAX = 200_000  # characters of body text kept (the case keeps less; the raw mail keeps all)

REFERENCE_RE = re.compile(r"\bC-\d{4}-\d{6,}\b")
_ADDRESS_RE = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_MESSAGE_ID_RE = re.compile(r"<([^<>\s]{1,290})>")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class MailParseError(Exception):
    """The bytes are not a message intake can read; the text says why."""


@dataclass
class MailFile:
    name: str
    content_type: str
    data: bytes


@dataclass
class ParsedMail:
    sender: str  # the address, lower-cased domain; "" when none is usable
    sender_name: str
    subject: str
    text: str
    message_id: str  # without <>; "" when missing
    in_reply_to: list[str]
    references: list[str]
    reply_to: list[str]
    to: list[str]
    automatic: str  # why it looks machine-made ("" when a person wrote it)
    files: list[MailFile] = field(default_factory=list)
    skipped_parts: int = 0


def header_message_id(raw: bytes) -> str:
    """The Message-ID of a raw mail from its header block alone (cheap: for deduplication)."""
    head = raw.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
    match = re.search(rb"(?im)^message-id:[ \t]*(.*(?:\r?\n[ \t].*)*)", head)
    if not match:
        return ""
    ids = _MESSAGE_ID_RE.findall(match.group(1).decode("ascii", "replace"))
    return ids[0] if ids else ""


def clean_text(text: str) -> str:
    """Text without NULs and control characters, line ends as \\n."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL_RE.sub("", text)


def decode_bytes(data: bytes, charset: str | None) -> str:
    """Bytes in the charset the mail declares; an unknown or wrong one is guessed instead, and
    what still does not decode becomes U+FFFD."""
    name = (charset or "").strip().strip('"').lower()
    codec = None
    if name:
        try:
            codec = codecs.lookup(name).name
        except LookupError:
            codec = None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        codec = "utf-16"
    if codec:
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            if codec in {"utf-8", "ascii", "us-ascii"}:
                return data.decode("utf-8", "replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(data[:20000]).best()
    if best is not None:
        return data.decode(best.encoding, "replace")
    return data.decode(codec or "utf-8", "replace")


def _decode_words(value: str) -> str:
    """An RFC 2047 header value decoded leniently: a broken encoded word stays as written."""
    try:
        parts = decode_header(value)
    except Exception:  # a malformed encoded word: keep the raw text
        return value
    out = []
    for chunk, charset in parts:
        if isinstance(chunk, bytes):
            out.append(decode_bytes(chunk, charset))
        else:
            out.append(chunk)
    return "".join(out)


def header(msg: Message, name: str) -> str:
    """One header's text: the policy's parse when it works, the raw value decoded otherwise."""
    try:
        value = msg.get(name)
        text = "" if value is None else str(value)
    except Exception:  # the policy's parser gave up on this header
        text = ""
        for key, raw in msg.raw_items():
            if key.lower() == name.lower():
                text = _decode_words(str(raw))
                break
    if "=?" in text:  # an encoded word the policy left as it was
        text = _decode_words(text)
    text = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return " ".join(clean_text(text).split())


def _addresses(msg: Message, name: str) -> list[tuple[str, str]]:
    text = header(msg, name)
    if not text:
        return []
    try:
        pairs = [(n, a) for n, a in getaddresses([text]) if "@" in a]
    except Exception:  # getaddresses refuses some malformed lists
        pairs = []
    if not pairs:
        pairs = [("", a) for a in _ADDRESS_RE.findall(text)]
    return [(n.strip(), a.strip()) for n, a in pairs if _ADDRESS_RE.fullmatch(a.strip())]


def _ids(msg: Message, name: str) -> list[str]:
    return _MESSAGE_ID_RE.findall(header(msg, name))[:100]


def automatic_reason(msg: Message, subject: str, sender: str) -> str:
    """Why this mail looks machine-made (RFC 3834 and the common conventions), or ""."""
    auto = header(msg, "Auto-Submitted").lower()
    if auto and auto != "no":
        return f"Auto-Submitted: {auto}"
    precedence = header(msg, "Precedence").lower()
    if precedence in {"bulk", "junk", "list", "auto_reply"}:
        return f"Precedence: {precedence}"
    for name in ("X-Autoreply", "X-Autorespond", "X-Auto-Response-Suppress", "List-Id"):
        if header(msg, name):
            return f"{name} header"
    content_type = msg.get_content_type()
    if content_type == "multipart/report":
        return "delivery or read report (multipart/report)"
    local = sender.partition("@")[0].lower()
    if local in {"mailer-daemon", "postmaster", "noreply", "no-reply", "do-not-reply"}:
        return f"sent by {local}"
    lowered = subject.lower()
    if lowered.startswith(("out of office", "automatic reply", "auto:", "autoreply", "abwesen")):
        return "out-of-office subject"
    return ""


def parse_mail(raw: bytes) -> ParsedMail:
    """Read one raw mail. Raises ``MailParseError`` only when nothing usable is in it."""
    if not raw.strip():
        raise MailParseError("the message is empty")
    try:
        msg = email.message_from_bytes(raw, policy=policy.default)
    except Exception as exc:  # the parser itself failed: the bytes are not a message
        raise MailParseError(f"not a MIME message: {type(exc).__name__}: {exc}") from exc
    if not msg.keys():
        raise MailParseError("no headers: this is not an e-mail message")
    senders = _addresses(msg, "From") or _addresses(msg, "Sender")
    name, address = senders[0] if senders else ("", "")
    subject = header(msg, "Subject")
    local, _, domain = address.rpartition("@")
    sender = f"{local}@{domain.lower()}" if address else ""
    parsed = ParsedMail(
        sender=sender,
        sender_name=name,
        subject=subject,
        text="",
        message_id=(_ids(msg, "Message-ID") or [""])[0],
        in_reply_to=_ids(msg, "In-Reply-To"),
        references=_ids(msg, "References"),
        reply_to=[a for _, a in _addresses(msg, "Reply-To")],
        to=[a for h in ("To", "Cc", "Delivered-To") for _, a in _addresses(msg, h)],
        automatic=automatic_reason(msg, subject, sender),
    )
    _read_parts(msg, parsed)
    return parsed


def _walk(msg: Message) -> list[tuple[Message, int]]:
    """The leaf parts, depth first, without recursion (a 100-deep multipart is fine), at most
    ``MAX_PARTS`` and ``MAX_DEPTH`` deep; the rest is counted as skipped by the caller."""
    leaves: list[tuple[Message, int]] = []
    stack: list[tuple[Message, int]] = [(msg, 0)]
    while stack and len(leaves) < MAX_PARTS:
        part, depth = stack.pop()
        if part.is_multipart():
            if depth >= MAX_DEPTH:
                leaves.append((part, depth))  # counted as skipped
                continue
            payload = part.get_payload()
            children = payload if isinstance(payload, list) else [payload]
            stack.extend((c, depth + 1) for c in reversed(children) if isinstance(c, Message))
        else:
            leaves.append((part, depth))
    return leaves


def _payload(part: Message) -> bytes:
    try:
        data = part.get_payload(decode=True)
    except Exception:  # a broken transfer encoding: the undecoded text
        data = None
    if isinstance(data, bytes):
        return data
    raw = part.get_payload()
    return raw.encode("utf-8", "surrogateescape") if isinstance(raw, str) else b""


def _filename(part: Message) -> str:
    try:
        name = part.get_filename() or ""
    except Exception:  # an undecodable file name
        name = ""
    name = _decode_words(str(name)) if "=?" in str(name) else str(name)
    name = clean_text(name).replace("/", "_").replace("\\", "_").strip()
    return name[:200]


_EXTENSIONS = {
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "application/pdf": ".pdf",
    "text/plain": ".txt",
}


def _read_parts(msg: Message, parsed: ParsedMail) -> None:
    plain: list[str] = []
    html: list[str] = []
    for part, depth in _walk(msg):
        if part.is_multipart() or depth >= MAX_DEPTH:
            parsed.skipped_parts += 1
            continue
        content_type = part.get_content_type()
        disposition = (part.get_content_disposition() or "").lower()
        name = _filename(part)
        if content_type in {"text/plain", "text/html"} and disposition != "attachment" and not name:
            text = decode_bytes(_payload(part), part.get_content_charset())
            (plain if content_type == "text/plain" else html).append(text)
            continue
        if not name and not (disposition or part.get("Content-ID")):
            parsed.skipped_parts += 1
            continue
        if not name:  # an inline image referred to by Content-ID
            name = f"inline-{len(parsed.files) + 1}{_EXTENSIONS.get(content_type, '')}"
        parsed.files.append(MailFile(name, content_type, _payload(part)))
    if any(p.strip() for p in plain):
        text = "\n\n".join(p.strip() for p in plain if p.strip())
    else:
        text = "\n\n".join(html_to_text(h) for h in html if h.strip())
    parsed.text = clean_text(text).strip()[:TEXT_MAX]


# --- HTML to text -----------------------------------------------------------------------------
_ALLOWED_TAGS = {
    "a", "b", "blockquote", "br", "div", "em", "h1", "h2", "h3", "h4", "h5", "h6", "i", "li",
    "ol", "p", "pre", "span", "strong", "table", "td", "th", "tr", "u", "ul",
}  # fmt: skip
_BLOCKS = {"p", "div", "blockquote", "pre", "table", "tr", "ul", "ol", "h1", "h2", "h3", "h4",
           "h5", "h6"}  # fmt: skip


class _TextWriter(HTMLParser):
    """Sanitised HTML (only ``_ALLOWED_TAGS`` left) to plain text: blocks become paragraphs,
    <br> a line end, list items "- ", table cells separated by tabs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.out.append("\n")
        elif tag == "li":
            self.out.append("\n- ")
        elif tag in {"td", "th"}:
            self.out.append("\t")
        elif tag in _BLOCKS:
            self.out.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCKS:
            self.out.append("\n\n")

    def handle_data(self, data: str) -> None:
        self.out.append(re.sub(r"\s+", " ", data))

    def text(self) -> str:
        joined = "".join(self.out)
        lines = [" ".join(line.split()) for line in joined.split("\n")]
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def html_to_text(html: str) -> str:
    """The text of an HTML body: first sanitised by nh3 (scripts, styles and every tag or
    attribute not in ``_ALLOWED_TAGS`` removed with their content where they are active), then
    laid out as plain text."""
    safe = nh3.clean(html, tags=_ALLOWED_TAGS, attributes={}, link_rel=None)
    writer = _TextWriter()
    writer.feed(safe)
    writer.close()
    return writer.text()
