# ruff: noqa: RUF001 - the demo texts are Ukrainian and Persian on purpose
"""What the demo's complainants complain about, in their own language: a dozen realistic cases
per language, each with a subject, a description, the outcome the complainant wants and a product."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scenario:
    category: str
    subject: str
    description: str
    desired_outcome: str
    product: str = ""


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
