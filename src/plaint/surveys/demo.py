# ruff: noqa: RUF001 - the demo texts are Ukrainian and Persian on purpose
"""Demo surveys, coherent with the demo complaints: the ISO 10002 8.3 complaint-handling survey
invites the complainants of the demo's closed (and withdrawn) complaints, and the relationship
survey goes in monthly waves to a contact list of a few thousand customers over 18 months.

The rules the services apply hold for the bulk history too: one invitation per complaint, drawn by
the survey's own deterministic sampler, none to an address invited within the quiet period or
opted out, a response only to an invitation sent before it and not expired, about 38 % answered.
So the 8.3 survey's responses are always fewer than its invitations, which are at most the closed
complaints (the population the dashboard's margin of error uses), and the volume for trends and
segments is in the relationship survey, whose population is the contact list.

The surveys, questions, the contact list's later additions and a few live invitations go through
the services. The history is written in bulk and then counted by the insights app's documented
rebuild (``insights.services.aggregates_rebuild``), the same aggregates as ``response_recorded``
once per response.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import secrets
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from plaint.core.actors import Actor
from plaint.surveys import services
from plaint.surveys.models import (
    Answer,
    CallbackTask,
    Contact,
    Invitation,
    Question,
    Response,
    ResponseSource,
    Suppression,
    Survey,
    SurveyKind,
)
from plaint.surveys.states import CallbackState, InvitationState

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
SEGMENTS = (("retail", 0.6), ("business", 0.3), ("public sector", 0.1))
FIRST = ("Mari", "Jaan", "Olena", "Erik", "Sara", "Kadri", "Taras", "Anna", "Reza", "Liis")
LAST = ("Tamm", "Kask", "Melnyk", "Lind", "Ahmadi", "Saar", "Berg", "Koval", "Rebane", "Nilsson")

# Attribute means on a 1-5 scale at the start of the period, and the gain per year: the service
# improves on speed, fairness lags (so the importance-performance chart has a story).
HANDLING_PROFILE = {
    "speed": (2.9, 0.7),
    "fairness": (3.2, 0.2),
    "clarity": (3.6, 0.3),
    "courtesy": (4.1, 0.1),
}
RELATIONSHIP_PROFILE = {"reliability": (4.6, 0.4), "value": (4.0, 0.2), "support": (4.4, 0.6)}


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


def _clip(value: float, low: int, high: int) -> int:
    return max(low, min(high, round(value)))


def _scores(
    questions: dict[str, Question],
    rng: random.Random,
    language: str,
    years: float,
    profile: dict[str, tuple[float, float]],
    shift: dict[str, float],
) -> tuple[dict[int, int], dict[int, str]]:
    """One respondent's answers: attribute scores around the profile (plus a personal tone and
    ``shift`` per attribute), an overall score that follows the weighted attributes, NPS, effort."""
    scale_max = questions["overall"].scale_max
    if scale_max is None:  # the demo builds its overall question as a rating with a scale
        raise ValueError("the demo's overall question has no scale")
    factor = (scale_max - 1) / 4  # the profile is on 1-5
    weights = {q.attribute: float(q.weight) for q in questions.values() if q.attribute}
    person = rng.gauss(0, 0.8)
    scores = {}
    for attribute, (mean, gain) in profile.items():
        raw = mean - 1 + gain * years + shift.get(attribute, 0) + person + rng.gauss(0, 0.7)
        scores[attribute] = _clip(1 + raw * factor, 1, scale_max)
    weighted = sum(weights[a] * v for a, v in scores.items()) / sum(weights.values())
    overall = _clip(weighted + rng.gauss(0, 0.5), 1, scale_max)
    values = {questions[a].pk: v for a, v in scores.items() if a in questions}
    values[questions["overall"].pk] = overall
    values[questions["nps"].pk] = _clip(
        (overall - 1) / (scale_max - 1) * 10 + rng.gauss(1.0, 1.3), 0, 10
    )
    if "effort" in questions:
        values[questions["effort"].pk] = _clip(overall * 1.4 + rng.gauss(0, 0.8), 1, 7)
    texts = {}
    if "comment" in questions and rng.random() < 0.25:
        texts[questions["comment"].pk] = rng.choice(COMMENTS[language])
    return values, texts


def _digest(tag: str, salt: str) -> str:
    # Demo history has no working links: the digest is of no token anyone holds.
    return hashlib.sha256(f"demo:{tag}:{salt}".encode()).hexdigest()


def _answer_time(
    rng: random.Random, survey: Survey, sent: dt.datetime, rate: float
) -> tuple[dt.datetime | None, int]:
    """When (if ever) the person answers, and how many reminders they had by then: most answer
    within a day or two of the mail, some after a reminder."""
    if rng.random() >= rate:
        return None, 0
    reminders = 0
    if survey.reminder_count and rng.random() < 0.3:
        reminders = rng.randint(1, survey.reminder_count)
    base = sent + dt.timedelta(days=survey.reminder_interval_days * reminders)
    return base + dt.timedelta(hours=min(rng.expovariate(1 / 20), 24 * 3)), reminders


def _close_invitation(invitation: Invitation, survey: Survey, now: dt.datetime) -> None:
    """An unanswered invitation as the worker would have left it by ``now``."""
    sent, expires = invitation.sent_at, invitation.expires_at
    if sent is None or expires is None:  # the demo closes only invitations it has sent
        raise ValueError("a demo invitation to close must have been sent")
    if expires <= now:
        invitation.state = InvitationState.EXPIRED
        invitation.closed_at = expires
        due = [
            sent + dt.timedelta(days=survey.reminder_interval_days * k)
            for k in range(1, survey.reminder_count + 1)
        ]
        invitation.reminders_sent = sum(1 for d in due if d < expires)
        return
    invitation.state = InvitationState.SENT
    elapsed = (now - sent).days // max(1, survey.reminder_interval_days)
    invitation.reminders_sent = min(survey.reminder_count, elapsed)
    if invitation.reminders_sent < survey.reminder_count:
        nxt = sent + dt.timedelta(
            days=survey.reminder_interval_days * (invitation.reminders_sent + 1)
        )
        invitation.next_reminder_at = nxt if nxt < expires else None


@dataclass
class _History:
    invitations: list = field(default_factory=list)
    responses: list = field(default_factory=list)
    answer_sets: list = field(default_factory=list)
    callbacks: list = field(default_factory=list)  # (response index, score, comment)

    def add(self, invitation, response=None, values=None, texts=None) -> None:
        self.invitations.append(invitation)
        if response is not None:
            response.invitation = invitation
            self.responses.append(response)
            self.answer_sets.append((values, texts))

    def write(self, survey: Survey, questions: dict[str, Question], now, rng, closer) -> None:
        Invitation.objects.bulk_create(self.invitations, batch_size=1000)
        for response in self.responses:
            response.invitation_id = response.invitation.pk
        Response.objects.bulk_create(self.responses, batch_size=1000)
        answers = []
        for response, (values, texts) in zip(self.responses, self.answer_sets, strict=True):
            answers += [
                Answer(response=response, question_id=q, value=v) for q, v in values.items()
            ]
            answers += [Answer(response=response, question_id=q, text=t) for q, t in texts.items()]
        Answer.objects.bulk_create(answers, batch_size=2000)
        # The survey's follow-up would have opened a callback task for each low score; the older
        # ones a manager has called back.
        if survey.followup != "callback" or survey.followup_max_score is None:
            return
        overall = questions["overall"].pk
        comment = questions["comment"].pk if "comment" in questions else None
        tasks = []
        for response, (values, texts) in zip(self.responses, self.answer_sets, strict=True):
            if values[overall] > survey.followup_max_score:
                continue
            invitation = response.invitation
            done = response.submitted_at < now - dt.timedelta(days=10)
            tasks.append(
                CallbackTask(
                    survey=survey,
                    response=response,
                    email=invitation.email,
                    name=invitation.name or invitation.email,
                    score=values[overall],
                    comment=texts.get(comment, ""),
                    created_at=response.submitted_at,
                    state=CallbackState.DONE if done else CallbackState.OPEN,
                    done_at=response.submitted_at + dt.timedelta(days=rng.randint(1, 6))
                    if done
                    else None,
                    done_by=closer if done else None,
                    note=CALLBACK_NOTES.get(response.language, CALLBACK_NOTES["en"])
                    if done
                    else "",
                )
            )
        CallbackTask.objects.bulk_create(tasks, batch_size=500)


def _month(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).strftime("%Y-%m")


def _handling_history(
    survey: Survey,
    rng: random.Random,
    now: dt.datetime,
    complaints: list,
    closer,
    room: Counter,
) -> _History:
    """ISO 10002 8.3: one invitation per closed or withdrawn complaint with an e-mail address, as
    ``survey_invite_after_complaint`` would have made it at the closing (sampled, quiet period).

    ``room`` holds, per UTC month, how many more answers that month can take: the insights
    dashboard takes the complaints closed in a period as the population, while an answer may come
    in the month after the closing, so an answer that would make a month's answers outnumber its
    closings is left unanswered (a population smaller than the sample would make no sense)."""
    from plaint.complaints.models import ClosureReason

    questions = {q.code: q for q in Question.objects.filter(survey=survey)}
    history = _History()
    if not complaints:
        return history
    first = complaints[0].closed_at
    last_invited: dict[str, dt.datetime] = {}
    quiet = dt.timedelta(days=survey.quiet_period_days)
    for complaint in complaints:
        email = complaint.complainant.email.strip().lower()
        closed = complaint.closed_at
        if not services._sampled(survey.key, f"complaint:{complaint.pk}", survey.sampling_rate):
            continue
        if email in last_invited and closed - last_invited[email] < quiet:
            continue
        last_invited[email] = closed
        language = complaint.complainant.language
        send_after = closed + dt.timedelta(hours=survey.delay_hours)
        invitation = Invitation(
            survey=survey,
            trigger=SurveyKind.COMPLAINT_CLOSED,
            complaint=complaint,
            case_ref=complaint.reference or "",
            email=email,
            name=complaint.complainant.name[:200],
            language=language if language in LANGS else "en",
            token_salt=(salt := secrets.token_hex(16)),
            token_digest=_digest(f"{survey.pk}:c{complaint.pk}", salt),
            state=InvitationState.SCHEDULED,
            created_at=closed,
            send_after=send_after,
            expires_at=send_after + dt.timedelta(days=survey.expiry_days),
        )
        if send_after > now:  # closed within the delay: the worker sends it soon
            history.add(invitation)
            continue
        invitation.sent_at = send_after
        withdrawn = complaint.closure_reason == ClosureReason.WITHDRAWN
        # Withdrawn cases answer less often; handled ones a little more than average.
        at, reminders = _answer_time(rng, survey, send_after, 0.28 if withdrawn else 0.40)
        if at is None or at >= min(now, invitation.expires_at) or room[_month(at)] <= 0:
            _close_invitation(invitation, survey, now)
            history.add(invitation)
            continue
        room[_month(at)] -= 1
        invitation.state = InvitationState.RESPONDED
        invitation.responded_at = at
        invitation.reminders_sent = reminders
        handling_days = (closed - complaint.received_at).total_seconds() / 86400
        shift = {"speed": -0.5 if handling_days > 21 else 0.2}
        if withdrawn:
            shift["fairness"] = -0.3
        years = (closed - first).total_seconds() / (365 * 86400)
        values, texts = _scores(questions, rng, invitation.language, years, HANDLING_PROFILE, shift)
        response = Response(
            survey=survey,
            complaint=complaint,
            started_at=at - dt.timedelta(minutes=rng.randint(2, 15)),
            submitted_at=at,
            language=invitation.language,
            channel=complaint.channel,
            category_id=complaint.category_id,
            product=complaint.product,
            source=ResponseSource.WEB,
        )
        history.add(invitation, response, values, texts)
    history.write(survey, questions, now, rng, closer)
    return history


def _contacts(rng: random.Random, now: dt.datetime, count: int) -> list[Contact]:
    """The customer list: most of it imported before the first wave, the rest added since."""
    contacts = []
    start = now - dt.timedelta(days=30 * 18 + 20)
    for i in range(count):
        language = rng.choices(LANGS, LANG_WEIGHTS)[0]
        segment = rng.choices([s for s, _w in SEGMENTS], [w for _s, w in SEGMENTS])[0]
        joined = start if i < count * 0.8 else start + dt.timedelta(days=rng.uniform(30, 520))
        contacts.append(
            Contact(
                email=f"customer{i:05d}@customers.example",
                name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                language=language,
                segment=segment,
                created_at=joined,
            )
        )
    Contact.objects.bulk_create(contacts, batch_size=1000)
    return list(Contact.objects.filter(email__endswith="@customers.example").order_by("pk"))


def _relationship_history(
    survey: Survey, rng: random.Random, now: dt.datetime, contacts: list[Contact]
) -> tuple[_History, dt.datetime | None]:
    """Monthly waves to the contact list, as ``survey_invite_contacts`` runs them: each wave
    samples the contacts on the list then, skipping opted-out addresses and those invited within
    the quiet period. A few people opt out along the way."""
    questions = {q.code: q for q in Question.objects.filter(survey=survey)}
    history = _History()
    suppressed: dict[str, dt.datetime] = {}
    last_invited: dict[str, dt.datetime] = {}
    quiet = dt.timedelta(days=survey.quiet_period_days)
    period = dt.timedelta(days=survey.period_days or 30)
    waves = [now - dt.timedelta(days=5) - period * k for k in range(17, -1, -1)]
    segment_shift = {"business": {"support": -0.3}, "public sector": {"value": 0.3}}
    for wave in waves:
        stamp = wave.strftime("%Y%m%d%H%M")
        years = (wave - waves[0]).total_seconds() / (365 * 86400)
        for contact in contacts:
            if contact.created_at > wave or contact.email in suppressed:
                continue
            if contact.email in last_invited and wave - last_invited[contact.email] < quiet:
                continue
            if not services._sampled(
                survey.key, f"contact:{contact.pk}:{stamp}", survey.sampling_rate
            ):
                continue
            last_invited[contact.email] = wave
            invitation = Invitation(
                survey=survey,
                trigger=SurveyKind.RELATIONSHIP,
                contact=contact,
                email=contact.email,
                name=contact.name,
                language=contact.language,
                token_salt=(salt := secrets.token_hex(16)),
                token_digest=_digest(f"{survey.pk}:{contact.pk}:{stamp}", salt),
                state=InvitationState.SENT,
                created_at=wave,
                send_after=wave,
                sent_at=wave,
                expires_at=wave + dt.timedelta(days=survey.expiry_days),
            )
            at, reminders = _answer_time(rng, survey, wave, 0.37)
            if at is None or at >= min(now, invitation.expires_at):
                if rng.random() < 0.012 and wave + dt.timedelta(days=2) < now:
                    invitation.state = InvitationState.OPTED_OUT
                    invitation.closed_at = wave + dt.timedelta(hours=rng.randint(1, 40))
                    suppressed[contact.email] = invitation.closed_at
                else:
                    _close_invitation(invitation, survey, now)
                history.add(invitation)
                continue
            invitation.state = InvitationState.RESPONDED
            invitation.responded_at = at
            invitation.reminders_sent = reminders
            values, texts = _scores(
                questions,
                rng,
                contact.language,
                years,
                RELATIONSHIP_PROFILE,
                segment_shift.get(contact.segment, {}),
            )
            response = Response(
                survey=survey,
                started_at=at - dt.timedelta(minutes=rng.randint(2, 15)),
                submitted_at=at,
                language=contact.language,
                segment=contact.segment,
                source=ResponseSource.WEB,
            )
            history.add(invitation, response, values, texts)
    Suppression.objects.bulk_create(
        [Suppression(email=e, created_at=at) for e, at in suppressed.items()]
    )
    history.write(survey, questions, now, rng, None)
    return history, waves[-1] if history.invitations else None


def _live_complaints(complaints: list) -> list:
    """Three recently closed complaints (distinct addresses; an English, a Persian and an
    Estonian one where the demo has them) to invite live through the services."""
    chosen, emails = [], set()
    for language in ("en", "fa", "et"):
        for complaint in reversed(complaints):
            email = complaint.complainant.email.strip().lower()
            if email not in emails and complaint.complainant.language == language:
                chosen.append(complaint)
                emails.add(email)
                break
    for complaint in reversed(complaints):  # fall back to any language
        if len(chosen) == 3:
            break
        email = complaint.complainant.email.strip().lower()
        if email not in emails:
            chosen.append(complaint)
            emails.add(email)
    return chosen


def seed_demo(*, now: dt.datetime, seed: int = 10004, contacts: int = 3000) -> str:
    """Seed the two demo surveys coherently with the demo complaints; returns a summary."""
    from plaint.accounts.models import User
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
            sampling_rate="1",
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
            sampling_rate="0.25",
            reminder_count=2,
            reminder_interval_days=5,
            quiet_period_days=180,
            period_days=30,
        )
        if handling_survey.invitations.exists():
            return "surveys: already seeded"
        closed = list(
            Complaint.objects.filter(
                state="closed", closed_at__isnull=False, complainant__email__gt=""
            )
            .select_related("complainant")
            .order_by("closed_at", "pk")
        )
        live = _live_complaints(closed)
        live_emails = {c.complainant.email.strip().lower() for c in live}
        closer = User.objects.filter(role="manager", is_active=True).order_by("pk").first()
        # what the dashboard counts as the population: every complaint closed, by UTC month
        room = Counter(
            _month(at)
            for at in Complaint.objects.filter(closed_at__isnull=False).values_list(
                "closed_at", flat=True
            )
            if at is not None  # always, by the filter
        )
        handling = _handling_history(
            handling_survey,
            rng,
            now,
            [c for c in closed if c.complainant.email.strip().lower() not in live_emails],
            closer,
            room,
        )
        people = _contacts(rng, now, contacts)
        relationship, last_wave = _relationship_history(relationship_survey, rng, now, people)
        if last_wave is not None:
            Survey.objects.filter(pk=relationship_survey.pk).update(last_wave_at=last_wave)
    aggregates_rebuild(survey_id=handling_survey.pk)
    aggregates_rebuild(survey_id=relationship_survey.pk)
    # Live invitations through the services, for complaints just closed: one to try in English,
    # one in Persian (right to left), and one low score that opens a callback task.
    links = []
    for complaint in live:
        invitation = services.invitation_create(
            actor=actor, survey_id=handling_survey.pk, complaint_id=complaint.pk
        )
        links.append(services.survey_url(services.invitation_token(invitation.token_salt)))
    answered_live = len(links) == 3 and room[_month(timezone.now())] > 0
    if answered_live:
        services.response_save(
            token=links.pop().rstrip("/").rsplit("/", 1)[1],
            answers={"overall": "1", "fairness": "1", "comment": "Keegi ei helistanud tagasi."},
            submit=True,
        )
    n_handling = len(handling.responses) + answered_live
    return (
        f"surveys: ISO 10002 8.3 survey: {len(closed)} closed complaints with an address, "
        f"{len(handling.invitations) + len(live)} invited, {n_handling} answered; relationship "
        f"survey: {len(people)} contacts, {len(relationship.invitations)} invited in monthly "
        f"waves, {len(relationship.responses)} answered; try one: "
        f"{links[0] if links else 'no closed complaint with an address to invite'}"
    )
