# ruff: noqa: RUF001 - the demo texts are Ukrainian and Persian on purpose
"""Demo data for ``plaint demo``: an organisation, its staff, and a few hundred complaints in five
languages, spread over every lifecycle state.

Everything is written through the services, so the demo's audit chains, outbox mails and due dates
are real. Receipt times are spread over the last six months, and each later step happens at a
plausible time after the one before (never after "now"), so clocks, promises and durations look real.
Deterministic for a given seed, apart from secret tokens.
"""

from __future__ import annotations

import datetime as dt
import random
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypedDict
from zoneinfo import ZoneInfo

import time_machine
from django.db import transaction
from django.utils import timezone

from plaint.accounts.models import User
from plaint.accounts.services import team_create, user_create
from plaint.complaints import services as s
from plaint.complaints.models import Category, Channel, Complaint, ContactChannel
from plaint.complaints.states import DisputeOutcome, State
from plaint.core.actors import Actor
from plaint.core.selectors import organisation_get
from plaint.core.services import organisation_update

DEMO_PASSWORD = "plaint-demo"  # noqa: S105 - printed by `plaint demo` and listed in the README
DEMO_SEED = 10002

# username, role, first name, last name, language, team
DEMO_USERS = [
    ("admin", "admin", "Ada", "Lepik", "en", ""),
    ("manager", "manager", "Maria", "Tamm", "et", "Customer care"),
    ("handler", "handler", "Kadri", "Kask", "et", "Customer care"),
    ("handler2", "handler", "Taras", "Melnyk", "uk", "Delivery"),
    ("handler3", "handler", "Sara", "Lindqvist", "sv", "Billing"),
    ("auditor", "auditor", "Aino", "Virtanen", "en", ""),
]

ORGANISATION = {
    "name": "Polaris Home & Electronics AS",
    "country": "EE",
    "timezone": "Europe/Tallinn",
    "contact_email": "complaints@polaris.example",
    "contact_phone": "+372 600 1234",
}

# code, name, team
CATEGORIES = [
    ("delivery", "Delivery", "Delivery"),
    ("billing", "Billing and invoices", "Billing"),
    ("staff-conduct", "Staff conduct", "Customer care"),
    ("product-quality", "Product quality", "Customer care"),
    ("refunds", "Refunds", "Billing"),
    ("website", "Website and payments", "Customer care"),
    ("privacy", "Personal data and privacy", "Customer care"),
    ("complaints-process", "Complaints handling", "Customer care"),
]

LANGUAGE_WEIGHTS = {"en": 30, "et": 25, "uk": 15, "sv": 15, "fa": 15}
CHANNEL_WEIGHTS = {
    Channel.WEB: 45,
    Channel.EMAIL: 20,
    Channel.PHONE: 14,
    Channel.API: 10,
    Channel.LETTER: 6,
    Channel.IN_PERSON: 5,
}
INFORMATION_REQUEST = {
    "en": "Could you send us the order number and a photo of the problem?",
    "et": "Palun saatke meile tellimuse number ja foto probleemist.",
    "uk": "Будь ласка, надішліть нам номер замовлення та фото проблеми.",
    "sv": "Kan du skicka ordernumret och ett foto av problemet?",
    "fa": "لطفاً شمارهٔ سفارش و عکسی از مشکل را برای ما بفرستید.",
}
# Share of each final state; "closed" takes what is left.
STATE_SHARES = {
    State.RECEIVED: 0.04,
    State.ACKNOWLEDGED: 0.08,
    State.ASSESSED: 0.06,
    State.INVESTIGATING: 0.10,
    State.RESPONSE_PROPOSED: 0.05,
    State.DECISION_COMMUNICATED: 0.08,
    State.INTERNAL_REVIEW: 0.04,
    State.ACCEPTED: 0.05,
    State.REFERRED_EXTERNAL: 0.04,
    State.OUT_OF_SCOPE: 0.06,
    State.WAITING_ON_COMPLAINANT: 0.03,
}
# How far along the lifecycle a state is: newer complaints get the earlier states.
STAGE = {
    State.RECEIVED: 0,
    State.ACKNOWLEDGED: 1,
    State.ASSESSED: 2,
    State.INVESTIGATING: 3,
    State.WAITING_ON_COMPLAINANT: 3,
    State.RESPONSE_PROPOSED: 4,
    State.DECISION_COMMUNICATED: 5,
    State.INTERNAL_REVIEW: 6,
    State.ACCEPTED: 6,
    State.REFERRED_EXTERNAL: 7,
    State.CLOSED: 8,
}
# Channels whose complaints are not acknowledged automatically, so they can stay "received".
UNACKNOWLEDGED_CHANNELS = [Channel.PHONE, Channel.LETTER, Channel.IN_PERSON, Channel.EMAIL]


@dataclass(frozen=True)
class Scenario:
    category: str
    subject: str
    description: str
    desired_outcome: str
    product: str = ""


# --- people -------------------------------------------------------------------------------------
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

# --- what people complain about -----------------------------------------------------------------
# "{order}" is replaced with an order number.
SCENARIOS: dict[str, list[Scenario]] = {
    "en": [
        Scenario(
            "delivery",
            "Order delivered nine days late",
            "I ordered a washing machine (order {order}) with delivery promised for Tuesday the "
            "14th. Nobody came and nobody called. The courier finally arrived nine days later, and "
            "only after I had called your customer service three times. I took two days off work "
            "for nothing.",
            "Refund the delivery fee and compensate me for the days off work.",
            "Washing machine W7",
        ),
        Scenario(
            "delivery",
            "Parcel arrived crushed, kettle dented",
            "The courier handed over a parcel whose box was completely crushed on one side. The "
            "kettle inside is dented and the lid does not close. I took photos straight away, with "
            "the courier still there.",
            "Please send a new kettle.",
            "Kettle K-200",
        ),
        Scenario(
            "delivery",
            "Wrong item delivered",
            "I ordered a black office chair Ergo (order {order}) and received a white bar stool "
            "instead. The return label in the box is made out to another customer.",
            "Collect the wrong item and deliver what I ordered.",
            "Office chair Ergo",
        ),
        Scenario(
            "billing",
            "Invoice charges for two chairs, I ordered one",
            "I ordered one office chair Ergo, but the invoice lists two chairs, 358 euros in total. "
            "Only one chair was delivered. The invoice is due next week.",
            "Correct the invoice and refund the difference if it has already been taken.",
            "Office chair Ergo",
        ),
        Scenario(
            "billing",
            "Charged twice for the same order",
            "My card was charged 129.00 euros twice on the same day for order {order}. My bank "
            "says both payments were authorised and only the shop can refund one of them.",
            "Refund the second payment.",
        ),
        Scenario(
            "staff-conduct",
            "Rude treatment at the Ülemiste store",
            "I wanted to return an unused coffee machine at the Ülemiste store. The sales assistant "
            "raised his voice, said I should have 'read the small print' and refused to take the "
            "return. Other customers were watching. I had the receipt with me and the return period "
            "had not ended.",
            "I want an apology, and the return accepted.",
            "Coffee machine Barista 3",
        ),
        Scenario(
            "product-quality",
            "Headphones stopped working after three weeks",
            "I bought the wireless headphones BT-40. After three weeks the left earcup lost all "
            "sound. I charged them fully and reset them as the manual says, but nothing changed.",
            "Replace or repair the headphones under the warranty.",
            "Headphones BT-40",
        ),
        Scenario(
            "product-quality",
            "Warranty repair has taken seven weeks",
            "My dishwasher went in for warranty repair seven weeks ago. Each time I call I am told "
            "the spare part is 'on its way'. We have a baby at home and wash everything by hand.",
            "Repair it within a week or replace the dishwasher.",
            "Dishwasher D45",
        ),
        Scenario(
            "refunds",
            "Refund for returned vacuum cleaner not received",
            "I returned a vacuum cleaner on the 2nd and received an e-mail confirming the return. "
            "More than 30 days have passed and the 189 euros have not reached my account. Customer "
            "service promised twice to look into it, but nobody got back to me.",
            "Pay back the 189 euros now.",
            "Vacuum cleaner Cyclone 5",
        ),
        Scenario(
            "website",
            "Could not pay: the website kept showing an error",
            "For two days I tried several times to pay for a TV, but the checkout showed "
            "'Something went wrong' every time. When the site finally worked, the sale had ended "
            "and the TV cost 80 euros more.",
            "Sell me the TV at the sale price.",
            "TV Vision 55",
        ),
        Scenario(
            "privacy",
            "Why did you share my address with a marketing company?",
            "After I bought from your web shop I started receiving advertising letters from a "
            "company I had never heard of. The letter mentioned your shop. I never agreed to my "
            "details being passed on.",
            "Tell me which of my details were shared and with whom, delete them and stop sharing.",
        ),
        Scenario(
            "complaints-process",
            "No answer to my earlier complaint",
            "Three weeks ago I complained by phone about a broken washing machine. Nobody "
            "confirmed they had received the complaint and the promised call back never came. I do "
            "not know whether anyone is handling it at all.",
            "Contact me and tell me who is handling my complaint and when I will get an answer.",
        ),
    ],
    "et": [
        Scenario(
            "delivery",
            "Tellimus toodi üheksa päeva hiljem",
            "Tellisin pesumasina (tellimus {order}) ja tarne lubati teisipäevaks, 14. kuupäevaks. "
            "Keegi ei tulnud ega helistanud. Kuller jõudis lõpuks kohale üheksa päeva hiljem ja "
            "alles pärast seda, kui olin teie klienditeenindusse kolm korda helistanud. Võtsin "
            "asjata kaks päeva töölt vabaks.",
            "Palun tagastage tarnetasu ja hüvitage töölt puudutud päevad.",
            "Pesumasin W7",
        ),
        Scenario(
            "delivery",
            "Pakk saabus lömmis, veekeetja on mõlkis",
            "Kuller andis üle paki, mille karp oli ühelt küljelt täiesti lömmis. Sees olnud "
            "veekeetja on mõlkis ja kaas ei sulgu. Tegin fotod kohe, kuller oli veel kohal.",
            "Palun saatke uus veekeetja.",
            "Veekeetja K-200",
        ),
        Scenario(
            "delivery",
            "Saadeti vale toode",
            "Tellisin musta kontoritooli Ergo (tellimus {order}), aga sain hoopis valge "
            "baaripuki. Karbis olev tagastussilt on teise kliendi nimel.",
            "Palun viige vale toode ära ja tooge see, mida tellisin.",
            "Kontoritool Ergo",
        ),
        Scenario(
            "billing",
            "Arvel on kaks tooli, tellisin ühe",
            "Tellisin ühe kontoritooli Ergo, kuid arvel on kaks tooli kokku 358 euro eest. Kätte "
            "sain ainult ühe tooli. Arve maksetähtaeg on järgmisel nädalal.",
            "Palun parandage arve ja tagastage vahe, kui see on juba maha võetud.",
            "Kontoritool Ergo",
        ),
        Scenario(
            "billing",
            "Sama tellimuse eest võeti raha kaks korda",
            "Minu kaardilt võeti tellimuse {order} eest samal päeval kaks korda 129,00 eurot. "
            "Pank ütleb, et mõlemad maksed on kinnitatud ja ühe neist saab tagastada ainult kauplus.",
            "Palun tagastage teine makse.",
        ),
        Scenario(
            "staff-conduct",
            "Ebaviisakas teenindus Ülemiste kaupluses",
            "Tahtsin Ülemiste kaupluses tagastada kasutamata kohvimasina. Müüja tõstis häält, "
            "ütles, et oleksin pidanud „väikest kirja lugema“, ja keeldus tagastust vastu võtmast. "
            "Teised kliendid vaatasid pealt. Ostutšekk oli mul kaasas ja tagastusaeg ei olnud läbi.",
            "Soovin vabandust ja et tagastus võetaks vastu.",
            "Kohvimasin Barista 3",
        ),
        Scenario(
            "product-quality",
            "Kõrvaklapid läksid kolme nädalaga katki",
            "Ostsin juhtmevabad kõrvaklapid BT-40. Kolme nädala pärast kadus vasakust klapist heli "
            "täielikult. Laadisin need täis ja lähtestasin juhendi järgi, aga midagi ei muutunud.",
            "Palun vahetage kõrvaklapid garantii alusel välja või parandage need.",
            "Kõrvaklapid BT-40",
        ),
        Scenario(
            "product-quality",
            "Garantiiremont on kestnud seitse nädalat",
            "Minu nõudepesumasin viidi seitse nädalat tagasi garantiiremonti. Iga kord, kui "
            "helistan, öeldakse, et varuosa on „teel“. Meil on kodus väike laps ja peseme kõike "
            "käsitsi.",
            "Palun parandage masin nädala jooksul või vahetage see välja.",
            "Nõudepesumasin D45",
        ),
        Scenario(
            "refunds",
            "Tagastatud tolmuimeja raha pole tulnud",
            "Tagastasin tolmuimeja 2. kuupäeval ja sain e-kirjaga kinnituse, et tagastus on vastu "
            "võetud. Sellest on möödas üle 30 päeva, aga 189 eurot ei ole mu kontole laekunud. "
            "Klienditeenindus lubas kaks korda asja uurida, kuid keegi ei võtnud ühendust.",
            "Palun kandke 189 eurot kohe tagasi.",
            "Tolmuimeja Cyclone 5",
        ),
        Scenario(
            "website",
            "E-poes ei saanud maksta, leht andis vea",
            "Proovisin kahe päeva jooksul mitu korda teleri eest maksta, aga kassas ilmus iga "
            "kord teade „Midagi läks valesti“. Kui leht lõpuks töötas, oli soodushind lõppenud ja "
            "teler maksis 80 eurot rohkem.",
            "Palun müüge teler mulle soodushinnaga.",
            "Teler Vision 55",
        ),
        Scenario(
            "privacy",
            "Miks jagasite minu aadressi reklaamifirmaga?",
            "Pärast teie e-poest ostmist hakkasin saama reklaamkirju ettevõttelt, millest ma pole "
            "kunagi kuulnud. Kirjas viidati teie kauplusele. Ma ei ole nõustunud, et minu andmeid "
            "teistele jagatakse.",
            "Palun öelge, milliseid minu andmeid ja kellele jagati, kustutage need ja lõpetage "
            "jagamine.",
        ),
        Scenario(
            "complaints-process",
            "Minu eelmisele kaebusele pole vastatud",
            "Esitasin kolm nädalat tagasi telefoni teel kaebuse katkise pesumasina kohta. Keegi ei "
            "kinnitanud, et kaebus on kätte saadud, ja lubatud tagasihelistamist ei tulnud. Ma ei "
            "tea, kas minu kaebusega üldse tegeletakse.",
            "Palun võtke minuga ühendust ja öelge, kes minu kaebusega tegeleb ja millal saan vastuse.",
        ),
    ],
    "uk": [
        Scenario(
            "delivery",
            "Замовлення доставили на дев'ять днів пізніше",
            "Ми замовили пральну машину (замовлення {order}), доставку обіцяли на вівторок, "
            "14-те число. Ніхто не приїхав і не зателефонував. Кур'єр привіз її лише через дев'ять "
            "днів, і то після трьох наших дзвінків до служби підтримки. Через це довелося двічі "
            "брати відгул на роботі.",
            "Просимо повернути плату за доставку та компенсувати втрачені робочі дні.",
            "Пральна машина W7",
        ),
        Scenario(
            "delivery",
            "Посилка прийшла зім'ята, чайник пом'ятий",
            "Кур'єр передав посилку, коробка якої була повністю зім'ята з одного боку. Чайник "
            "усередині пом'ятий, кришка не закривається. Фото зроблено одразу, у присутності "
            "кур'єра.",
            "Надішліть, будь ласка, новий чайник.",
            "Чайник K-200",
        ),
        Scenario(
            "delivery",
            "Доставили не той товар",
            "У замовленні {order} було чорне офісне крісло Ergo, а доставили білий барний "
            "стілець. Етикетка для повернення в коробці оформлена на іншого клієнта.",
            "Заберіть неправильний товар і доставте те, що було замовлено.",
            "Офісне крісло Ergo",
        ),
        Scenario(
            "billing",
            "У рахунку два крісла, а замовлено одне",
            "Замовлення було на одне офісне крісло Ergo, але в рахунку вказано два крісла на суму "
            "358 євро. Доставили лише одне крісло. Строк оплати рахунку — наступного тижня.",
            "Виправте рахунок і поверніть різницю, якщо її вже списано.",
            "Офісне крісло Ergo",
        ),
        Scenario(
            "billing",
            "З картки двічі списали гроші за одне замовлення",
            "За замовлення {order} з моєї картки того самого дня двічі списали по 129,00 євро. "
            "У банку кажуть, що обидва платежі підтверджені і повернути один із них може лише "
            "магазин.",
            "Поверніть, будь ласка, другий платіж.",
        ),
        Scenario(
            "staff-conduct",
            "Грубе обслуговування в магазині «Юлемісте»",
            "Метою візиту до магазину «Юлемісте» було повернути невикористану кавоварку. Продавець "
            "підвищив голос, сказав, що треба було «читати дрібний шрифт», і відмовився прийняти "
            "повернення. Інші покупці все це бачили. Чек був при мені, строк повернення ще не "
            "минув.",
            "Прошу вибачення і прийняття повернення.",
            "Кавоварка Barista 3",
        ),
        Scenario(
            "product-quality",
            "Навушники зламалися через три тижні",
            "Бездротові навушники BT-40 через три тижні користування перестали працювати: у "
            "лівому навушнику повністю зник звук. Зарядка і скидання налаштувань за інструкцією "
            "не допомогли.",
            "Замініть або відремонтуйте навушники за гарантією.",
            "Навушники BT-40",
        ),
        Scenario(
            "product-quality",
            "Гарантійний ремонт триває вже сім тижнів",
            "Посудомийну машину сім тижнів тому забрали на гарантійний ремонт. На кожен дзвінок "
            "відповідають, що запчастина «вже в дорозі». Удома маленька дитина, і весь посуд "
            "доводиться мити вручну.",
            "Відремонтуйте машину протягом тижня або замініть її.",
            "Посудомийна машина D45",
        ),
        Scenario(
            "refunds",
            "Не повернули гроші за повернутий пилосос",
            "Пилосос повернуто 2-го числа, на електронну пошту прийшло підтвердження, що "
            "повернення прийнято. Минуло понад 30 днів, але 189 євро на рахунок так і не надійшли. "
            "Служба підтримки двічі обіцяла розібратися, але ніхто не зв'язався.",
            "Прошу негайно повернути 189 євро.",
            "Пилосос Cyclone 5",
        ),
        Scenario(
            "website",
            "Не вдалося оплатити: сайт видавав помилку",
            "Протягом двох днів кожна спроба оплатити телевізор закінчувалася повідомленням «Щось "
            "пішло не так». Коли сайт нарешті запрацював, акція вже закінчилася, і телевізор "
            "коштував на 80 євро дорожче.",
            "Продайте телевізор за акційною ціною.",
            "Телевізор Vision 55",
        ),
        Scenario(
            "privacy",
            "Чому ви передали мою адресу рекламній компанії?",
            "Після покупки у вашому інтернет-магазині мені почали надходити рекламні листи від "
            "невідомої компанії. У листі згадується ваш магазин. Жодної згоди на передачу моїх "
            "даних третім особам не було.",
            "Повідомте, які мої дані і кому передано, видаліть їх і припиніть передачу.",
        ),
        Scenario(
            "complaints-process",
            "Немає відповіді на мою попередню скаргу",
            "Три тижні тому по телефону було подано скаргу щодо зламаної пральної машини. Ніхто "
            "не підтвердив отримання скарги, обіцяний зворотний дзвінок так і не надійшов. "
            "Невідомо, чи хтось узагалі розглядає цю скаргу.",
            "Зв'яжіться зі мною та повідомте, хто розглядає скаргу і коли буде відповідь.",
        ),
    ],
    "sv": [
        Scenario(
            "delivery",
            "Beställningen levererades nio dagar för sent",
            "Jag beställde en tvättmaskin (order {order}) med utlovad leverans tisdagen den 14:e. "
            "Ingen kom och ingen ringde. Budet kom till slut nio dagar senare, och först efter att "
            "jag hade ringt er kundtjänst tre gånger. Jag tog ledigt från jobbet två dagar i onödan.",
            "Betala tillbaka leveransavgiften och ersätt mig för de förlorade arbetsdagarna.",
            "Tvättmaskin W7",
        ),
        Scenario(
            "delivery",
            "Paketet kom fram tillplattat, vattenkokaren har bucklor",
            "Budet lämnade ett paket vars kartong var helt intryckt på ena sidan. Vattenkokaren "
            "inuti har bucklor och locket går inte att stänga. Jag tog bilder direkt medan budet "
            "var kvar.",
            "Skicka en ny vattenkokare.",
            "Vattenkokare K-200",
        ),
        Scenario(
            "delivery",
            "Fel vara levererad",
            "Jag beställde en svart kontorsstol Ergo (order {order}) men fick en vit barstol i "
            "stället. Returetiketten i kartongen gäller en annan kund.",
            "Hämta fel vara och leverera det jag beställde.",
            "Kontorsstol Ergo",
        ),
        Scenario(
            "billing",
            "Fakturan gäller två stolar, jag beställde en",
            "Jag beställde en kontorsstol Ergo, men fakturan gäller två stolar på totalt 358 euro. "
            "Jag har bara fått en stol. Fakturan förfaller nästa vecka.",
            "Rätta fakturan och betala tillbaka mellanskillnaden om den redan har dragits.",
            "Kontorsstol Ergo",
        ),
        Scenario(
            "billing",
            "Dubbeldebitering för samma order",
            "För order {order} drogs 129,00 euro två gånger från mitt kort samma dag. Banken säger "
            "att båda betalningarna är godkända och att bara butiken kan betala tillbaka den ena.",
            "Betala tillbaka den andra dragningen.",
        ),
        Scenario(
            "staff-conduct",
            "Otrevligt bemötande i butiken i Ülemiste",
            "Jag ville lämna tillbaka en oanvänd kaffemaskin i butiken i Ülemiste. Säljaren höjde "
            "rösten, sa att jag borde ha ”läst det finstilta” och vägrade ta emot returen. Andra "
            "kunder såg på. Jag hade kvittot med mig och returtiden hade inte gått ut.",
            "Jag vill ha en ursäkt och att returen tas emot.",
            "Kaffemaskin Barista 3",
        ),
        Scenario(
            "product-quality",
            "Hörlurarna gick sönder efter tre veckor",
            "Jag köpte de trådlösa hörlurarna BT-40. Efter tre veckor försvann ljudet helt i "
            "vänster lur. Jag har laddat dem fullt och återställt dem enligt manualen, men "
            "ingenting hjälper.",
            "Byt ut eller reparera hörlurarna inom garantin.",
            "Hörlurar BT-40",
        ),
        Scenario(
            "product-quality",
            "Garantireparationen har tagit sju veckor",
            "Min diskmaskin lämnades in på garantireparation för sju veckor sedan. Varje gång jag "
            "ringer får jag höra att reservdelen är ”på väg”. Vi har en bebis hemma och diskar "
            "allt för hand.",
            "Reparera den inom en vecka eller byt ut diskmaskinen.",
            "Diskmaskin D45",
        ),
        Scenario(
            "refunds",
            "Ingen återbetalning för returnerad dammsugare",
            "Jag returnerade en dammsugare den 2:a och fick ett mejl om att returen tagits emot. "
            "Det har gått över 30 dagar men de 189 euro har inte kommit in på mitt konto. "
            "Kundtjänst har två gånger lovat att undersöka saken, men ingen har hört av sig.",
            "Betala tillbaka 189 euro omedelbart.",
            "Dammsugare Cyclone 5",
        ),
        Scenario(
            "website",
            "Kunde inte betala – webbplatsen visade fel",
            "Under två dagar försökte jag flera gånger betala för en tv, men kassan visade varje "
            "gång ”Något gick fel”. När sidan till slut fungerade var kampanjen slut och tv:n "
            "kostade 80 euro mer.",
            "Sälj tv:n till mig för kampanjpriset.",
            "TV Vision 55",
        ),
        Scenario(
            "privacy",
            "Varför delade ni min adress med ett reklamföretag?",
            "Efter mitt köp i er webbutik började jag få reklambrev från ett företag jag aldrig "
            "hört talas om. I brevet hänvisades till er butik. Jag har aldrig samtyckt till att "
            "mina uppgifter lämnas ut.",
            "Berätta vilka uppgifter som lämnats ut och till vem, radera dem och sluta dela dem.",
        ),
        Scenario(
            "complaints-process",
            "Inget svar på mitt tidigare klagomål",
            "För tre veckor sedan lämnade jag ett klagomål per telefon om en trasig tvättmaskin. "
            "Ingen har bekräftat att klagomålet tagits emot och det utlovade samtalet har aldrig "
            "kommit. Jag vet inte om någon alls hanterar mitt klagomål.",
            "Kontakta mig och berätta vem som hanterar klagomålet och när jag får svar.",
        ),
    ],
    "fa": [
        Scenario(
            "delivery",
            "سفارش نُه روز دیرتر تحویل داده شد",
            "یک ماشین لباسشویی سفارش دادم (سفارش {order}) و قرار بود سه‌شنبه، چهاردهم ماه، "
            "تحویل داده شود. هیچ‌کس نیامد و کسی هم تماس نگرفت. پیک بالاخره نُه روز بعد آمد، آن هم "
            "پس از اینکه سه بار با خدمات مشتریان شما تماس گرفتم. دو روز بی‌دلیل از کارم مرخصی "
            "گرفتم.",
            "لطفاً هزینهٔ ارسال را برگردانید و روزهای مرخصی‌ام را جبران کنید.",
            "ماشین لباسشویی W7",
        ),
        Scenario(
            "delivery",
            "بسته له‌شده رسید و کتری فرورفتگی دارد",
            "پیک بسته‌ای تحویل داد که یک طرف جعبه‌اش کاملاً له شده بود. کتری داخل آن فرورفتگی "
            "دارد و درش بسته نمی‌شود. همان لحظه و در حضور پیک از آن عکس گرفتم.",
            "لطفاً یک کتری نو بفرستید.",
            "کتری K-200",
        ),
        Scenario(
            "delivery",
            "کالای اشتباه تحویل داده شد",
            "یک صندلی اداری مشکی Ergo سفارش دادم (سفارش {order})، اما به جای آن یک چهارپایهٔ "
            "بار سفید تحویل گرفتم. برچسب مرجوعی داخل جعبه هم به نام مشتری دیگری است.",
            "لطفاً کالای اشتباه را پس بگیرید و آنچه سفارش داده بودم را بفرستید.",
            "صندلی اداری Ergo",
        ),
        Scenario(
            "billing",
            "در فاکتور دو صندلی آمده، اما من یکی سفارش دادم",
            "یک صندلی اداری Ergo سفارش دادم، اما در فاکتور دو صندلی به مبلغ ۳۵۸ یورو ثبت شده "
            "است. فقط یک صندلی به دستم رسید. مهلت پرداخت فاکتور هفتهٔ آینده است.",
            "لطفاً فاکتور را اصلاح کنید و اگر مبلغ اضافه برداشت شده، آن را برگردانید.",
            "صندلی اداری Ergo",
        ),
        Scenario(
            "billing",
            "برای یک سفارش دو بار از کارتم پول کم شد",
            "برای سفارش {order} در یک روز دو بار مبلغ ۱۲۹ یورو از کارت من برداشت شد. بانک "
            "می‌گوید هر دو پرداخت تأیید شده‌اند و فقط فروشگاه می‌تواند یکی از آن‌ها را برگرداند.",
            "لطفاً پرداخت دوم را برگردانید.",
        ),
        Scenario(
            "staff-conduct",
            "برخورد بی‌ادبانه در فروشگاه اولمیسته",
            "می‌خواستم یک قهوه‌ساز استفاده‌نشده را در فروشگاه اولمیسته پس بدهم. فروشنده صدایش را "
            "بالا برد، گفت باید «ریز نوشته‌ها را می‌خواندم» و از پذیرفتن کالا خودداری کرد. "
            "مشتریان دیگر هم شاهد بودند. رسید خرید همراهم بود و مهلت مرجوعی هم تمام نشده بود.",
            "انتظار دارم عذرخواهی کنید و کالای مرجوعی را بپذیرید.",
            "قهوه‌ساز Barista 3",
        ),
        Scenario(
            "product-quality",
            "هدفون پس از سه هفته خراب شد",
            "هدفون بی‌سیم BT-40 خریدم. پس از سه هفته صدای گوشی چپ کاملاً قطع شد. طبق دفترچهٔ "
            "راهنما آن را کامل شارژ و بازنشانی کردم، اما فایده‌ای نداشت.",
            "لطفاً هدفون را طبق گارانتی تعویض یا تعمیر کنید.",
            "هدفون BT-40",
        ),
        Scenario(
            "product-quality",
            "تعمیر گارانتی هفت هفته طول کشیده است",
            "هفت هفته پیش ماشین ظرفشویی‌ام را برای تعمیر گارانتی بردند. هر بار تماس می‌گیرم "
            "می‌گویند قطعهٔ یدکی «در راه است». بچهٔ کوچک در خانه داریم و همهٔ ظرف‌ها را با دست "
            "می‌شوییم.",
            "لطفاً ظرف یک هفته تعمیرش کنید یا ماشین را عوض کنید.",
            "ماشین ظرفشویی D45",
        ),
        Scenario(
            "refunds",
            "پول جاروبرقی مرجوعی هنوز برگشت داده نشده",
            "جاروبرقی را روز دوم ماه پس دادم و ایمیلی دریافت کردم که مرجوعی پذیرفته شده است. "
            "بیش از ۳۰ روز گذشته، اما ۱۸۹ یورو هنوز به حسابم واریز نشده است. خدمات مشتریان دو "
            "بار قول پیگیری داد، ولی کسی با من تماس نگرفت.",
            "لطفاً ۱۸۹ یورو را فوراً برگردانید.",
            "جاروبرقی Cyclone 5",
        ),
        Scenario(
            "website",
            "امکان پرداخت نبود؛ سایت مدام خطا می‌داد",
            "دو روز پشت سر هم چند بار تلاش کردم هزینهٔ یک تلویزیون را بپردازم، اما هر بار در "
            "صفحهٔ پرداخت پیام «مشکلی پیش آمد» ظاهر شد. وقتی سایت بالاخره درست شد، تخفیف تمام "
            "شده بود و تلویزیون ۸۰ یورو گران‌تر شده بود.",
            "لطفاً تلویزیون را با همان قیمت تخفیف‌خورده به من بفروشید.",
            "تلویزیون Vision 55",
        ),
        Scenario(
            "privacy",
            "چرا نشانی مرا به یک شرکت تبلیغاتی دادید؟",
            "پس از خرید از فروشگاه اینترنتی شما، نامه‌های تبلیغاتی از شرکتی که هرگز نامش را "
            "نشنیده بودم به دستم رسید. در نامه به فروشگاه شما اشاره شده بود. من هرگز با در "
            "اختیار گذاشتن اطلاعاتم به دیگران موافقت نکرده‌ام.",
            "لطفاً بگویید کدام اطلاعات مرا به چه کسی داده‌اید، آن‌ها را پاک کنید و دیگر این کار "
            "را نکنید.",
        ),
        Scenario(
            "complaints-process",
            "به شکایت قبلی من پاسخی داده نشد",
            "سه هفته پیش دربارهٔ ماشین لباسشویی خراب تلفنی شکایت کردم. هیچ‌کس دریافت شکایت را "
            "تأیید نکرد و تماسی که قول داده بودند هرگز گرفته نشد. نمی‌دانم اصلاً کسی به شکایت من "
            "رسیدگی می‌کند یا نه.",
            "لطفاً با من تماس بگیرید و بگویید چه کسی به شکایتم رسیدگی می‌کند و کی پاسخ می‌گیرم.",
        ),
    ],
}

# --- what the organisation answers (in the complainant's language) -----------------------------
DECISIONS: dict[str, dict[str, str]] = {
    "en": {
        "delivery": "We are sorry: the courier missed the agreed delivery and our customer service "
        "did not follow it up. We refund the delivery fee and add a credit note for the "
        "inconvenience. We have taken the missed delivery up with the courier company.",
        "billing": "You are right: the amount was charged in error. We have issued a corrected "
        "invoice and refund the amount charged in error; it will reach your account within "
        "5 business days.",
        "staff-conduct": "We apologise for how you were treated. The store manager has spoken with "
        "the employee, your return has been accepted, and we are repeating the returns training "
        "for all store staff.",
        "product-quality": "The fault is covered by the warranty. We will replace the product free "
        "of charge; the courier collects the faulty one when delivering the new one.",
        "refunds": "Your refund was held up because the return had not been registered in our "
        "system. We have now paid it and added compensation for the delay.",
        "website": "Our payment provider had an outage on those days. We honour the sale price: the "
        "difference is refunded to you.",
        "privacy": "We checked our records: your address was given to a delivery partner that also "
        "used it for advertising, which our contract forbids. We have stopped that use, the "
        "partner has deleted your data, and our data protection officer has reported the case as "
        "required.",
        "complaints-process": "We are sorry: your earlier complaint was taken by phone but never "
        "reached our complaints queue. We have changed how phone complaints are recorded so that "
        "this cannot happen again, and a named handler now owns your original complaint.",
    },
    "et": {
        "delivery": "Vabandame: kuller ei tulnud kokkulepitud ajal ja meie klienditeenindus ei "
        "tegelenud sellega edasi. Tagastame tarnetasu ja lisame ebamugavuste eest kreeditarve. "
        "Oleme hilinenud tarne kullerfirmaga läbi arutanud.",
        "billing": "Teil on õigus: summa võeti ekslikult. Koostasime parandatud arve ja tagastame "
        "ekslikult võetud summa; see jõuab teie kontole 5 tööpäeva jooksul.",
        "staff-conduct": "Vabandame, et teid nii koheldi. Kaupluse juhataja on töötajaga vestelnud, "
        "teie tagastus on vastu võetud ja korraldame kõigile kaupluse töötajatele tagastuste "
        "koolituse uuesti.",
        "product-quality": "Viga on garantii alune. Vahetame toote tasuta välja; kuller võtab "
        "vigase toote uue toomisel kaasa.",
        "refunds": "Teie raha tagastamine viibis, sest tagastust ei olnud meie süsteemis "
        "registreeritud. Oleme raha nüüd üle kandnud ja lisanud hüvitise viivituse eest.",
        "website": "Meie makseteenuse pakkujal oli neil päevadel rike. Jätame kehtima soodushinna: "
        "hinnavahe kanname teile tagasi.",
        "privacy": "Kontrollisime oma andmeid: teie aadress anti tarnepartnerile, kes kasutas seda "
        "ka reklaamiks, mida meie leping keelab. Oleme selle kasutamise lõpetanud, partner on teie "
        "andmed kustutanud ja meie andmekaitsespetsialist on juhtumist nõuetekohaselt teatanud.",
        "complaints-process": "Vabandame: teie varasem kaebus võeti telefonis vastu, kuid see ei "
        "jõudnud menetlusse. Muutsime telefoni teel esitatud kaebuste registreerimist, et see ei "
        "korduks, ja teie esialgsel kaebusel on nüüd nimeline menetleja.",
    },
    "uk": {
        "delivery": "Перепрошуємо: кур'єр не приїхав у погоджений час, а наша служба підтримки не "
        "простежила за доставкою. Ми повертаємо плату за доставку та нараховуємо бонус на "
        "компенсацію незручностей. Запізнення ми розглянули з кур'єрською компанією.",
        "billing": "Ви маєте рацію: кошти списано помилково. Ми виставили виправлений рахунок і "
        "повертаємо помилково списану суму; кошти надійдуть на ваш рахунок протягом 5 робочих "
        "днів.",
        "staff-conduct": "Просимо вибачення за таке ставлення. Керівник магазину поговорив із "
        "працівником, ваше повернення прийнято, а для всіх працівників магазинів ми повторно "
        "проводимо навчання щодо повернень.",
        "product-quality": "Несправність покривається гарантією. Ми безкоштовно замінимо товар; "
        "кур'єр забере несправний під час доставки нового.",
        "refunds": "Повернення коштів затрималося, бо повернення товару не було зареєстровано в "
        "нашій системі. Ми вже переказали кошти та додали компенсацію за затримку.",
        "website": "У ті дні в нашого платіжного провайдера стався збій. Ми зберігаємо для вас "
        "акційну ціну: різницю повернемо.",
        "privacy": "Ми перевірили свої записи: вашу адресу було передано партнеру з доставки, який "
        "використав її також для реклами, що заборонено нашим договором. Ми припинили таке "
        "використання, партнер видалив ваші дані, а наш відповідальний за захист даних повідомив "
        "про випадок відповідно до вимог.",
        "complaints-process": "Перепрошуємо: вашу попередню скаргу прийняли по телефону, але вона "
        "не потрапила до черги на розгляд. Ми змінили порядок реєстрації телефонних скарг, щоб це "
        "не повторилося, і тепер вашою першою скаргою опікується конкретний працівник.",
    },
    "sv": {
        "delivery": "Vi ber om ursäkt: budet missade den avtalade leveransen och vår kundtjänst "
        "följde inte upp det. Vi betalar tillbaka leveransavgiften och lägger till en kreditnota "
        "för besväret. Vi har tagit upp den missade leveransen med budfirman.",
        "billing": "Du har rätt: beloppet drogs felaktigt. Vi har skickat en rättad faktura och "
        "betalar tillbaka det felaktigt dragna beloppet; det når ditt konto inom 5 bankdagar.",
        "staff-conduct": "Vi ber om ursäkt för hur du blev bemött. Butikschefen har pratat med "
        "medarbetaren, din retur har tagits emot och vi går igenom returrutinerna på nytt med all "
        "butikspersonal.",
        "product-quality": "Felet omfattas av garantin. Vi byter ut produkten kostnadsfritt; budet "
        "hämtar den trasiga när den nya levereras.",
        "refunds": "Din återbetalning dröjde eftersom returen inte hade registrerats i vårt system. "
        "Vi har nu betalat ut beloppet och lagt till en ersättning för förseningen.",
        "website": "Vår betalleverantör hade ett avbrott de dagarna. Vi håller kampanjpriset: "
        "mellanskillnaden betalas tillbaka till dig.",
        "privacy": "Vi har gått igenom våra register: din adress lämnades till en leveranspartner "
        "som även använde den för reklam, vilket vårt avtal förbjuder. Vi har stoppat den "
        "användningen, partnern har raderat dina uppgifter och vårt dataskyddsombud har anmält "
        "händelsen enligt gällande regler.",
        "complaints-process": "Vi ber om ursäkt: ditt tidigare klagomål togs emot per telefon men "
        "kom aldrig in i vår ärendekö. Vi har ändrat hur telefonklagomål registreras så att det "
        "inte kan hända igen, och en namngiven handläggare ansvarar nu för ditt ursprungliga "
        "klagomål.",
    },
    "fa": {
        "delivery": "پوزش می‌خواهیم: پیک در زمان توافق‌شده نیامد و خدمات مشتریان ما هم آن را "
        "پیگیری نکرد. هزینهٔ ارسال را برمی‌گردانیم و برای جبران زحمتی که کشیدید اعتبار خرید در "
        "نظر گرفته‌ایم. موضوع تأخیر را با شرکت پیک نیز در میان گذاشته‌ایم.",
        "billing": "حق با شماست: این مبلغ به اشتباه برداشت شده بود. فاکتور اصلاح‌شده صادر "
        "کرده‌ایم و مبلغ اشتباه را برمی‌گردانیم؛ این مبلغ ظرف ۵ روز کاری به حساب شما می‌رسد.",
        "staff-conduct": "بابت رفتاری که با شما شد عذرخواهی می‌کنیم. مدیر فروشگاه با آن کارمند "
        "صحبت کرده، کالای مرجوعی شما پذیرفته شده و آموزش مرجوعی کالا را برای همهٔ کارکنان "
        "فروشگاه‌ها دوباره برگزار می‌کنیم.",
        "product-quality": "این ایراد تحت پوشش گارانتی است. کالا را رایگان تعویض می‌کنیم؛ پیک "
        "هنگام تحویل کالای نو، کالای معیوب را تحویل می‌گیرد.",
        "refunds": "بازپرداخت شما به این دلیل به تأخیر افتاد که مرجوعی در سامانهٔ ما ثبت نشده "
        "بود. اکنون مبلغ را واریز کرده‌ایم و برای این تأخیر غرامتی هم افزوده‌ایم.",
        "website": "در آن روزها سامانهٔ پرداخت ما دچار قطعی شده بود. قیمت تخفیف‌خورده را برای "
        "شما حفظ می‌کنیم و مابه‌التفاوت را برمی‌گردانیم.",
        "privacy": "سوابق خود را بررسی کردیم: نشانی شما به یکی از شرکای ارسال کالا داده شده بود "
        "که از آن برای تبلیغات هم استفاده کرده است، در حالی که قرارداد ما این کار را منع می‌کند. "
        "این استفاده را متوقف کرده‌ایم، آن شرکت اطلاعات شما را پاک کرده و مسئول حفاظت از "
        "داده‌های ما این رویداد را طبق مقررات گزارش داده است.",
        "complaints-process": "پوزش می‌خواهیم: شکایت قبلی شما تلفنی دریافت شد، اما هرگز به صف "
        "رسیدگی نرسید. روش ثبت شکایت‌های تلفنی را تغییر داده‌ایم تا این اتفاق تکرار نشود و "
        "اکنون یک کارشناس مشخص مسئول رسیدگی به شکایت اصلی شماست.",
    },
}


# Short messages in each language: a question to the complainant, their answer, their reasons.
class Phrases(TypedDict):
    question: str
    answer: str
    decline: str
    accept: str
    withdraw: str
    review: str
    refer: str
    out_of_scope: list[str]


PHRASES: dict[str, Phrases] = {
    "en": {
        "question": "Thank you for your complaint. Could you send us a photo of the product and, if "
        "you have it, the order confirmation? It will help us resolve this faster.",
        "answer": "Here is the order confirmation; the photos were taken the day it arrived. I can "
        "also bring the product to the store if that helps.",
        "decline": "This does not solve my problem, and the offer does not reflect the trouble this "
        "caused me. I would like someone else to look at my complaint again.",
        "accept": "Thank you, that is fair. I appreciate the quick answer.",
        "withdraw": "The problem has been sorted out in the store in the meantime, so I withdraw my "
        "complaint.",
        "review": "A second person has reviewed your complaint, as you asked. ",
        "refer": "As agreed, we have referred your complaint to the Consumer Disputes Committee, "
        "which will contact you within 10 business days.",
        "out_of_scope": [
            "The product was bought from another retailer (Elektrikaubad OÜ), not from us. Please "
            "contact the seller; their contact details are on your receipt.",
            "This is a question about the product's features rather than a complaint. Our customer "
            "service at +372 600 1234 will gladly help.",
        ],
    },
    "et": {
        "question": "Täname kaebuse eest. Kas saaksite saata meile toote foto ja võimaluse korral "
        "tellimuse kinnituse? See aitab meil asja kiiremini lahendada.",
        "answer": "Saadan tellimuse kinnituse; fotod tegin toote saabumise päeval. Võin toote "
        "vajadusel ka kauplusesse tuua.",
        "decline": "See ei lahenda minu probleemi ja pakkumine ei vasta tekitatud ebameeldivustele. "
        "Palun laske kellelgi teisel mu kaebus uuesti läbi vaadata.",
        "accept": "Aitäh, see on õiglane. Hindan kiiret vastust.",
        "withdraw": "Probleem lahendati vahepeal kaupluses, seega võtan kaebuse tagasi.",
        "review": "Teie soovil vaatas kaebuse uuesti läbi teine inimene. ",
        "refer": "Nagu kokku leppisime, andsime teie kaebuse üle tarbijavaidluste komisjonile, kes "
        "võtab teiega ühendust 10 tööpäeva jooksul.",
        "out_of_scope": [
            "Toode on ostetud teiselt kauplejalt (Elektrikaubad OÜ), mitte meilt. Palun pöörduge "
            "müüja poole; tema kontaktandmed on ostutšekil.",
            "See on küsimus toote omaduste kohta, mitte kaebus. Meie klienditeenindus numbril "
            "+372 600 1234 aitab hea meelega.",
        ],
    },
    "uk": {
        "question": "Дякуємо за скаргу. Чи могли б ви надіслати фото товару і, якщо є, "
        "підтвердження замовлення? Це допоможе нам швидше вирішити питання.",
        "answer": "Надсилаю підтвердження замовлення; фото зроблено в день отримання. За потреби "
        "можу принести товар до магазину.",
        "decline": "Це не вирішує мою проблему, а пропозиція не відповідає завданим незручностям. "
        "Прошу, щоб мою скаргу повторно розглянув хтось інший.",
        "accept": "Дякую, це справедливо. Ціную швидку відповідь.",
        "withdraw": "Тим часом проблему вирішили в магазині, тому я відкликаю скаргу.",
        "review": "На ваше прохання скаргу повторно розглянула інша особа. ",
        "refer": "Як і домовлялися, ми передали вашу скаргу до Комісії зі споживчих спорів, яка "
        "зв'яжеться з вами протягом 10 робочих днів.",
        "out_of_scope": [
            "Товар придбано в іншого продавця (Elektrikaubad OÜ), а не в нас. Зверніться, будь "
            "ласка, до продавця; його контакти є на чеку.",
            "Це запитання про характеристики товару, а не скарга. Наша служба підтримки за "
            "номером +372 600 1234 охоче допоможе.",
        ],
    },
    "sv": {
        "question": "Tack för ditt klagomål. Kan du skicka ett foto av produkten och, om du har den, "
        "orderbekräftelsen? Det hjälper oss att lösa ärendet snabbare.",
        "answer": "Här är orderbekräftelsen; bilderna togs samma dag som varan kom. Jag kan också "
        "lämna in produkten i butiken om det hjälper.",
        "decline": "Det här löser inte mitt problem, och erbjudandet motsvarar inte besväret det "
        "orsakade mig. Jag vill att någon annan granskar mitt klagomål igen.",
        "accept": "Tack, det är rimligt. Jag uppskattar det snabba svaret.",
        "withdraw": "Problemet har under tiden lösts i butiken, så jag drar tillbaka mitt klagomål.",
        "review": "En annan person har på din begäran granskat klagomålet på nytt. ",
        "refer": "Som överenskommet har vi hänskjutit ditt klagomål till konsumenttvistnämnden, som "
        "kontaktar dig inom 10 arbetsdagar.",
        "out_of_scope": [
            "Produkten är köpt hos en annan återförsäljare (Elektrikaubad OÜ), inte hos oss. "
            "Kontakta säljaren; kontaktuppgifterna finns på ditt kvitto.",
            "Det här är en fråga om produktens funktioner snarare än ett klagomål. Vår kundtjänst "
            "på +372 600 1234 hjälper gärna till.",
        ],
    },
    "fa": {
        "question": "از شکایت شما سپاسگزاریم. ممکن است عکسی از کالا و در صورت امکان تأییدیهٔ "
        "سفارش را برای ما بفرستید؟ این کار به ما کمک می‌کند موضوع را سریع‌تر حل کنیم.",
        "answer": "تأییدیهٔ سفارش را می‌فرستم؛ عکس‌ها را همان روز تحویل گرفتم. اگر لازم باشد، "
        "می‌توانم کالا را به فروشگاه بیاورم.",
        "decline": "این مشکل مرا حل نمی‌کند و پیشنهاد شما با دردسری که برایم ایجاد شد تناسبی "
        "ندارد. می‌خواهم فرد دیگری شکایتم را دوباره بررسی کند.",
        "accept": "متشکرم، منصفانه است. از پاسخ سریعتان سپاسگزارم.",
        "withdraw": "مشکل در این فاصله در فروشگاه حل شد، بنابراین شکایتم را پس می‌گیرم.",
        "review": "به درخواست شما، فرد دیگری شکایتتان را دوباره بررسی کرد. ",
        "refer": "همان‌طور که توافق کردیم، شکایت شما را به کمیتهٔ رسیدگی به اختلافات مصرف‌کنندگان "
        "ارجاع دادیم که ظرف ۱۰ روز کاری با شما تماس خواهد گرفت.",
        "out_of_scope": [
            "این کالا از فروشندهٔ دیگری (Elektrikaubad OÜ) خریداری شده است، نه از ما. لطفاً با "
            "فروشنده تماس بگیرید؛ اطلاعات تماس او روی رسید خرید شماست.",
            "این یک پرسش دربارهٔ ویژگی‌های کالاست، نه شکایت. خدمات مشتریان ما به شمارهٔ "
            "\u200e+372 600 1234 با کمال میل کمک می‌کند.",
        ],
    },
}

# Internal working notes are written by staff in English.
FINDINGS = {
    "delivery": (
        "Courier tracking shows no delivery attempt on the promised day; our follow-up ticket was "
        "closed without action.",
        "Courier capacity shortfall; no alert when a delivery slot is missed.",
    ),
    "billing": (
        "The order line was duplicated when the basket was edited after payment.",
        "Editing a basket after payment creates a second order line.",
    ),
    "staff-conduct": (
        "The store manager confirmed the account with two colleagues; the return was within the "
        "30-day period.",
        "Seasonal staff had not been trained on the returns policy.",
    ),
    "product-quality": (
        "The workshop confirmed a manufacturing fault; the same fault appears across the batch.",
        "Supplier batch with a faulty component.",
    ),
    "refunds": (
        "The returned item reached the warehouse but was never scanned into the returns system.",
        "The manual returns scan is skipped on busy days.",
    ),
    "website": (
        "The payment provider's status page confirms an incident on those dates.",
        "A single payment provider with no fallback.",
    ),
    "privacy": (
        "The delivery partner used our address data for its own mailing campaign.",
        "The data processing agreement was never audited.",
    ),
    "complaints-process": (
        "The phone complaint was noted in the call log but never entered as a complaint.",
        "Phone intake relied on agents re-typing their notes.",
    ),
}
INTERNAL_NOTES = [
    "Called the complainant; they confirmed the details.",
    "Asked the warehouse for the scan history.",
    "Checked with the courier company; waiting for their report.",
    "Similar case last month; see the same product batch.",
]
SEVERITY = {
    "delivery": ["low", "medium", "medium"],
    "billing": ["medium", "medium", "high"],
    "staff-conduct": ["medium", "high"],
    "product-quality": ["low", "medium", "high"],
    "refunds": ["medium", "high"],
    "website": ["low", "medium"],
    "privacy": ["high", "critical"],
    "complaints-process": ["medium", "high"],
}
# kind, amount, currency
REMEDIES: dict[str, list[tuple[str, str | None, str]]] = {
    "delivery": [("refund", "4.90", "EUR"), ("compensation", "20.00", "EUR")],
    "billing": [("refund", "129.00", "EUR"), ("explanation", None, "")],
    "staff-conduct": [("apology", None, ""), ("explanation", None, "")],
    "product-quality": [("replacement", None, "")],
    "refunds": [("refund", "189.00", "EUR"), ("compensation", "15.00", "EUR")],
    "website": [("refund", "80.00", "EUR")],
    "privacy": [("apology", None, ""), ("explanation", None, "")],
    "complaints-process": [("apology", None, ""), ("explanation", None, "")],
}
PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


@dataclass
class DemoSummary:
    complaints: int = 0
    seconds: float = 0.0
    states: Counter = field(default_factory=Counter)
    languages: Counter = field(default_factory=Counter)
    channels: Counter = field(default_factory=Counter)
    tracking_urls: dict[str, str] = field(default_factory=dict)


@dataclass
class _Staff:
    admin: User
    manager: User
    handlers: list[User]
    teams: dict[str, int]


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def _state_plan(n: int, rng: random.Random) -> list[State]:
    """The final state of each complaint, newest complaint first; every state occurs."""
    counts = {state: max(1, round(share * n)) for state, share in STATE_SHARES.items()}
    counts[State.CLOSED] = max(1, n - sum(counts.values()))
    plan = [state for state, count in counts.items() for _ in range(count)]
    rng.shuffle(plan)
    plan = plan[:n]

    def key(state: State) -> float:
        if state == State.OUT_OF_SCOPE:  # decided at assessment, at any age
            return rng.uniform(0, 8)
        return STAGE[state] + rng.uniform(-1.5, 1.5)

    return sorted(plan, key=key)


def _languages(n: int, rng: random.Random) -> list[str]:
    codes = list(LANGUAGE_WEIGHTS)
    chosen = (
        codes[:n] + rng.choices(codes, weights=list(LANGUAGE_WEIGHTS.values()), k=n)[len(codes) :]
    )
    rng.shuffle(chosen)
    return chosen


def _setup_staff() -> _Staff:
    teams = {name: team_create(name=name) for name in ("Customer care", "Delivery", "Billing")}
    users: dict[str, User] = {}
    for username, role, first, last, language, team in DEMO_USERS:
        users[username] = User.objects.filter(username=username).first() or user_create(
            username=username,
            password=DEMO_PASSWORD,
            role=role,
            email=f"{username}@polaris.example",
            first_name=first,
            last_name=last,
            team=teams.get(team),
            language=language,
            check_password=False,
        )
    manager = users["manager"]
    organisation_update(actor=Actor.staff(manager), **ORGANISATION)
    for code, name, _team in CATEGORIES:
        if not Category.objects.filter(code=code).exists():
            s.category_create(actor=Actor.staff(manager), code=code, name=name)
    return _Staff(
        admin=users["admin"],
        manager=manager,
        handlers=[users["handler"], users["handler2"], users["handler3"]],
        teams={name: team.pk for name, team in teams.items()},
    )


def _input(rng: random.Random, language: str, channel: str, scenario: Scenario) -> s.ComplaintInput:
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


def _remedies(category: str, extra: bool = False) -> list[s.RemedyInput]:
    remedies = [
        s.RemedyInput(kind, amount=Decimal(amount) if amount else None, currency=currency)
        for kind, amount, currency in REMEDIES[category]
    ]
    if extra:
        remedies.append(s.RemedyInput("compensation", amount=Decimal("25.00"), currency="EUR"))
    return remedies


# How long after the previous step each step typically happens, in hours (low, high).
STEP_DELAY_HOURS: dict[str, tuple[float, float]] = {
    "complaint_acknowledge": (1, 20),
    "complaint_reject_out_of_scope": (4, 48),
    "complaint_assess": (4, 60),
    "complaint_start_investigation": (1, 24),
    "complaint_request_information": (12, 120),
    "message_post": (6, 72),
    "complaint_record_findings": (24, 240),
    "complaint_propose_response": (24, 120),
    "complaint_communicate_decision": (1, 24),
    "complaint_accept_decision": (24, 168),
    "complaint_decline_decision": (24, 168),
    "complaint_refer_external": (24, 120),
    "complaint_record_remedy_delivered": (12, 150),
    "complaint_record_dispute_outcome": (240, 1200),
    "complaint_close": (1, 72),
    "complaint_withdraw": (24, 240),
}


class _Walk:
    """Moves one complaint to its planned final state through the services, each step at its own
    moment in the past."""

    def __init__(
        self, rng: random.Random, staff: _Staff, complaint: Complaint, scenario: Scenario
    ) -> None:
        self.rng = rng
        self.staff = staff
        self.id = complaint.pk
        self.state = complaint.state
        self.scenario = scenario
        self.language = complaint.complainant.language
        self.phrases = PHRASES[self.language]
        team = next(t for code, _, t in CATEGORIES if code == scenario.category)
        self.team_id = staff.teams[team]
        team_handlers = [h for h in staff.handlers if h.team_id == self.team_id]
        self.handler = (
            team_handlers[0] if team_handlers and rng.random() < 0.8 else rng.choice(staff.handlers)
        )
        self.actor = Actor.staff(self.handler)
        self.at = complaint.received_at
        self.now = timezone.now()

    def _at_next(self, service) -> time_machine.travel:
        """Advance this case's own clock to the moment of the next step (never past now)."""
        low, high = STEP_DELAY_HOURS[service.__name__]
        step = dt.timedelta(hours=self.rng.uniform(low, high))
        self.at = min(self.at + step, self.now - dt.timedelta(seconds=1))
        return time_machine.travel(self.at, tick=False)

    def _do(self, service, **kwargs) -> None:
        kwargs.setdefault("actor", self.actor)
        with self._at_next(service):
            self.state = service(complaint_id=self.id, **kwargs).state

    def _post(self, **kwargs) -> None:
        with self._at_next(s.message_post):
            s.message_post(complaint_id=self.id, **kwargs)

    def to(self, target: State) -> None:
        if target == State.RECEIVED:
            return
        if self.state == State.RECEIVED:
            self._do(s.complaint_acknowledge)
        if target == State.OUT_OF_SCOPE:
            reason = self.rng.choice(self.phrases["out_of_scope"])
            self._do(s.complaint_reject_out_of_scope, reason=reason)
            return
        if target == State.WAITING_ON_COMPLAINANT:  # investigation needs more from them
            self._early_steps(State.INVESTIGATING)
            self._do(s.complaint_request_information, reason=INFORMATION_REQUEST[self.language])
            return
        # Some closed cases are withdrawn by the complainant part-way through.
        stop_at = target
        if target == State.CLOSED and self.rng.random() < 0.12:
            stop_at = self.rng.choice([State.ACKNOWLEDGED, State.ASSESSED, State.INVESTIGATING])
        self._early_steps(stop_at)
        if stop_at != target:
            self._do(
                s.complaint_withdraw, actor=Actor.complainant(), comment=self.phrases["withdraw"]
            )
            return
        if STAGE[target] <= STAGE[State.INVESTIGATING]:
            return
        decision = DECISIONS[self.language][self.scenario.category]
        remedies = _remedies(self.scenario.category)
        self._do(s.complaint_propose_response, decision=decision, remedies=remedies)
        if target == State.RESPONSE_PROPOSED:
            return
        self._do(s.complaint_communicate_decision)
        if target == State.DECISION_COMMUNICATED:
            return
        reviewed = target == State.INTERNAL_REVIEW or (
            target in {State.CLOSED, State.REFERRED_EXTERNAL} and self.rng.random() < 0.3
        )
        if reviewed:
            self._do(
                s.complaint_decline_decision,
                actor=Actor.complainant(),
                reason=self.phrases["decline"],
            )
        if target == State.INTERNAL_REVIEW:
            return
        if target == State.REFERRED_EXTERNAL:
            self._do(s.complaint_refer_external, note=self.phrases["refer"])
            if self.rng.random() < 0.6:
                self._dispute_outcome()
            return
        if reviewed:
            self._review(decision)
        comment = self.phrases["accept"] if self.rng.random() < 0.5 else ""
        self._do(s.complaint_accept_decision, actor=Actor.complainant(), comment=comment)
        # The refund is paid or the replacement sent, mostly within the promised ten days.
        if target == State.CLOSED or self.rng.random() < 0.5:
            self._do(s.complaint_record_remedy_delivered)
        if target == State.CLOSED:
            self._do(s.complaint_close, reason="accepted")

    def _early_steps(self, stop_at: State) -> None:
        """Assess and investigate, stopping once ``stop_at`` is reached."""
        if stop_at == State.ACKNOWLEDGED:
            return
        self._assess()
        if stop_at == State.ASSESSED:
            return
        self._do(s.complaint_start_investigation)
        self._investigate()

    def _assess(self) -> None:
        category = self.scenario.category
        severity = self.rng.choice(SEVERITY[category])
        safety = category == "product-quality" and self.rng.random() < 0.1
        priority = "urgent" if safety or severity == "critical" else "normal"
        if severity == "high" and not safety:
            priority = "high"
        self._do(
            s.complaint_assess,
            severity=severity,
            priority=priority,
            category=category,
            safety_issue=safety,
            assignee_id=self.handler.pk,
            team_id=self.team_id,
            actor=Actor.staff(self.staff.manager) if self.rng.random() < 0.3 else self.actor,
        )

    def _investigate(self) -> None:
        if self.rng.random() < 0.35:
            self._post(actor=self.actor, body=self.phrases["question"])
            if self.rng.random() < 0.7:
                self._post(actor=Actor.complainant(), body=self.phrases["answer"])
        if self.rng.random() < 0.3:
            self._post(
                actor=self.actor,
                body=self.rng.choice(INTERNAL_NOTES),
                internal=True,
            )
        if self.rng.random() < 0.8:
            findings, root_cause = FINDINGS[self.scenario.category]
            self._do(s.complaint_record_findings, findings=findings, root_cause=root_cause)

    def _review(self, decision: str) -> None:
        """Internal review by someone other than the person who decided."""
        reviewer = next(h for h in self.staff.handlers if h.pk != self.handler.pk)
        actor = Actor.staff(reviewer)
        self._do(
            s.complaint_propose_response,
            actor=actor,
            decision=self.phrases["review"] + decision,
            remedies=_remedies(self.scenario.category, extra=True),
        )
        self._do(s.complaint_communicate_decision, actor=actor)

    def _dispute_outcome(self) -> None:
        """The Consumer Disputes Committee decided some weeks later (ISO 10003), if that time has
        passed already."""
        if self.at + dt.timedelta(days=10) > self.now:
            return
        with self._at_next(s.complaint_record_dispute_outcome):
            self.state = s.complaint_record_dispute_outcome(
                complaint_id=self.id,
                actor=self.actor,
                provider="Tarbijavaidluste komisjon (Consumer Disputes Committee)",
                outcome=self.rng.choice(list(DisputeOutcome.values)),
                closed_on=timezone.localdate(timezone=ZoneInfo(organisation_get().timezone)),
                binding=self.rng.random() < 0.3,
            ).state

    def _withdraw(self) -> None:
        self._do(s.complaint_withdraw, actor=Actor.complainant(), comment=self.phrases["withdraw"])


def _received_times(n: int, rng: random.Random, now: dt.datetime) -> list[dt.datetime]:
    """Receipt times over the last ~six months, mostly in office hours, newest first."""
    times = []
    for _ in range(n):
        day = now - dt.timedelta(days=rng.uniform(0, 182))
        at = day.replace(hour=rng.choice([7, 8, 9, 10, 11, 13, 14, 15, 16, 19, 21]))
        at = at.replace(minute=rng.randint(0, 59), second=rng.randint(0, 59), microsecond=0)
        times.append(min(at, now - dt.timedelta(minutes=rng.randint(5, 600))))
    return sorted(times, reverse=True)


def seed_demo(*, complaints: int = 300, seed: int = DEMO_SEED) -> DemoSummary:
    """Create the demo organisation, staff, categories and ``complaints`` complaints."""
    started = time.monotonic()
    rng = random.Random(seed)
    staff = _setup_staff()
    summary = DemoSummary()
    if complaints <= 0:
        return summary
    now = timezone.now()
    plan = _state_plan(complaints, rng)
    languages = _languages(complaints, rng)
    channels = list(CHANNEL_WEIGHTS)
    weights = list(CHANNEL_WEIGHTS.values())
    for received_at, target, language in zip(
        _received_times(complaints, rng, now), plan, languages, strict=True
    ):
        if target == State.RECEIVED:
            channel = rng.choice(UNACKNOWLEDGED_CHANNELS)
        else:
            channel = rng.choices(channels, weights=weights)[0]
        scenario = rng.choice(SCENARIOS[language])
        data = _input(rng, language, channel, scenario)
        if channel in {Channel.PHONE, Channel.LETTER, Channel.IN_PERSON}:
            actor = Actor.staff(rng.choice(staff.handlers))
        elif channel == Channel.API:
            actor = Actor.staff(staff.admin)  # the web shop's integration, using the admin's token
        else:
            actor = Actor.complainant()
        with transaction.atomic():
            with time_machine.travel(received_at, tick=False):
                complaint, token = s.complaint_submit(
                    data=data, channel=channel, actor=actor, received_at=received_at
                )
            walk = _Walk(rng, staff, complaint, scenario)
            walk.to(target)
        summary.complaints += 1
        summary.states[walk.state] += 1
        summary.languages[language] += 1
        summary.channels[channel] += 1
        # Only a token issued at an automatic acknowledgement stays valid (acknowledging issues a
        # new one, which goes out by mail).
        if complaint.acknowledged_at and walk.state not in summary.tracking_urls:
            summary.tracking_urls[walk.state] = s.tracking_url(token)
    summary.seconds = time.monotonic() - started
    return summary
