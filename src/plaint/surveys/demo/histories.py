"""The demo surveys' past, written in bulk under the rules the services apply: the ISO 10002 8.3
survey's invitations for closed complaints, the contact list, and the relationship survey's
monthly waves."""

from __future__ import annotations

import datetime as dt
import random
import secrets
from collections import Counter

from plaint.complaints.models import ClosureReason, Complaint
from plaint.surveys import services
from plaint.surveys.demo.respondents import (
    FIRST,
    HANDLING_PROFILE,
    LAST,
    RELATIONSHIP_PROFILE,
    SEGMENTS,
    History,
    answer_time,
    close_invitation,
    digest,
    scores,
    utc_month,
)
from plaint.surveys.demo.texts import LANG_WEIGHTS, LANGS
from plaint.surveys.models import (
    Contact,
    Invitation,
    Question,
    Response,
    ResponseSource,
    Suppression,
    Survey,
    SurveyKind,
)
from plaint.surveys.states import InvitationState

_YEAR = 365 * 86400  # seconds


def handling_history(
    survey: Survey,
    rng: random.Random,
    now: dt.datetime,
    complaints: list[Complaint],
    closer,
    room: Counter,
) -> History:
    """ISO 10002 8.3: one invitation per closed or withdrawn complaint with an e-mail address, as
    ``survey_invite_after_complaint`` would have made it at the closing (sampled, quiet period).

    ``room`` holds, per UTC month, how many more answers that month can take: the insights
    dashboard takes the complaints closed in a period as the population, while an answer may come
    in the month after the closing, so an answer that would make a month's answers outnumber its
    closings is left unanswered (a population smaller than the sample would make no sense)."""
    questions = {q.code: q for q in Question.objects.filter(survey=survey)}
    history = History()
    if not complaints:
        return history
    first = _closed_at(complaints[0])
    last_invited: dict[str, dt.datetime] = {}
    quiet = dt.timedelta(days=survey.quiet_period_days)
    for complaint in complaints:
        email = complaint.complainant.email.strip().lower()
        closed = _closed_at(complaint)
        if not services.in_sample(survey.key, f"complaint:{complaint.pk}", survey.sampling_rate):
            continue
        if email in last_invited and closed - last_invited[email] < quiet:
            continue
        last_invited[email] = closed
        invitation = _handling_invitation(survey, complaint, email)
        if invitation.send_after > now:  # closed within the delay: the worker sends it soon
            history.add(invitation)
            continue
        invitation.sent_at = invitation.send_after
        withdrawn = complaint.closure_reason == ClosureReason.WITHDRAWN
        # Withdrawn cases answer less often; handled ones a little more than average.
        at, reminders = answer_time(rng, survey, invitation.sent_at, 0.28 if withdrawn else 0.40)
        if at is None or at >= min(now, invitation.expires_at) or room[utc_month(at)] <= 0:
            close_invitation(invitation, survey, now)
            history.add(invitation)
            continue
        room[utc_month(at)] -= 1
        invitation.state = InvitationState.RESPONDED
        invitation.responded_at = at
        invitation.reminders_sent = reminders
        years = (closed - first).total_seconds() / _YEAR
        answers = _handling_response(
            survey, questions, rng, complaint, at, years, invitation.language
        )
        history.add(invitation, *answers)
    history.write(survey, questions, now, rng, closer)
    return history


def _closed_at(complaint: Complaint) -> dt.datetime:
    if complaint.closed_at is None:  # the seeder passes closed complaints only
        raise ValueError("the demo invites only for closed complaints")
    return complaint.closed_at


def _handling_invitation(survey: Survey, complaint: Complaint, email: str) -> Invitation:
    """The invitation the closing of ``complaint`` scheduled."""
    closed = _closed_at(complaint)
    language = complaint.complainant.language
    send_after = closed + dt.timedelta(hours=survey.delay_hours)
    salt = secrets.token_hex(16)
    return Invitation(
        survey=survey,
        trigger=SurveyKind.COMPLAINT_CLOSED,
        complaint=complaint,
        case_ref=complaint.reference or "",
        email=email,
        name=complaint.complainant.name[:200],
        language=language if language in LANGS else "en",
        token_salt=salt,
        token_digest=digest(f"{survey.pk}:c{complaint.pk}", salt),
        state=InvitationState.SCHEDULED,
        created_at=closed,
        send_after=send_after,
        expires_at=send_after + dt.timedelta(days=survey.expiry_days),
    )


def _handling_response(
    survey: Survey,
    questions: dict[str, Question],
    rng: random.Random,
    complaint: Complaint,
    at: dt.datetime,
    years: float,
    language: str,
) -> tuple[Response, dict[int, int], dict[int, str]]:
    """The complainant's answers at ``at``: slower and withdrawn cases score lower."""
    handling_days = (_closed_at(complaint) - complaint.received_at).total_seconds() / 86400
    shift = {"speed": -0.5 if handling_days > 21 else 0.2}
    if complaint.closure_reason == ClosureReason.WITHDRAWN:
        shift["fairness"] = -0.3
    values, texts = scores(questions, rng, language, years, HANDLING_PROFILE, shift)
    response = Response(
        survey=survey,
        complaint=complaint,
        started_at=at - dt.timedelta(minutes=rng.randint(2, 15)),
        submitted_at=at,
        language=language,
        channel=complaint.channel,
        category_id=complaint.category_id,
        product=complaint.product,
        source=ResponseSource.WEB,
    )
    return response, values, texts


def contacts_create(rng: random.Random, now: dt.datetime, count: int) -> list[Contact]:
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


class _Waves:
    """Monthly waves to the contact list, as ``survey_invite_contacts`` runs them: each wave
    samples the contacts on the list then, skipping opted-out addresses and those invited within
    the quiet period. A few people opt out along the way."""

    SEGMENT_SHIFT = {"business": {"support": -0.3}, "public sector": {"value": 0.3}}

    def __init__(self, survey: Survey, rng: random.Random, now: dt.datetime) -> None:
        self.survey, self.rng, self.now = survey, rng, now
        self.questions = {q.code: q for q in Question.objects.filter(survey=survey)}
        self.history = History()
        self.suppressed: dict[str, dt.datetime] = {}
        self.last_invited: dict[str, dt.datetime] = {}
        self.quiet = dt.timedelta(days=survey.quiet_period_days)
        period = dt.timedelta(days=survey.period_days or 30)
        self.waves = [now - dt.timedelta(days=5) - period * k for k in range(17, -1, -1)]

    def run(self, contacts: list[Contact]) -> None:
        for wave in self.waves:
            stamp = wave.strftime("%Y%m%d%H%M")
            years = (wave - self.waves[0]).total_seconds() / _YEAR
            for contact in contacts:
                if self._invited(contact, wave, stamp):
                    self._invite(contact, wave, stamp, years)
        Suppression.objects.bulk_create(
            [Suppression(email=e, created_at=at) for e, at in self.suppressed.items()]
        )
        self.history.write(self.survey, self.questions, self.now, self.rng, None)

    def _invited(self, contact: Contact, wave: dt.datetime, stamp: str) -> bool:
        """Whether the wave reaches ``contact`` (and if so, remember when)."""
        if contact.created_at > wave or contact.email in self.suppressed:
            return False
        last = self.last_invited.get(contact.email)
        if last is not None and wave - last < self.quiet:
            return False
        survey = self.survey
        if not services.in_sample(
            survey.key, f"contact:{contact.pk}:{stamp}", survey.sampling_rate
        ):
            return False
        self.last_invited[contact.email] = wave
        return True

    def _invite(self, contact: Contact, wave: dt.datetime, stamp: str, years: float) -> None:
        survey, rng, now = self.survey, self.rng, self.now
        salt = secrets.token_hex(16)
        invitation = Invitation(
            survey=survey,
            trigger=SurveyKind.RELATIONSHIP,
            contact=contact,
            email=contact.email,
            name=contact.name,
            language=contact.language,
            token_salt=salt,
            token_digest=digest(f"{survey.pk}:{contact.pk}:{stamp}", salt),
            state=InvitationState.SENT,
            created_at=wave,
            send_after=wave,
            sent_at=wave,
            expires_at=wave + dt.timedelta(days=survey.expiry_days),
        )
        at, reminders = answer_time(rng, survey, wave, 0.37)
        if at is None or at >= min(now, invitation.expires_at):
            if rng.random() < 0.012 and wave + dt.timedelta(days=2) < now:
                invitation.state = InvitationState.OPTED_OUT
                invitation.closed_at = wave + dt.timedelta(hours=rng.randint(1, 40))
                self.suppressed[contact.email] = invitation.closed_at
            else:
                close_invitation(invitation, survey, now)
            self.history.add(invitation)
            return
        invitation.state = InvitationState.RESPONDED
        invitation.responded_at = at
        invitation.reminders_sent = reminders
        shift = self.SEGMENT_SHIFT.get(contact.segment, {})
        values, texts = scores(
            self.questions, rng, contact.language, years, RELATIONSHIP_PROFILE, shift
        )
        response = Response(
            survey=survey,
            started_at=at - dt.timedelta(minutes=rng.randint(2, 15)),
            submitted_at=at,
            language=contact.language,
            segment=contact.segment,
            source=ResponseSource.WEB,
        )
        self.history.add(invitation, response, values, texts)


def relationship_history(
    survey: Survey, rng: random.Random, now: dt.datetime, contacts: list[Contact]
) -> tuple[History, dt.datetime | None]:
    """The relationship survey's waves (see ``_Waves``); returns the history and the last wave."""
    waves = _Waves(survey, rng, now)
    waves.run(contacts)
    history = waves.history
    return history, waves.waves[-1] if history.invitations else None


def live_complaints(complaints: list[Complaint]) -> list[Complaint]:
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
