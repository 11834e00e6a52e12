# ruff: noqa: RUF001 - the policy texts are Ukrainian and Persian prose on purpose
"""Demo data for the policy and training: the complaints-handling policy version 1 published in
all five languages, a version 2 draft (acknowledgement in one business day instead of two), the
courses each role needs and training records in which one is expired and one due soon."""

from __future__ import annotations

import datetime as dt

from plaint.accounts.demo import demo_configurer
from plaint.accounts.models import User
from plaint.core.actors import Actor
from plaint.improvement import services
from plaint.improvement.models_policy import PolicyVersion

TITLE = {
    "en": "Complaints-handling policy",
    "et": "Kaebuste käsitlemise põhimõtted",
    "uk": "Політика розгляду скарг",
    "sv": "Policy för klagomålshantering",
    "fa": "خط‌مشی رسیدگی به شکایات",
}

BODY = {
    "en": """We welcome complaints. A complaint shows us where our service fell short of what we promised, and helps us put it right for you and for everyone after you.

# Our commitments
- Making a complaint is free and easy: on our website, by e-mail, by phone, by letter or at our service desk.
- We confirm that we have your complaint within 2 business days and give you a reference.
- We look into every complaint fairly and objectively, and tell you what we decided and why.
- We aim to give a final answer within 20 business days; if we need longer, we tell you why and when to expect it.
- We keep your personal data confidential and use it only to handle your complaint.

# If you are not satisfied
You may ask for your complaint to be looked at again by someone who was not involved before. If you are still not satisfied, we tell you which independent dispute-resolution body you can turn to.

# Learning from complaints
Every month we analyse complaints to find recurring causes, remove them and check that the change worked. The management reviews this policy and the results at least once a year.""",
    "et": """Ootame kaebusi. Kaebus näitab, kus meie teenus jäi lubatust maha, ja aitab meil vea parandada nii teie kui ka kõigi järgmiste klientide jaoks.

# Meie lubadused
- Kaebuse esitamine on tasuta ja lihtne: veebilehel, e-posti, telefoni või kirja teel või meie teeninduses.
- Kinnitame kaebuse kättesaamist 2 tööpäeva jooksul ja anname sellele viitenumbri.
- Käsitleme iga kaebust õiglaselt ja erapooletult ning ütleme, mida otsustasime ja miks.
- Püüame anda lõpliku vastuse 20 tööpäeva jooksul; kui vajame rohkem aega, ütleme, miks ja millal vastust oodata.
- Hoiame teie isikuandmed konfidentsiaalsena ja kasutame neid ainult kaebuse lahendamiseks.

# Kui te ei ole rahul
Võite paluda, et kaebuse vaataks uuesti läbi keegi, kes sellega varem seotud ei olnud. Kui te ka siis rahule ei jää, ütleme, millise sõltumatu vaidluste lahendamise organi poole saate pöörduda.

# Kaebustest õppimine
Analüüsime kaebusi igal kuul, et leida korduvad põhjused, need kõrvaldada ja kontrollida, kas muudatus toimis. Juhtkond vaatab need põhimõtted ja tulemused üle vähemalt kord aastas.""",
    "uk": """Ми раді скаргам. Скарга показує, де наш сервіс не відповів обіцяному, і допомагає нам виправити це для Вас і для всіх наступних клієнтів.

# Наші зобов’язання
- Подати скаргу безкоштовно й просто: на нашому вебсайті, електронною поштою, телефоном, листом або в нашому центрі обслуговування.
- Ми підтверджуємо отримання скарги протягом 2 робочих днів і повідомляємо її номер.
- Ми розглядаємо кожну скаргу справедливо й неупереджено та пояснюємо, яке рішення ухвалили і чому.
- Ми прагнемо дати остаточну відповідь протягом 20 робочих днів; якщо потрібно більше часу, ми пояснюємо чому і коли чекати відповіді.
- Ми зберігаємо конфіденційність Ваших персональних даних і використовуємо їх лише для розгляду скарги.

# Якщо Ви не задоволені
Ви можете попросити, щоб скаргу переглянула людина, яка раніше не брала участі в її розгляді. Якщо Ви й далі не задоволені, ми повідомимо, до якого незалежного органу з вирішення спорів можна звернутися.

# Навчаємося на скаргах
Щомісяця ми аналізуємо скарги, щоб знайти повторювані причини, усунути їх і перевірити, чи зміни подіяли. Керівництво переглядає цю політику та результати щонайменше раз на рік.""",
    "sv": """Vi välkomnar klagomål. Ett klagomål visar oss var vår service inte höll vad vi lovade, och hjälper oss att rätta till det för dig och för alla som kommer efter dig.

# Våra åtaganden
- Det är gratis och enkelt att klaga: på vår webbplats, per e-post, telefon eller brev eller i vår kundtjänst.
- Vi bekräftar att vi har fått ditt klagomål inom 2 arbetsdagar och ger dig ett ärendenummer.
- Vi utreder varje klagomål rättvist och opartiskt och berättar vad vi beslutat och varför.
- Vi strävar efter att ge ett slutligt svar inom 20 arbetsdagar; behöver vi längre tid berättar vi varför och när du kan vänta dig svar.
- Vi behandlar dina personuppgifter konfidentiellt och använder dem bara för att hantera ditt klagomål.

# Om du inte är nöjd
Du kan be att någon som inte varit inblandad tidigare går igenom ditt klagomål på nytt. Är du fortfarande inte nöjd berättar vi vilket oberoende organ för tvistlösning du kan vända dig till.

# Vi lär oss av klagomål
Varje månad analyserar vi klagomålen för att hitta återkommande orsaker, åtgärda dem och kontrollera att förändringen gav effekt. Ledningen går igenom denna policy och resultaten minst en gång om året.""",
    "fa": """ما از شکایت‌ها استقبال می‌کنیم. هر شکایت نشان می‌دهد که خدمات ما کجا به آنچه وعده داده بودیم نرسیده است و به ما کمک می‌کند آن را برای شما و برای همهٔ مشتریان بعدی اصلاح کنیم.

# تعهدات ما
- ثبت شکایت رایگان و آسان است: در وب‌سایت ما، با ایمیل، تلفن، نامه یا در میز خدمات ما.
- دریافت شکایت شما را ظرف 2 روز کاری تأیید می‌کنیم و یک شمارهٔ پیگیری به شما می‌دهیم.
- به هر شکایت منصفانه و بی‌طرفانه رسیدگی می‌کنیم و به شما می‌گوییم چه تصمیمی گرفتیم و چرا.
- می‌کوشیم پاسخ نهایی را ظرف 20 روز کاری بدهیم؛ اگر به زمان بیشتری نیاز باشد، دلیل آن و زمان پاسخ را به شما اطلاع می‌دهیم.
- اطلاعات شخصی شما را محرمانه نگه می‌داریم و فقط برای رسیدگی به شکایتتان از آن استفاده می‌کنیم.

# اگر راضی نیستید
می‌توانید بخواهید کسی که پیش‌تر در رسیدگی به شکایت شما نقشی نداشته، آن را دوباره بررسی کند. اگر باز هم راضی نبودید، به شما می‌گوییم به کدام نهاد مستقل حل اختلاف می‌توانید مراجعه کنید.

# درس گرفتن از شکایت‌ها
هر ماه شکایت‌ها را تحلیل می‌کنیم تا علت‌های تکراری را پیدا و برطرف کنیم و بسنجیم که تغییر مؤثر بوده است. مدیریت این خط‌مشی و نتایج آن را دست‌کم سالی یک بار بازبینی می‌کند.""",
}

DUTIES: dict[str, dict[str, list[str]]] = {
    "top_management": {
        "en": [
            "Approves this policy and provides the people and means to apply it.",
            "Reviews the results of complaints handling at least once a year and decides on improvements.",
        ],
        "et": [
            "Kinnitab need põhimõtted ning annab nende rakendamiseks inimesed ja vahendid.",
            "Vaatab kaebuste käsitlemise tulemused üle vähemalt kord aastas ja otsustab parendused.",
        ],
        "uk": [
            "Затверджує цю політику й забезпечує людей і ресурси для її виконання.",
            "Щонайменше раз на рік переглядає результати розгляду скарг і ухвалює рішення про вдосконалення.",
        ],
        "sv": [
            "Fastställer denna policy och ger de personer och resurser som behövs för att följa den.",
            "Går igenom resultaten av klagomålshanteringen minst en gång om året och beslutar om förbättringar.",
        ],
        "fa": [
            "این خط‌مشی را تصویب می‌کند و افراد و امکانات لازم برای اجرای آن را فراهم می‌کند.",
            "دست‌کم سالی یک بار نتایج رسیدگی به شکایات را بازبینی می‌کند و دربارهٔ بهبودها تصمیم می‌گیرد.",
        ],
    },
    "manager": {
        "en": [
            "Keeps the complaints process, its promises and this policy up to date.",
            "Makes sure every handler is trained and complaints are assigned fairly.",
            "Opens corrective actions for recurring causes and checks that they worked.",
        ],
        "et": [
            "Hoiab kaebuste käsitlemise protsessi, selle lubadused ja need põhimõtted ajakohasena.",
            "Tagab, et iga käsitleja on koolitatud ja kaebused jagatakse õiglaselt.",
            "Algatab korduvate põhjuste korral parandusmeetmed ja kontrollib nende mõju.",
        ],
        "uk": [
            "Підтримує процес розгляду скарг, його зобов’язання та цю політику в актуальному стані.",
            "Дбає, щоб кожен виконавець пройшов навчання, а скарги розподілялися справедливо.",
            "Відкриває коригувальні дії щодо повторюваних причин і перевіряє їхню дієвість.",
        ],
        "sv": [
            "Håller klagomålsprocessen, dess löften och denna policy aktuella.",
            "Ser till att varje handläggare är utbildad och att klagomål fördelas rättvist.",
            "Startar korrigerande åtgärder mot återkommande orsaker och kontrollerar att de gav effekt.",
        ],
        "fa": [
            "فرایند رسیدگی به شکایات، تعهدات آن و این خط‌مشی را به‌روز نگه می‌دارد.",
            "اطمینان می‌دهد که هر کارشناس آموزش دیده است و شکایت‌ها منصفانه تقسیم می‌شوند.",
            "برای علت‌های تکراری اقدام اصلاحی آغاز می‌کند و اثربخشی آن را می‌سنجد.",
        ],
    },
    "handler": {
        "en": [
            "Acknowledges, investigates and answers complaints within the promised times.",
            "Treats complainants with courtesy and keeps their data confidential.",
            "Records the findings, the decision and the root cause in the case.",
        ],
        "et": [
            "Kinnitab kaebuste kättesaamist, uurib neid ja vastab lubatud aja jooksul.",
            "Suhtleb kaebuse esitajatega viisakalt ja hoiab nende andmed konfidentsiaalsena.",
            "Kirjutab juhtumisse tuvastatu, otsuse ja algpõhjuse.",
        ],
        "uk": [
            "Підтверджує отримання скарг, розслідує їх і відповідає в обіцяні строки.",
            "Ставиться до заявників ввічливо й зберігає конфіденційність їхніх даних.",
            "Записує у справі встановлені факти, рішення та першопричину.",
        ],
        "sv": [
            "Bekräftar, utreder och besvarar klagomål inom utlovad tid.",
            "Bemöter den klagande med respekt och behandlar uppgifterna konfidentiellt.",
            "Dokumenterar utredningen, beslutet och grundorsaken i ärendet.",
        ],
        "fa": [
            "دریافت شکایت‌ها را تأیید می‌کند، آن‌ها را بررسی می‌کند و در زمان وعده‌داده‌شده پاسخ می‌دهد.",
            "با شاکیان محترمانه رفتار می‌کند و اطلاعات آنان را محرمانه نگه می‌دارد.",
            "یافته‌ها، تصمیم و علت ریشه‌ای را در پرونده ثبت می‌کند.",
        ],
    },
    "auditor": {
        "en": ["Audits the complaints process independently at least once a year."],
        "et": ["Auditeerib kaebuste käsitlemise protsessi sõltumatult vähemalt kord aastas."],
        "uk": ["Щонайменше раз на рік незалежно перевіряє процес розгляду скарг."],
        "sv": ["Granskar klagomålsprocessen oberoende minst en gång om året."],
        "fa": ["دست‌کم سالی یک بار فرایند رسیدگی به شکایات را به‌طور مستقل ممیزی می‌کند."],
    },
    "all_staff": {
        "en": ["Passes any complaint they receive to the complaints process on the same day."],
        "et": ["Edastab iga saadud kaebuse kaebuste käsitlemise protsessi samal päeval."],
        "uk": ["Того самого дня передає кожну отриману скаргу до процесу розгляду скарг."],
        "sv": ["Lämnar varje klagomål de tar emot vidare till klagomålsprocessen samma dag."],
        "fa": ["هر شکایتی را که دریافت می‌کند همان روز به فرایند رسیدگی به شکایات می‌سپارد."],
    },
}

# Version 2: acknowledgement within one business day (written in English and Estonian so far).
V2_BODY = {
    "en": BODY["en"].replace("within 2 business days", "within one business day"),
    "et": BODY["et"].replace("2 tööpäeva jooksul", "ühe tööpäeva jooksul"),
}

# name, validity in months (None: for good), the roles that need it
COURSES = [
    ("Complaints handling (ISO 10002)", 24, ["handler", "manager"]),
    ("Personal data protection (GDPR)", 12, ["admin", "manager", "handler", "auditor"]),
    ("Internal auditing of the complaints process", None, ["auditor"]),
    ("Difficult conversations and de-escalation", 36, []),
]
# username, course index, days before today completed; one expired, one due within 60 days
RECORDS = [
    ("handler", 0, 200, "Certificate CH-2207"),
    ("handler", 1, 330, "Intranet course, score 92 %"),  # valid until in about a month: due
    ("handler", 3, 120, ""),
    ("handler2", 0, 790, "Certificate CH-1781"),  # two years and two months ago: expired
    ("handler2", 1, 100, "Intranet course, score 88 %"),
    ("handler3", 0, 60, "Certificate CH-2450"),  # no data-protection course yet: never
    ("manager", 0, 400, "Certificate CH-1950"),
    ("manager", 1, 30, "Intranet course, score 95 %"),
    ("auditor", 1, 90, "Intranet course, score 90 %"),
    ("auditor", 2, 500, "Lead auditor course, certificate IA-311"),
    ("admin", 1, 200, "Intranet course, score 97 %"),
]


def seed_policy_demo(*, now: dt.datetime) -> str:
    boss = demo_configurer()
    if boss is None or PolicyVersion.objects.exists():
        return "policy: skipped"
    actor = Actor.staff(boss)
    first = services.policy_draft_create(
        actor=actor, title=TITLE, body=BODY, responsibilities=DUTIES, change_note="First version."
    )
    services.policy_publish(actor=actor, version=first.version, now=now - dt.timedelta(days=180))
    services.policy_draft_create(
        actor=actor,
        body=V2_BODY,
        change_note="Acknowledgement within one business day instead of two.",
    )
    courses = [
        services.course_create(
            actor=actor, name=name, validity_months=months, required_for=roles, now=now
        )
        for name, months, roles in COURSES
    ]
    people = {u.username: u for u in User.objects.filter(username__in={r[0] for r in RECORDS})}
    recorded = 0
    for username, index, days_ago, evidence in RECORDS:
        if username in people:
            services.training_record(
                actor=actor,
                person_id=people[username].pk,
                course_id=courses[index].pk,
                completed_on=now.date() - dt.timedelta(days=days_ago),
                evidence=evidence,
                now=now,
            )
            recorded += 1
    return f"policy: v1 published, v2 draft; {len(courses)} courses, {recorded} training records"
