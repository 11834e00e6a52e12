# ruff: noqa: RUF001 - the demo texts are Ukrainian and Persian on purpose
"""What the demo organisation writes back, in the complainant's language (decisions, questions,
requests for information, review notes), and the staff's own findings, severities and remedies."""

from __future__ import annotations

from decimal import Decimal
from typing import TypedDict

from plaint.complaints import services as s

INFORMATION_REQUEST = {
    "en": "Could you send us the order number and a photo of the problem?",
    "et": "Palun saatke meile tellimuse number ja foto probleemist.",
    "uk": "Будь ласка, надішліть нам номер замовлення та фото проблеми.",
    "sv": "Kan du skicka ordernumret och ett foto av problemet?",
    "fa": "لطفاً شمارهٔ سفارش و عکسی از مشکل را برای ما بفرستید.",
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
# The demo's root-cause taxonomy (code, name, parent code) and the cause each category's findings
# name: broad causes (method, people, supplier, systems) with finer ones under them.
ROOT_CAUSES = [
    ("method", "Method or process", ""),
    ("no-alert", "No alert when a step is missed", "method"),
    ("manual-step-skipped", "Manual step skipped under load", "method"),
    ("unaudited-agreement", "Agreement or contract never checked", "method"),
    ("people", "People", ""),
    ("training-gap", "Training gap", "people"),
    ("supplier", "Supplier", ""),
    ("faulty-batch", "Faulty supplier batch", "supplier"),
    ("systems", "Systems", ""),
    ("software-defect", "Software defect", "systems"),
    ("single-point-of-failure", "Single point of failure", "systems"),
]
CAUSE_OF = {
    "delivery": "no-alert",
    "billing": "software-defect",
    "staff-conduct": "training-gap",
    "product-quality": "faulty-batch",
    "refunds": "manual-step-skipped",
    "website": "single-point-of-failure",
    "privacy": "unaudited-agreement",
    "complaints-process": "manual-step-skipped",
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


def remedies(category: str, extra: bool = False) -> list[s.RemedyInput]:
    """The remedies the demo offers for a category (and a goodwill payment after a review)."""
    chosen = [
        s.RemedyInput(kind, amount=Decimal(amount) if amount else None, currency=currency)
        for kind, amount, currency in REMEDIES[category]
    ]
    if extra:
        chosen.append(s.RemedyInput("compensation", amount=Decimal("25.00"), currency="EUR"))
    return chosen
