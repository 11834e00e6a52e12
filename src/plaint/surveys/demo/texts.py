# ruff: noqa: RUF001 - the demo texts are Ukrainian and Persian on purpose
"""The demo surveys' words in five languages: titles, questions, scale labels, the comments
respondents leave and the notes of a callback."""

from __future__ import annotations

LANGS = ("en", "et", "uk", "sv", "fa")
LANG_WEIGHTS = (0.30, 0.30, 0.15, 0.15, 0.10)

SAT5 = {
    "en": {"1": "Very dissatisfied", "3": "Neither", "5": "Very satisfied"},
    "et": {"1": "Väga rahulolematu", "3": "Ei üht ega teist", "5": "Väga rahul"},
    "uk": {"1": "Дуже незадоволений", "3": "Ні те, ні інше", "5": "Дуже задоволений"},
    "sv": {"1": "Mycket missnöjd", "3": "Varken eller", "5": "Mycket nöjd"},
    "fa": {"1": "بسیار ناراضی", "3": "نه راضی نه ناراضی", "5": "بسیار راضی"},
}
SAT7 = {
    lang: {"1": labels["1"], "4": labels["3"], "7": labels["5"]} for lang, labels in SAT5.items()
}

# The recommend question both demo surveys ask (code, kind, attribute, weight, text).
NPS_QUESTION = (
    "nps",
    "nps",
    "",
    "1",
    {
        "en": "How likely are you to recommend us to a friend or colleague?",
        "et": "Kui tõenäoliselt soovitaksite meid sõbrale või kolleegile?",
        "uk": "Наскільки ймовірно, що ви порекомендуєте нас другові чи колезі?",
        "sv": "Hur troligt är det att du skulle rekommendera oss till en vän eller kollega?",
        "fa": "چقدر احتمال دارد ما را به دوست یا همکار خود توصیه کنید؟",
    },
)

# The options of the demo's single-choice questions, by question code, in five languages.
OPTIONS = {
    "mattered": [
        {
            "code": "outcome",
            "label": {
                "en": "The outcome",
                "et": "Tulemus",
                "uk": "Результат",
                "sv": "Utfallet",
                "fa": "نتیجه",
            },
        },
        {
            "code": "speed",
            "label": {
                "en": "How quickly it went",
                "et": "Kiirus",
                "uk": "Швидкість",
                "sv": "Hur snabbt det gick",
                "fa": "سرعت کار",
            },
        },
        {
            "code": "informed",
            "label": {
                "en": "Being kept informed",
                "et": "Et mind hoiti kursis",
                "uk": "Що мене інформували",
                "sv": "Att jag hölls informerad",
                "fa": "در جریان ماندن",
            },
        },
        {
            "code": "courtesy",
            "label": {
                "en": "Being treated with respect",
                "et": "Lugupidav kohtlemine",
                "uk": "Шанобливе ставлення",
                "sv": "Att bli bemött med respekt",
                "fa": "برخورد محترمانه",
            },
        },
    ]
}

HANDLING_QUESTIONS = [
    # code, kind, attribute, weight, texts
    (
        "overall",
        "rating",
        "",
        "1",
        {
            "en": "Overall, how satisfied are you with the way we handled your complaint?",
            "et": "Kui rahul olete üldiselt sellega, kuidas me teie kaebust menetlesime?",
            "uk": "Загалом, наскільки ви задоволені тим, як ми розглянули вашу скаргу?",
            "sv": "Hur nöjd är du totalt sett med hur vi hanterade ditt klagomål?",
            "fa": "در مجموع از نحوهٔ رسیدگی ما به شکایت‌تان چقدر راضی هستید؟",
        },
    ),
    (
        "speed",
        "rating",
        "speed",
        "3",
        {
            "en": "How satisfied are you with how quickly we handled it?",
            "et": "Kui rahul olete menetluse kiirusega?",
            "uk": "Наскільки ви задоволені швидкістю розгляду?",
            "sv": "Hur nöjd är du med hur snabbt vi hanterade det?",
            "fa": "از سرعت رسیدگی چقدر راضی هستید؟",
        },
    ),
    (
        "fairness",
        "rating",
        "fairness",
        "4",
        {
            "en": "How fair was our decision?",
            "et": "Kui õiglane oli meie otsus?",
            "uk": "Наскільки справедливим було наше рішення?",
            "sv": "Hur rättvist var vårt beslut?",
            "fa": "تصمیم ما چقدر منصفانه بود؟",
        },
    ),
    (
        "clarity",
        "rating",
        "clarity",
        "2",
        {
            "en": "How clearly did we explain what we were doing and why?",
            "et": "Kui selgelt selgitasime, mida ja miks me tegime?",
            "uk": "Наскільки зрозуміло ми пояснили, що і чому робимо?",
            "sv": "Hur tydligt förklarade vi vad vi gjorde och varför?",
            "fa": "چقدر روشن توضیح دادیم که چه می‌کنیم و چرا؟",
        },
    ),
    (
        "courtesy",
        "rating",
        "courtesy",
        "1",
        {
            "en": "How courteous were the people who dealt with you?",
            "et": "Kui viisakad olid teiega suhelnud inimesed?",
            "uk": "Наскільки ввічливими були люди, які з вами спілкувалися?",
            "sv": "Hur artiga var de som hade kontakt med dig?",
            "fa": "کسانی که با شما در ارتباط بودند چقدر مؤدب بودند؟",
        },
    ),
    (
        "solved",
        "yesno",
        "",
        "1",
        {
            "en": "Was your problem solved?",
            "et": "Kas teie probleem sai lahendatud?",
            "uk": "Чи було розв'язано вашу проблему?",
            "sv": "Blev ditt problem löst?",
            "fa": "آیا مشکل شما حل شد؟",
        },
    ),
    (
        "mattered",
        "single",
        "",
        "1",
        {
            "en": "What mattered most to you in how we handled it?",
            "et": "Mis oli menetluse juures teie jaoks kõige olulisem?",
            "uk": "Що для вас було найважливішим у розгляді скарги?",
            "sv": "Vad var viktigast för dig i hur vi hanterade det?",
            "fa": "در نحوهٔ رسیدگی ما، چه چیزی برایتان از همه مهم‌تر بود؟",
        },
    ),
    NPS_QUESTION,
    (
        "effort",
        "ces",
        "",
        "1",
        {
            "en": "How easy was it to get your complaint resolved?",
            "et": "Kui lihtne oli oma kaebusele lahendus saada?",
            "uk": "Наскільки легко було домогтися розв'язання скарги?",
            "sv": "Hur lätt var det att få ditt klagomål löst?",
            "fa": "حل شدن شکایت‌تان چقدر آسان بود؟",
        },
    ),
    (
        "comment",
        "text",
        "",
        "1",
        {
            "en": "What could we have done better?",
            "et": "Mida oleksime saanud paremini teha?",
            "uk": "Що ми могли б зробити краще?",
            "sv": "Vad kunde vi ha gjort bättre?",
            "fa": "چه کاری را می‌توانستیم بهتر انجام دهیم؟",
        },
    ),
]

RELATIONSHIP_QUESTIONS = [
    (
        "overall",
        "rating",
        "",
        "1",
        {
            "en": "Overall, how satisfied are you with us?",
            "et": "Kui rahul olete meiega üldiselt?",
            "uk": "Загалом, наскільки ви задоволені нами?",
            "sv": "Hur nöjd är du med oss totalt sett?",
            "fa": "در مجموع چقدر از ما راضی هستید؟",
        },
    ),
    (
        "reliability",
        "rating",
        "reliability",
        "3",
        {
            "en": "We deliver what we promise.",
            "et": "Me täidame oma lubadused.",
            "uk": "Ми виконуємо те, що обіцяємо.",
            "sv": "Vi levererar det vi lovar.",
            "fa": "ما به وعده‌های خود عمل می‌کنیم.",
        },
    ),
    (
        "value",
        "rating",
        "value",
        "2",
        {
            "en": "Our products are good value for money.",
            "et": "Meie tooted on oma hinda väärt.",
            "uk": "Наші товари варті своїх грошей.",
            "sv": "Våra produkter är prisvärda.",
            "fa": "محصولات ما ارزش پولشان را دارند.",
        },
    ),
    (
        "support",
        "rating",
        "support",
        "2",
        {
            "en": "It is easy to get help when you need it.",
            "et": "Abi on vajadusel lihtne saada.",
            "uk": "Допомогу легко отримати, коли вона потрібна.",
            "sv": "Det är lätt att få hjälp när man behöver det.",
            "fa": "هر وقت لازم باشد، کمک گرفتن آسان است.",
        },
    ),
    NPS_QUESTION,
]

COMMENTS = {
    "en": [
        "It took too long to hear back.",
        "Friendly staff, thank you.",
        "Explain the refund rules better.",
    ],
    "et": [
        "Vastust tuli liiga kaua oodata.",
        "Sõbralik teenindus, aitäh.",
        "Selgitage tagastusreegleid paremini.",
    ],
    "uk": [
        "Відповіді довелося чекати занадто довго.",
        "Привітний персонал, дякую.",
        "Краще поясніть правила повернення.",
    ],
    "sv": [
        "Det tog för lång tid att få svar.",
        "Vänlig personal, tack.",
        "Förklara reglerna för återbetalning bättre.",
    ],
    "fa": [
        "منتظر ماندن برای پاسخ خیلی طول کشید.",
        "کارکنان مهربان بودند، ممنون.",
        "قوانین بازپرداخت را بهتر توضیح دهید.",
    ],
}

CALLBACK_NOTES = {
    "en": "Called back; apologised and explained the decision again.",
    "et": "Helistasin tagasi, vabandasin ja selgitasin otsust uuesti.",
    "uk": "Передзвонили, вибачилися й ще раз пояснили рішення.",
    "sv": "Ringde upp, bad om ursäkt och förklarade beslutet igen.",
    "fa": "تماس گرفتیم، عذرخواهی کردیم و تصمیم را دوباره توضیح دادیم.",
}

HANDLING_TITLE = {
    "en": "How did we handle your complaint?",
    "et": "Kuidas me teie kaebust menetlesime?",
    "uk": "Як ми розглянули вашу скаргу?",
    "sv": "Hur hanterade vi ditt klagomål?",
    "fa": "به شکایت شما چگونه رسیدگی کردیم؟",
}
RELATIONSHIP_TITLE = {
    "en": "How are we doing?",
    "et": "Kuidas meil läheb?",
    "uk": "Як у нас справи?",
    "sv": "Hur går det för oss?",
    "fa": "عملکرد ما چطور است؟",
}
