# ruff: noqa: RUF001 - the demo texts are Ukrainian and Persian on purpose
"""The demo's complainants: names in five languages (as written, and in Latin letters for the
e-mail address), phone prefixes, and the complaint form as each of them fills it in."""

from __future__ import annotations

import random
import unicodedata

from plaint.complaints import services as s
from plaint.complaints.demo.scenarios import Scenario
from plaint.complaints.models import Channel, ContactChannel

# (name as written, Latin spelling for the e-mail address)
NAMES: dict[str, tuple[list[tuple[str, str]], list[tuple[str, str]]]] = {
    "en": (
        [
            (n, n)
            for n in [
                "Oliver",
                "Amelia",
                "Harry",
                "Isla",
                "George",
                "Emily",
                "Jack",
                "Sophie",
                "Thomas",
                "Grace",
                "James",
                "Chloe",
            ]
        ],
        [
            (n, n)
            for n in [
                "Smith",
                "Jones",
                "Taylor",
                "Brown",
                "Williams",
                "Wilson",
                "Evans",
                "Thomas",
                "Roberts",
                "Walker",
                "Wright",
                "Hughes",
            ]
        ],
    ),
    "et": (
        [
            (n, n)
            for n in [
                "Mari",
                "Jüri",
                "Kadri",
                "Tõnu",
                "Liis",
                "Andres",
                "Piret",
                "Märt",
                "Kristiina",
                "Rein",
                "Helena",
                "Priit",
            ]
        ],
        [
            (n, n)
            for n in [
                "Tamm",
                "Saar",
                "Sepp",
                "Mägi",
                "Kask",
                "Kukk",
                "Rebane",
                "Ilves",
                "Pärn",
                "Koppel",
                "Lepik",
                "Õunapuu",
            ]
        ],
    ),
    "uk": (
        [
            ("Олена", "Olena"),
            ("Андрій", "Andrii"),
            ("Ірина", "Iryna"),
            ("Тарас", "Taras"),
            ("Наталія", "Nataliia"),
            ("Олексій", "Oleksii"),
            ("Марія", "Mariia"),
            ("Дмитро", "Dmytro"),
            ("Юлія", "Yuliia"),
            ("Богдан", "Bohdan"),
            ("Оксана", "Oksana"),
            ("Сергій", "Serhii"),
        ],
        [
            ("Коваленко", "Kovalenko"),
            ("Шевченко", "Shevchenko"),
            ("Бондаренко", "Bondarenko"),
            ("Ткаченко", "Tkachenko"),
            ("Кравченко", "Kravchenko"),
            ("Мельник", "Melnyk"),
            ("Поліщук", "Polishchuk"),
            ("Бойко", "Boiko"),
            ("Савчук", "Savchuk"),
            ("Левченко", "Levchenko"),
            ("Гнатюк", "Hnatiuk"),
            ("Романюк", "Romaniuk"),
        ],
    ),
    "sv": (
        [
            (n, n)
            for n in [
                "Erik",
                "Anna",
                "Lars",
                "Karin",
                "Johan",
                "Maria",
                "Anders",
                "Elin",
                "Per",
                "Sara",
                "Nils",
                "Åsa",
            ]
        ],
        [
            (n, n)
            for n in [
                "Andersson",
                "Johansson",
                "Karlsson",
                "Nilsson",
                "Eriksson",
                "Larsson",
                "Lindqvist",
                "Sjöberg",
                "Berg",
                "Holm",
                "Lindström",
                "Ekström",
            ]
        ],
    ),
    "fa": (
        [
            ("مریم", "Maryam"),
            ("علی", "Ali"),
            ("زهرا", "Zahra"),
            ("رضا", "Reza"),
            ("فاطمه", "Fatemeh"),
            ("محمد", "Mohammad"),
            ("نگار", "Negar"),
            ("حسین", "Hossein"),
            ("سارا", "Sara"),
            ("امیر", "Amir"),
            ("لیلا", "Leila"),
            ("مهدی", "Mahdi"),
        ],
        [
            ("احمدی", "Ahmadi"),
            ("حسینی", "Hosseini"),
            ("رضایی", "Rezaei"),
            ("کریمی", "Karimi"),
            ("محمدی", "Mohammadi"),
            ("موسوی", "Mousavi"),
            ("جعفری", "Jafari"),
            ("رحیمی", "Rahimi"),
            ("صادقی", "Sadeghi"),
            ("نوری", "Nouri"),
            ("کاظمی", "Kazemi"),
            ("تهرانی", "Tehrani"),
        ],
    ),
}
PHONE_PREFIX = {
    "en": "+44 7700 9",
    "et": "+372 5",
    "uk": "+380 67 ",
    "sv": "+46 70 ",
    "fa": "+98 912 ",
}
MAIL_DOMAINS = ["example.org", "example.com", "example.net", "mail.example"]

PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def complaint_input(
    rng: random.Random, language: str, channel: str, scenario: Scenario
) -> s.ComplaintInput:
    """A complainant of ``language`` filing ``scenario`` on ``channel``, with the contact details
    people give on that channel."""
    firsts, lasts = NAMES[language]
    (first, first_latin), (last, last_latin) = rng.choice(firsts), rng.choice(lasts)
    order = str(rng.randint(40000, 69999))
    if language == "fa":
        order = order.translate(PERSIAN_DIGITS)
    email = (
        f"{_ascii(first_latin)}.{_ascii(last_latin)}{rng.randint(1, 99)}@{rng.choice(MAIL_DOMAINS)}"
    )
    phone = PHONE_PREFIX[language] + "".join(str(rng.randint(0, 9)) for _ in range(7))
    preferred = ContactChannel.EMAIL
    if channel == Channel.LETTER:
        email, phone, preferred = "", "", ContactChannel.LETTER
    elif channel in {Channel.PHONE, Channel.IN_PERSON}:
        if rng.random() < 0.4:
            email, preferred = "", ContactChannel.PHONE
    elif rng.random() > 0.3:
        phone = ""
    return s.ComplaintInput(
        name=f"{first} {last}",
        email=email,
        phone=phone,
        language=language,
        preferred_channel=preferred,
        subject=scenario.subject,
        description=scenario.description.format(order=order),
        desired_outcome=scenario.desired_outcome,
        product=scenario.product,
        category=scenario.category if channel in {Channel.WEB, Channel.API} else "",
        consent=True,
        about_process=scenario.category == "complaints-process",
    )
