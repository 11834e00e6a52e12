"""The parser on its own: what it reads from awkward mails, and a fuzz test — any bytes give a
``ParsedMail`` or a ``MailParseError``, never another exception."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plaint.mailin.language import detect_language
from plaint.mailin.parsing import MailParseError, ParsedMail, html_to_text, parse_mail
from tests.mailin.corpus import TEXTS, deep_multipart


def test_html_is_sanitised_then_laid_out_as_text():
    html = (
        "<style>p{}</style><script>alert('x')</script><h1>Title</h1><p>One <b>bold</b> word"
        "<br>next line</p><ul><li>first<li>second</ul><img src=x onerror=alert(1)>"
    )
    assert html_to_text(html) == "Title\n\nOne bold word\nnext line\n\n- first\n- second"


def test_a_sender_like_a_angle_b_at_c_is_not_an_address():
    parsed = parse_mail(b"From: a <b@c\r\nSubject: x\r\n\r\nBody\r\n")
    assert parsed.sender == ""
    assert parsed.text == "Body"


def test_a_100_deep_multipart_is_read_without_recursion_errors():
    parsed = parse_mail(b"From: d@example.org\r\n" + deep_multipart(100))
    assert parsed.sender == "d@example.org"
    assert parsed.skipped_parts >= 1  # below MAX_DEPTH it is not searched


def test_each_language_is_told_apart_by_its_letters():
    assert {lang: detect_language(text) for lang, text in TEXTS.items()} == {
        lang: lang for lang in TEXTS
    }
    assert detect_language("") == "en"


HEADER_NAMES = ["From", "To", "Subject", "Message-ID", "In-Reply-To", "References", "Reply-To",
                "Content-Type", "Content-Transfer-Encoding", "Content-Disposition", "Auto-Submitted",
                "MIME-Version", "Date"]  # fmt: skip
ODD_VALUES = [
    "=?utf-8?Q?broken", "=?koi8-u?B?====?=", "multipart/mixed; boundary=", 'text/plain; charset="x"',
    "base64", "quoted-printable", "<a@b>", "a <b@c", "", "\x00", "attachment; filename*=utf-8''%ff",
    "multipart/alternative; boundary=b", "message/rfc822", "text/html; charset=utf-16",
]  # fmt: skip
header = st.tuples(
    st.sampled_from(HEADER_NAMES),
    st.one_of(st.sampled_from(ODD_VALUES), st.text(max_size=40)),
).map(lambda kv: f"{kv[0]}: {kv[1]}".encode("utf-8", "surrogatepass"))
body = st.one_of(
    st.binary(max_size=300),
    st.lists(
        st.one_of(
            st.sampled_from([b"--b", b"--b--", b"\r\n", b"=C3=", b"PGI+"]), st.binary(max_size=20)
        ),
        max_size=30,
    ).map(b"".join),
)
mails = st.one_of(
    st.binary(max_size=500),
    st.tuples(st.lists(header, max_size=12), body).map(
        lambda hb: b"\r\n".join(hb[0]) + b"\r\n\r\n" + hb[1]
    ),
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mails)
def test_any_bytes_parse_or_fail_with_a_parse_error(raw):
    try:
        parsed = parse_mail(raw)
    except MailParseError as exc:
        assert str(exc)
        return
    assert isinstance(parsed, ParsedMail)
    assert "\x00" not in parsed.text and "\x00" not in parsed.subject
    assert parsed.sender == "" or "@" in parsed.sender
    detect_language(parsed.text)
