# ruff: noqa: RUF001 - the demo texts are Ukrainian and Persian on purpose
"""Demo surveys: the ISO 10002 8.3 complaint-handling survey and a relationship survey, in five
languages, with a few thousand responses over the last 18 months so trends and segments show.

The surveys, questions and a few live invitations go through the services. The historical
responses are written in bulk (invitations, responses, answers) and then counted by the insights
app's documented rebuild (``insights.services.aggregates_rebuild``), which computes the same
aggregates as calling ``response_recorded`` once per response, in a few set-based statements.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import random
import secrets

from django.db import transaction

from plaint.core.actors import Actor
from plaint.surveys import services
from plaint.surveys.models import (
    Answer,
    Invitation,
    Question,
    Response,
    ResponseSource,
    Survey,
    SurveyKind,
)
from plaint.surveys.states import InvitationState

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
    ),
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
    (
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
    ),
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

# Attribute means on a 1-5 scale at the start of the 18 months, and the gain per year: the
# service improves on speed, fairness lags (so the importance-performance chart has a story).
HANDLING_PROFILE = {
    "speed": (2.9, 0.7),
    "fairness": (3.2, 0.2),
    "clarity": (3.6, 0.3),
    "courtesy": (4.1, 0.1),
}
RELATIONSHIP_PROFILE = {"reliability": (4.6, 0.4), "value": (4.0, 0.2), "support": (4.4, 0.6)}


def _clip(value: float, low: int, high: int) -> int:
    return max(low, min(high, round(value)))


def _build(actor: Actor, key: str, kind: str, title: dict, questions: list, **settings) -> Survey:
    existing = Survey.objects.filter(key=key).order_by("-version").first()
    if existing is not None:
        return existing
    survey = services.survey_create(actor=actor, key=key, kind=kind, title=title, **settings)
    scale = 5 if kind == SurveyKind.COMPLAINT_CLOSED else 7
    labels = SAT5 if scale == 5 else SAT7
    for code, qkind, attribute, weight, text in questions:
        data = {"kind": qkind, "code": code, "text": text}
        if qkind == "rating":
            data.update(
                scale_min=1,
                scale_max=scale,
                point_labels=labels,
                attribute=attribute,
                weight=weight,
                is_overall=code == "overall",
                required=code == "overall",
            )
        services.question_add(actor=actor, survey_id=survey.pk, **data)
    return services.survey_activate(actor=actor, survey_id=survey.pk)


def _responses(
    survey: Survey,
    rng: random.Random,
    now: dt.datetime,
    count: int,
    profile: dict[str, tuple[float, float]],
    complaints: list,
    segments: list[str],
) -> int:
    questions = {q.code: q for q in Question.objects.filter(survey=survey)}
    scale_max = questions["overall"].scale_max
    factor = (scale_max - 1) / 4  # the profile is on 1-5
    start = now - dt.timedelta(days=548)
    weights = {q.attribute: float(q.weight) for q in questions.values() if q.attribute}
    invitations, responses, answer_sets = [], [], []
    for i in range(count):
        # more responses lately (growing programme), spread evenly within a month
        at = start + dt.timedelta(days=548 * math.sqrt(rng.random()))
        years = (at - start).days / 365
        language = rng.choices(LANGS, LANG_WEIGHTS)[0]
        person = rng.gauss(0, 0.8)
        scores = {}
        for attribute, (mean, gain) in profile.items():
            raw = 1 + (mean - 1 + gain * years + person + rng.gauss(0, 0.7)) * factor
            scores[attribute] = _clip(raw, 1, scale_max)
        weighted = sum(weights[a] * s for a, s in scores.items()) / sum(weights.values())
        overall = _clip(weighted + rng.gauss(0, 0.5), 1, scale_max)
        nps = _clip((overall - 1) / (scale_max - 1) * 10 + rng.gauss(0.3, 1.3), 0, 10)
        values = {questions[a].pk: v for a, v in scores.items() if a in questions}
        values[questions["overall"].pk] = overall
        values[questions["nps"].pk] = nps
        if "effort" in questions:
            values[questions["effort"].pk] = _clip(overall * 1.4 + rng.gauss(0, 0.8), 1, 7)
        texts = {}
        if "comment" in questions and rng.random() < 0.25:
            texts[questions["comment"].pk] = rng.choice(COMMENTS[language])
        complaint = complaints[i] if i < len(complaints) else None
        salt = secrets.token_hex(16)
        sent = at - dt.timedelta(hours=rng.randint(2, 96))
        invitations.append(
            Invitation(
                survey=survey,
                trigger=survey.kind,
                complaint=complaint,
                case_ref=(complaint.reference or "") if complaint else "",
                email=f"customer{i}.{survey.key}@example.org",
                language=language,
                token_salt=salt,
                token_digest=hashlib.sha256(f"demo:{survey.pk}:{i}:{salt}".encode()).hexdigest(),
                state=InvitationState.RESPONDED,
                created_at=sent - dt.timedelta(hours=survey.delay_hours),
                send_after=sent,
                sent_at=sent,
                expires_at=sent + dt.timedelta(days=survey.expiry_days),
                responded_at=at,
            )
        )
        responses.append(
            Response(
                survey=survey,
                complaint=complaint,
                started_at=at - dt.timedelta(minutes=rng.randint(2, 15)),
                submitted_at=at,
                language=language,
                channel=complaint.channel if complaint else "",
                category_id=complaint.category_id if complaint else None,
                product=complaint.product if complaint else "",
                segment=rng.choice(segments) if segments else "",
                source=ResponseSource.WEB,
            )
        )
        answer_sets.append((values, texts))
    # Invitations that were never answered: the response rate is about 38 %.
    unanswered = int(count * 0.62 / 0.38)
    for j in range(unanswered):
        sent = start + dt.timedelta(days=548 * math.sqrt(rng.random()))
        salt = secrets.token_hex(16)
        expired = sent + dt.timedelta(days=survey.expiry_days) < now
        invitations.append(
            Invitation(
                survey=survey,
                trigger=survey.kind,
                email=f"quiet{j}.{survey.key}@example.org",
                language=rng.choices(LANGS, LANG_WEIGHTS)[0],
                token_salt=salt,
                token_digest=hashlib.sha256(
                    f"demo-quiet:{survey.pk}:{j}:{salt}".encode()
                ).hexdigest(),
                state=InvitationState.EXPIRED if expired else InvitationState.SENT,
                created_at=sent,
                send_after=sent,
                sent_at=sent,
                expires_at=sent + dt.timedelta(days=survey.expiry_days),
                reminders_sent=survey.reminder_count if expired else 0,
                closed_at=sent + dt.timedelta(days=survey.expiry_days) if expired else None,
            )
        )
    Invitation.objects.bulk_create(invitations, batch_size=1000)
    for invitation, response in zip(invitations, responses, strict=False):
        response.invitation = invitation
    Response.objects.bulk_create(responses, batch_size=1000)
    answers = []
    for response, (values, texts) in zip(responses, answer_sets, strict=True):
        answers += [Answer(response=response, question_id=q, value=v) for q, v in values.items()]
        answers += [Answer(response=response, question_id=q, text=t) for q, t in texts.items()]
    Answer.objects.bulk_create(answers, batch_size=2000)
    return len(responses)


def seed_demo(
    *, now: dt.datetime, seed: int = 10004, handling: int = 2400, relationship: int = 1500
) -> str:
    """Seed the two demo surveys with responses over the last 18 months; returns a summary."""
    from plaint.complaints.models import Complaint
    from plaint.insights.services import aggregates_rebuild

    rng = random.Random(seed)
    actor = Actor.system("demo")
    with transaction.atomic():
        handling_survey = _build(
            actor,
            "complaint-handling",
            SurveyKind.COMPLAINT_CLOSED,
            {
                "en": "How did we handle your complaint?",
                "et": "Kuidas me teie kaebust menetlesime?",
                "uk": "Як ми розглянули вашу скаргу?",
                "sv": "Hur hanterade vi ditt klagomål?",
                "fa": "به شکایت شما چگونه رسیدگی کردیم؟",
            },
            HANDLING_QUESTIONS,
            sampling_rate="0.5",
            delay_hours=24,
            reminder_count=1,
            reminder_interval_days=4,
            quiet_period_days=90,
            questions_per_page=4,
            followup="callback",
            followup_max_score=1,
        )
        relationship_survey = _build(
            actor,
            "customer-relationship",
            SurveyKind.RELATIONSHIP,
            {
                "en": "How are we doing?",
                "et": "Kuidas meil läheb?",
                "uk": "Як у нас справи?",
                "sv": "Hur går det för oss?",
                "fa": "عملکرد ما چطور است؟",
            },
            RELATIONSHIP_QUESTIONS,
            reminder_count=2,
            reminder_interval_days=5,
            quiet_period_days=180,
            period_days=180,
        )
        made = 0
        if not handling_survey.responses.exists():
            closed = list(
                Complaint.objects.filter(state="closed", complainant__email__gt="")
                .select_related("complainant")
                .order_by("closed_at")[: handling // 3]
            )
            made += _responses(handling_survey, rng, now, handling, HANDLING_PROFILE, closed, [])
            made += _responses(
                relationship_survey,
                rng,
                now,
                relationship,
                RELATIONSHIP_PROFILE,
                [],
                ["retail", "business", "public sector"],
            )
    aggregates_rebuild(survey_id=handling_survey.pk)
    aggregates_rebuild(survey_id=relationship_survey.pk)
    # Live invitations through the services: one to try in English, one in Persian (right to
    # left), and one low score that opened a callback task for a manager.
    links = []
    for email, language, name in (
        ("demo-en@example.org", "en", "Alex Demo"),
        ("demo-fa@example.org", "fa", "سارا نمونه"),
        ("demo-low@example.org", "et", "Kaja Näidis"),
    ):
        if Invitation.objects.filter(email=email).exists():
            continue
        invitation = services.invitation_create(
            actor=actor, survey_id=handling_survey.pk, email=email, name=name, language=language
        )
        links.append(services.survey_url(services.invitation_token(invitation.token_salt)))
    if len(links) == 3:
        services.response_save(
            token=links.pop().rstrip("/").rsplit("/", 1)[1],
            answers={"overall": "1", "fairness": "1", "comment": "Keegi ei helistanud tagasi."},
            submit=True,
        )
        made += 1
    return (
        f"surveys: 2 active surveys in 5 languages, {made} responses over 18 months, "
        f"aggregates rebuilt; try one: {links[0] if links else 'already seeded'}"
    )
