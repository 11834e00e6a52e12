# ruff: noqa: RUF001 - the demo texts are Ukrainian and Persian on purpose
"""The demo's reply templates: one for every case and two for a category, in the five languages,
with the placeholders the case page fills in. Written through the services."""

from __future__ import annotations

from plaint.accounts.models import User
from plaint.complaints import services as s
from plaint.complaints.models import Category, ReplyTemplate
from plaint.core.actors import Actor

# name, category code ("" for every case), texts per language
TEMPLATES: list[tuple[str, str, dict[str, str]]] = [
    (
        "We are looking into it",
        "",
        {
            "en": "Dear {name},\n\nthank you for your complaint {reference}. We are looking into "
            "it and will answer by {due_date}.\n\nKind regards,\n{organisation}",
            "et": "Lugupeetud {name}\n\naitäh kaebuse {reference} eest. Uurime asja ja vastame "
            "hiljemalt {due_date}.\n\nParimate soovidega\n{organisation}",
            "uk": "Шановний(а) {name},\n\nдякуємо за скаргу {reference}. Ми її розглядаємо і "
            "відповімо до {due_date}.\n\nЗ повагою,\n{organisation}",
            "sv": "Hej {name},\n\ntack för ditt klagomål {reference}. Vi utreder det och svarar "
            "senast {due_date}.\n\nVänliga hälsningar\n{organisation}",
            "fa": "{name} گرامی،\n\nاز شکایت شما با شماره {reference} سپاسگزاریم. در حال بررسی "
            "آن هستیم و تا {due_date} پاسخ می‌دهیم.\n\nبا احترام،\n{organisation}",
        },
    ),
    (
        "Delivery: we are tracing the parcel",
        "delivery",
        {
            "en": "Dear {name},\n\nwe have asked the carrier to trace your parcel ({reference}). "
            "We will write again as soon as we hear from them, at the latest by {due_date}.",
            "et": "Lugupeetud {name}\n\npalusime vedajal teie paki ({reference}) üles otsida. "
            "Kirjutame kohe, kui vastuse saame, hiljemalt {due_date}.",
            "uk": "Шановний(а) {name},\n\nми попросили перевізника відстежити вашу посилку "
            "({reference}). Напишемо, щойно отримаємо відповідь, не пізніше {due_date}.",
            "sv": "Hej {name},\n\nvi har bett transportören att spåra ditt paket ({reference}). "
            "Vi hör av oss så snart vi får svar, senast {due_date}.",
            "fa": "{name} گرامی،\n\nاز شرکت حمل خواستیم بسته شما ({reference}) را پیگیری کند. "
            "به محض دریافت پاسخ، حداکثر تا {due_date}، به شما خبر می‌دهیم.",
        },
    ),
    (
        "Refund: the money is on its way",
        "refunds",
        {
            "en": "Dear {name},\n\nwe have made the refund for {reference}. It reaches your "
            "account within five working days.\n\n{organisation}",
            "et": "Lugupeetud {name}\n\ntegime kaebuse {reference} eest tagasimakse. See jõuab "
            "teie kontole viie tööpäeva jooksul.\n\n{organisation}",
            "uk": "Шановний(а) {name},\n\nми повернули кошти за {reference}. Вони надійдуть на "
            "ваш рахунок протягом п’яти робочих днів.\n\n{organisation}",
            "sv": "Hej {name},\n\nvi har gjort återbetalningen för {reference}. Den når ditt "
            "konto inom fem arbetsdagar.\n\n{organisation}",
            "fa": "{name} گرامی،\n\nمبلغ مربوط به {reference} بازپرداخت شد و ظرف پنج روز کاری "
            "به حساب شما می‌رسد.\n\n{organisation}",
        },
    ),
]


def reply_templates_setup(manager: User) -> None:
    """The demo templates, once (a second seed leaves them as they are)."""
    actor = Actor.staff(manager)
    for name, code, texts in TEMPLATES:
        if ReplyTemplate.objects.filter(name=name).exists():
            continue
        category = Category.objects.filter(code=code).first() if code else None
        s.reply_template_create(
            actor=actor, name=name, category_id=category.pk if category else None, texts=texts
        )
