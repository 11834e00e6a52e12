# ruff: noqa: RUF001 - the expected texts are Ukrainian and Persian on purpose
"""The et/uk/sv/fa catalogues: pages render translated, the .po files are sound and the .mo current."""

from __future__ import annotations

import datetime as dt
import gettext
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import get_template
from django.test import override_settings
from django.utils import translation

from plaint.complaints.services import complaint_close
from plaint.core.actors import Actor
from plaint.core.errors import InvalidTransition
from plaint.core.locales import one_digit_system
from plaint.core.models import Organisation
from tests.factories import advance, make_complaint

LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
SRC_DIR = LOCALE_DIR.parent
LANGS = ["et", "uk", "sv", "fa"]
NPLURALS = {"et": 2, "uk": 3, "sv": 2, "fa": 2}

# What a complainant reads first, per language: page heading, form legends/labels, the button.
HOME = {
    "et": "Kuidas kaebust esitada",
    "uk": "Як подати скаргу",
    "sv": "Så lämnar du ett klagomål",
    "fa": "نحوه ثبت شکایت",
}
FORM = {
    "et": [
        "Esita kaebus",
        "Teie andmed",
        "Teie nimi",
        "Mis juhtus?",
        "kohustuslik",
        "Saada kaebus",
    ],
    "uk": [
        "Подати скаргу",
        "Про Вас",
        "Ваше ім’я",
        "Що сталося?",
        "обов’язково",
        "Надіслати скаргу",
    ],
    "sv": [
        "Lämna ett klagomål",
        "Om dig",
        "Ditt namn",
        "Vad har hänt?",
        "obligatoriskt",
        "Skicka klagomålet",
    ],
    "fa": ["ثبت شکایت", "درباره شما", "نام شما", "چه اتفاقی افتاده است؟", "الزامی", "ارسال شکایت"],
}
ENGLISH_FORM = ["About you", "Your name", "What happened?", "Send complaint"]

# Files whose texts every complainant sees; each of their msgids must be translated everywhere.
PUBLIC_TEMPLATES = [
    "core/templates/base.html",
    "core/templates/403.html",
    "core/templates/core/error.html",
    "core/templates/core/_field.html",
    "core/templates/core/_error_summary.html",
    *sorted(
        str(p.relative_to(SRC_DIR))
        for folder in (
            "complaints/templates/complaints/public",
            "promises/templates/promises/public",
            "surveys/templates/surveys/public",
            "improvement/templates/improvement/public",
        )
        for p in (SRC_DIR / folder).glob("*.html")
    ),
]


# --- a small .po reader (no polib here) ----------------------------------------------------

_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


def _unquote(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), text)


def read_po(path: Path) -> list[dict]:
    """Entries of a .po file: {'flags', 'msgid', 'msgid_plural', 'msgstr': {index: text}}."""
    entries: list[dict] = []
    entry: dict | None = None
    field: tuple[str, int] | None = None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if entry is not None and entry["msgid"] is not None:
                entries.append(entry)
            entry, field = None, None
            continue
        if entry is None:
            entry = {"flags": set(), "msgid": None, "msgid_plural": None, "msgstr": {}}
        if line.startswith("#,"):
            entry["flags"] |= {f.strip() for f in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        keyword = re.match(r'^(msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+"(.*)"$', line)
        if keyword:
            name, index, text = keyword.groups()
            if name.startswith("msgstr"):
                field = ("msgstr", int(index or 0))
                entry["msgstr"][field[1]] = _unquote(text)
            else:
                field = (name, 0)
                entry[name] = _unquote(text)
            continue
        continuation = re.match(r'^"(.*)"$', line)
        assert continuation and field, f"{path}: unreadable line {line!r}"
        if field[0] == "msgstr":
            entry["msgstr"][field[1]] += _unquote(continuation.group(1))
        else:
            entry[field[0]] += _unquote(continuation.group(1))
    return entries


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / "django.po"


def header(lang: str) -> dict[str, str]:
    first = read_po(po_path(lang))[0]
    assert first["msgid"] == ""
    return dict(line.split(": ", 1) for line in first["msgstr"][0].splitlines() if ": " in line)


_PLACEHOLDER = re.compile(r"%\([A-Za-z_][A-Za-z0-9_]*\)[sdifr]|%[sdifr]|\{[A-Za-z_][A-Za-z0-9_]*\}")


def placeholders(text: str) -> Counter:
    return Counter(_PLACEHOLDER.findall(text.replace("%%", "")))


# --- pages ---------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGS)
def test_language_switcher_translates_the_home_page(client, lang):
    response = client.post("/i18n/setlang/", {"language": lang, "next": "/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == lang
    body = client.get("/").content.decode()
    direction = "rtl" if lang == "fa" else "ltr"
    assert f'<html lang="{lang}" dir="{direction}">' in body
    assert HOME[lang] in body
    assert "How to complain" not in body
    assert "What happens next" not in body


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGS)
def test_complaint_form_is_translated_for_the_language_cookie(client, lang):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    response = client.get("/complain/")
    body = response.content.decode()
    assert response.status_code == 200
    for text in FORM[lang]:
        assert text in body, text
    for text in ENGLISH_FORM:
        assert text not in body, text
    # the reply language defaults to the page language
    assert re.search(rf'<option value="{lang}"[^>]*selected', body)


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGS)
def test_browser_language_is_honoured_without_a_choice(client, lang):
    body = client.get("/complain/", HTTP_ACCEPT_LANGUAGE=f"{lang},en;q=0.5").content.decode()
    assert FORM[lang][0] in body


CODES = {
    "et": "Meie käitumisjuhendid",
    "uk": "Наші кодекси поведінки",
    "sv": "Våra uppförandekoder",
    "fa": "آیین\u200cنامه\u200cهای رفتاری ما",
}


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGS)
def test_public_codes_of_conduct_page_is_translated(client, lang):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    body = client.get("/codes/").content.decode()
    assert f"<h1>{CODES[lang]}</h1>" in body
    assert "Our codes of conduct" not in body


@pytest.mark.django_db
def test_form_errors_come_in_the_chosen_language(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "uk"
    response = client.post("/complain/", {"name": "", "description": "", "website": ""})
    body = response.content.decode()
    assert response.status_code == 422
    assert "Виникла проблема" in body  # error summary heading
    assert "Для розгляду скарги нам потрібна Ваша згода" in body  # the consent error


@pytest.mark.django_db
def test_only_the_persian_page_is_right_to_left(client):
    for lang in ["en", *LANGS]:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
        body = client.get("/complain/").content.decode()
        assert f'dir="{"rtl" if lang == "fa" else "ltr"}"' in body


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("days", "expected"),
    [
        (1, "протягом 1 робочого дня"),
        (3, "протягом 3 робочих днів"),
        (5, "протягом 5 робочих днів"),
        (21, "протягом 21 робочого дня"),
    ],
)
def test_ukrainian_plural_forms_follow_the_number(client, days, expected):
    Organisation.objects.create(
        name="Київхліб", acknowledgement_business_days=days, response_business_days=30
    )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "uk"
    body = client.get("/").content.decode()
    assert f"Ми підтвердимо отримання Вашої скарги {expected}." in body


@pytest.mark.django_db
@pytest.mark.parametrize(("days", "word"), [(1, "день"), (3, "дні"), (11, "днів"), (22, "дні")])
def test_ukrainian_days_take_three_forms(client, days, word):
    Organisation.objects.create(name="Київхліб", no_answer_close_days=days)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "uk"
    body = client.get("/").content.decode()
    assert f"ми закриємо скаргу через {days} {word}." in body


VALID = {
    "name": "Mari Maasikas",
    "email": "mari@example.org",
    "phone": "",
    "language": "et",
    "preferred_channel": "email",
    "description": "The parcel arrived two weeks late.",
    "consent": "on",
    "website": "",
}
# What a service raises on the complaint form, in the page's language: the intake's field errors
# and the upload check naming the file and the allowed types.
SERVICE_ERRORS = {
    "et": {
        "phone": "Kasutage ainult numbreid, tühikuid ja märke + - ( ), kõige rohkem 40 tähemärki.",
        "upload": "„setup.exe“ ei ole lubatud failitüüpi. Lubatud: .docx,",
        "email": "Soovisite vastust e-postiga: palun sisestage e-posti aadress.",
    },
    "fa": {
        "phone": "فقط از رقم، فاصله و + - ( ) استفاده کنید، حداکثر 40 نویسه.",
        "upload": "نوع پروندهٔ «setup.exe» مجاز نیست. مجاز: .docx,",
        "email": "شما پاسخ از راه ایمیل خواسته‌اید: لطفاً نشانی ایمیل را وارد کنید.",
    },
}


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["et", "fa"])
def test_intake_validation_errors_come_in_the_page_language(client, lang):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    response = client.post(
        "/complain/", {**VALID, "phone": "call me maybe", "email": "", "preferred_channel": "email"}
    )
    body = response.content.decode()
    assert response.status_code == 422
    assert SERVICE_ERRORS[lang]["phone"] in body
    assert SERVICE_ERRORS[lang]["email"] in body
    assert "Use digits" not in body
    assert "You asked for" not in body


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["et", "fa"])
def test_upload_errors_come_in_the_page_language(client, lang):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    exe = SimpleUploadedFile("setup.exe", b"MZ\x90\x00binary", content_type="application/x-exe")
    response = client.post("/complain/", {**VALID, "attachments": [exe]})
    body = response.content.decode()
    assert response.status_code == 422
    assert SERVICE_ERRORS[lang]["upload"] in body
    assert "is not an allowed kind" not in body


@pytest.mark.django_db
@override_settings(PUBLIC_RATE_LIMIT_PER_HOUR=1)
def test_too_many_attempts_is_said_in_the_page_language(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "uk"
    # at the start of the hour's window: 60 minutes to wait, the third Ukrainian plural form
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC), tick=False):
        assert client.post("/complain/", {**VALID, "name": ""}).status_code == 422
        response = client.post("/complain/", VALID)
    body = response.content.decode()
    assert response.status_code == 429
    assert "Забагато спроб з Вашої адреси. Будь ласка, спробуйте ще раз через 60 хвилин." in body
    assert "Too many attempts" not in body
    # within the last minute, in seconds: 22 takes the second form
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, 59, 38, tzinfo=dt.UTC), tick=False):
        body = client.post("/complain/", VALID).content.decode()
    assert "Будь ласка, спробуйте ще раз через 22 секунди." in body


def test_server_error_page_speaks_every_language_without_a_context():
    body = get_template("500.html").render()
    assert "Something went wrong on our side" in body
    for lang, text in {
        "et": "Meie poolel läks midagi valesti",
        "uk": "На нашому боці сталася помилка",
        "sv": "Något gick fel hos oss",
        "fa": "مشکلی در سمت ما پیش آمد",
    }.items():
        direction = "rtl" if lang == "fa" else "ltr"
        assert re.search(rf'<section lang="{lang}" dir="{direction}"><h2>{text}</h2>', body)


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["en", *LANGS])
def test_language_switcher_names_each_language_in_itself(client, lang):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    body = client.get("/").content.decode()
    for code, name in [
        ("en", "English"),
        ("et", "Eesti"),
        ("uk", "Українська"),
        ("sv", "Svenska"),
        ("fa", "فارسی"),
    ]:
        assert re.search(rf'<option value="{code}" lang="{code}"[^>]*>{name}</option>', body)
    assert "Англійська" not in body and "Inglise" not in body


# --- the catalogues ------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_header_names_the_language_charset_and_plural_rule(lang):
    fields = header(lang)
    assert fields["Language"] == lang
    assert fields["Content-Type"] == "text/plain; charset=UTF-8"
    assert f"nplurals={NPLURALS[lang]};" in fields["Plural-Forms"]
    assert "fuzzy" not in read_po(po_path(lang))[0]["flags"]


@pytest.mark.parametrize("lang", LANGS)
def test_po_compiles_with_msgfmt_check_format(lang, tmp_path):
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("msgfmt (gettext) is not installed")
    result = subprocess.run(
        [
            msgfmt,
            "--check-format",
            "--check-header",
            "-o",
            str(tmp_path / "x.mo"),
            str(po_path(lang)),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("lang", LANGS)
def test_committed_mo_matches_the_po(lang, tmp_path):
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("msgfmt (gettext) is not installed")
    fresh = tmp_path / "django.mo"
    subprocess.run([msgfmt, "--check-format", "-o", str(fresh), str(po_path(lang))], check=True)
    shipped = po_path(lang).with_suffix(".mo")
    assert shipped.exists(), f"{shipped} missing: run compilemessages"
    # compare what gettext reads, not bytes: another msgfmt version may lay the file out differently
    assert _mo_catalog(shipped) == _mo_catalog(fresh), f"{shipped} is stale: run compilemessages"


def _mo_catalog(path: Path) -> dict:
    with path.open("rb") as handle:
        return dict(gettext.GNUTranslations(handle)._catalog)


@pytest.mark.parametrize("lang", LANGS)
def test_no_translation_loses_or_adds_a_placeholder(lang):
    problems = []
    for entry in read_po(po_path(lang))[1:]:
        if entry["msgid_plural"] is None:
            translated = entry["msgstr"].get(0, "")
            if translated and placeholders(translated) != placeholders(entry["msgid"]):
                problems.append((entry["msgid"], translated))
            continue
        assert sorted(entry["msgstr"]) == list(range(NPLURALS[lang])), entry["msgid"]
        wanted = (placeholders(entry["msgid"]), placeholders(entry["msgid_plural"]))
        for translated in entry["msgstr"].values():
            if translated and placeholders(translated) not in wanted:
                problems.append((entry["msgid_plural"], translated))
    assert problems == []


@pytest.mark.parametrize("lang", LANGS)
def test_catalogue_entries_write_digits_0_to_9(lang):
    """docs/translating.md: one digit system, 0-9, in every language. A Persian entry that wrote
    "۹۵٪" put two systems in one line beside the numbers Plaint fills in ("بازهٔ اطمینان ۹۵٪: 0%
    تا 79%")."""
    mixed = [
        (entry["msgid"], text)
        for entry in read_po(po_path(lang))[1:]
        for text in entry["msgstr"].values()
        if one_digit_system(text) != text
    ]
    assert mixed == []


@pytest.mark.parametrize("lang", LANGS)
def test_no_entry_is_fuzzy_or_half_translated(lang):
    for entry in read_po(po_path(lang))[1:]:
        assert "fuzzy" not in entry["flags"], entry["msgid"]
        values = list(entry["msgstr"].values())
        assert all(values) or not any(values), f"{entry['msgid']!r}: some plural forms empty"


def _template_msgids(path: Path) -> set[str]:
    """The msgids makemessages takes from a template (``%`` doubled, ``trimmed`` collapsed)."""
    text = path.read_text(encoding="utf-8")
    found = {
        m.group(2).replace("%", "%%") for m in re.finditer(r"{%\s*translate\s+([\"'])(.*?)\1", text)
    }
    pattern = r"{%\s*blocktranslate\b([^%]*)%}(.*?){%\s*(?:plural|endblocktranslate)\s*%}"
    for options, block in re.findall(pattern, text, re.S):
        msgid = re.sub(r"{{\s*(\w+)\s*}}", r"%(\1)s", block.replace("%", "%%"))
        if "trimmed" in options:
            msgid = " ".join(msgid.split())
        found.add(msgid)
    return found


@pytest.mark.parametrize("lang", LANGS)
def test_every_public_page_text_is_translated(lang):
    translated = {
        e["msgid"] for e in read_po(po_path(lang))[1:] if e["msgstr"] and all(e["msgstr"].values())
    }
    wanted = {
        (template, msgid)
        for template in PUBLIC_TEMPLATES
        for msgid in _template_msgids(SRC_DIR / template)
    }
    assert len(wanted) > 80  # the extraction itself works
    assert {(t, m) for t, m in wanted if m not in translated} == set()


def test_template_extraction_matches_makemessages():
    msgids = _template_msgids(SRC_DIR / "complaints/templates/complaints/public/home.html")
    assert "What happens next" in msgids
    assert "How to complain to %(name)s" in msgids
    assert "We confirm that we have your complaint within %(days)s business day." in msgids


# The formats a template may write a date in: each language defines them once (Django's, or
# src/plaint/core/formats/<language>/formats.py); docs/translating.md, "Dates, times and numbers".
NAMED_DATE_FORMATS = {
    "DATE_FORMAT",
    "DATETIME_FORMAT",
    "SHORT_DATE_FORMAT",
    "SHORT_DATETIME_FORMAT",
    "YEAR_MONTH_FORMAT",
    "MONTH_DAY_FORMAT",
    "TIME_FORMAT",
    "D",  # the day of the week's name, a word the catalogue translates ("Mon", "E")
    "l",
}
# ``|date:"…"`` (Django) and ``|date("…")`` / ``|local_date("…")`` (Jinja2) with a literal format
DATE_IN_TEMPLATE = re.compile(r"""\|\s*(?:local_)?date\s*[:(]\s*(["'])([^"']*)\1""")
# a machine-read value (a form field's value, a <time datetime>) is written in ISO on purpose
IN_MACHINE_ATTRIBUTE = re.compile(r"""\b(?:value|datetime)=["']\{\{[^}]*$""")


def test_templates_write_dates_in_the_languages_own_formats():
    """A page, PDF or mail never writes a date in a pattern of its own ("Y-m-d" read
    "2026-12-03" on an Estonian dispute page, where the case page writes "03.12.2026")."""
    found, checked = [], 0
    for path in sorted(SRC_DIR.rglob("*")):
        if path.suffix not in {".html", ".txt"} or not {"templates", "jinja2"} & set(path.parts):
            continue
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"{#.*?#}", lambda c: "\n" * c.group(0).count("\n"), text, flags=re.S)
        for match in DATE_IN_TEMPLATE.finditer(text):
            checked += 1
            before = text[max(0, match.start() - 200) : match.start()]
            if match.group(2) in NAMED_DATE_FORMATS or IN_MACHINE_ATTRIBUTE.search(before):
                continue
            line = text.count("\n", 0, match.start()) + 1
            found.append(f"{path.relative_to(SRC_DIR)}:{line}: {match.group(0)}")
    assert checked > 100  # the scan itself reads the templates
    assert found == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lang", "days", "expected"),
    [
        ("uk", 21, "Заявник має 21 день на відповідь. Залишився 21 день."),
        ("uk", 3, "Заявник має 3 дні на відповідь. Залишилося 3 дні."),
        ("et", 1, "Kaebuse esitajal on vastamiseks 1 päev. Jäänud on 1 päev."),
        ("fa", 14, "شاکی 14 روز برای پاسخ دادن فرصت دارد. 14 روز باقی مانده است."),
        ("sv", 14, "Den klagande har 14 dagar på sig att svara. 14 dagar återstår."),
    ],
)
def test_a_refused_step_counts_days_in_the_language_of_the_request(handler, lang, days, expected):
    Organisation.objects.create(name="Plaint", no_answer_close_days=days)
    complaint = advance(make_complaint()[0], "decision_communicated", by=handler)
    with translation.override(lang), pytest.raises(InvalidTransition) as refused:
        complaint_close(complaint_id=complaint.pk, actor=Actor.staff(handler), reason="no_answer")
    assert refused.value.message == expected
