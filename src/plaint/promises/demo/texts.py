# ruff: noqa: RUF001 - the demo texts are Ukrainian and Persian on purpose
"""The demo code of conduct's title and promises, in five languages."""

from __future__ import annotations

TITLE = {
    "en": "Our promises to customers",
    "et": "Meie lubadused klientidele",
    "uk": "Наші зобов'язання перед клієнтами",
    "sv": "Våra löften till kunderna",
    "fa": "تعهدات ما به مشتریان",
}
PROMISES = [
    {
        "key": "acknowledge",
        "texts": {
            "en": "We confirm that we have your complaint within 2 business days.",
            "et": "Kinnitame teie kaebuse kättesaamist 2 tööpäeva jooksul.",
            "uk": "Ми підтверджуємо отримання вашої скарги протягом 2 робочих днів.",
            "sv": "Vi bekräftar att vi har fått ditt klagomål inom 2 arbetsdagar.",
            "fa": "دریافت شکایت شما را ظرف ۲ روز کاری تأیید می‌کنیم.",
        },
        "clock": "received_to_acknowledged",
        "limit_amount": 2,
        "limit_unit": "business_days",
        "pauses_while_waiting": False,
        "target_rate": "0.95",
    },
    {
        "key": "decide",
        "texts": {
            "en": "We send you our decision within 20 business days.",
            "et": "Saadame teile oma otsuse 20 tööpäeva jooksul.",
            "uk": "Ми надсилаємо вам наше рішення протягом 20 робочих днів.",
            "sv": "Vi skickar vårt beslut inom 20 arbetsdagar.",
            "fa": "تصمیم خود را ظرف ۲۰ روز کاری برای شما می‌فرستیم.",
        },
        "clock": "received_to_decision",
        "limit_amount": 20,
        "limit_unit": "business_days",
        "pauses_while_waiting": True,
        "target_rate": "0.9",
        "conditions": "The time stops while we wait for information we asked you for.",
    },
    {
        "key": "remedy",
        "texts": {
            "en": "We carry out the agreed remedy within 10 days of our decision.",
            "et": "Täidame kokkulepitud heastamise 10 päeva jooksul pärast otsust.",
            "uk": "Ми виконуємо погоджене відшкодування протягом 10 днів після рішення.",
            "sv": "Vi genomför den överenskomna gottgörelsen inom 10 dagar efter beslutet.",
            "fa": "جبران توافق‌شده را ظرف ۱۰ روز پس از تصمیم انجام می‌دهیم.",
        },
        "clock": "decision_to_remedy",
        "limit_amount": 10,
        "limit_unit": "calendar_days",
        "target_rate": "0.9",
    },
]
