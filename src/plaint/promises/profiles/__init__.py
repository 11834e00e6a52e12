"""Regulatory response-time profiles, shipped as data.

Each profile names its source (document and address) and the dates it is in force from. Selecting a
profile (``promises.services.profile_select``) adopts it as a published code of origin "adopted", so
its promises are checked on complaints exactly like the organisation's own promises.

Where the source gives no number ("prompt"), the profile says in ``conditions`` how Plaint measures
it; nothing here claims more precision than the regulator's text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from plaint.core.calendars import Unit
from plaint.core.locales import text_in
from plaint.core.selectors import organisation_get
from plaint.promises.states import Clock


@dataclass(frozen=True)
class OrganisationNumbers:
    """The organisation's settings a profile's limits and texts may take ("{ack}", "{resp}")."""

    ack: int  # acknowledgement_business_days
    resp: int  # response_business_days

    def fill(self, text: str) -> str:
        return text.format(ack=self.ack, resp=self.resp)


@dataclass(frozen=True)
class ProfilePromise:
    key: str
    texts: dict[str, str]
    clock: str  # promises.states.Clock value
    limit_amount: int
    limit_unit: str  # core.calendars.Unit value
    conditions: str = ""
    exclusions: str = ""
    target_rate: str = "1.0"
    at_risk_fraction: str = "0.8"
    measured_only: bool = False
    pauses_while_waiting: bool = False
    honours_regulatory_pauses: bool = True

    def limit_for(self, numbers: OrganisationNumbers, from_organisation: bool) -> int:
        """The limit in units: the profile's own, or for a profile whose limits come from the
        organisation its settings' business days for the acknowledgement or the decision."""
        if not from_organisation:
            return self.limit_amount
        return numbers.ack if self.clock == Clock.RECEIVED_TO_ACKNOWLEDGED else numbers.resp


@dataclass(frozen=True)
class Profile:
    key: str
    title: dict[str, str]
    body: str  # the regulator or standards body
    source_document: str
    source_url: str
    effective_from: dt.date | None
    promises: tuple[ProfilePromise, ...]
    country: str = ""
    scope_note: str = ""
    effective_to: dt.date | None = None
    from_organisation: bool = field(default=False)  # limits come from the organisation settings


FCA_DISP = Profile(
    key="uk-fca-disp",
    title={"en": "UK FCA complaint handling rules (DISP 1.6)"},
    body="Financial Conduct Authority (UK)",
    source_document="FCA Handbook, Dispute Resolution: Complaints, DISP 1.6 "
    "(1.6.1R, 1.6.2R, 1.6.4R)",
    source_url="https://www.handbook.fca.org.uk/handbook/DISP/1/6.html",
    effective_from=dt.date(2019, 4, 1),
    country="GB",
    promises=(
        ProfilePromise(
            key="prompt-acknowledgement",
            texts={"en": "We acknowledge your complaint promptly in writing."},
            clock="received_to_acknowledged",
            limit_amount=1,
            limit_unit="business_days",
            conditions="DISP 1.6.1R asks for a prompt written acknowledgement and sets no number; "
            "Plaint measures it as by the end of the next business day.",
        ),
        ProfilePromise(
            key="summary-resolution",
            texts={
                "en": "If we resolve your complaint by the end of the third business day after "
                "we receive it, we confirm that in writing."
            },
            clock="received_to_decision",
            limit_amount=3,
            limit_unit="business_days",
            conditions="DISP 1.6.4R: a summary resolution communication may be used when the "
            "complaint is resolved by the close of the third business day after receipt. Missing "
            "it is no breach; the 8-week limit then applies. Measured only.",
            target_rate="0.5",
            measured_only=True,
        ),
        ProfilePromise(
            key="final-response-8-weeks",
            texts={
                "en": "We send you our final response within eight weeks of receiving your "
                "complaint, or explain why we cannot yet and tell you about the Financial "
                "Ombudsman Service."
            },
            clock="received_to_decision",
            limit_amount=8,
            limit_unit="weeks",
            conditions="DISP 1.6.2R: final response, or a written response explaining the delay "
            "and the right to refer to the Ombudsman, by the end of eight weeks after receipt.",
        ),
    ),
)

FCA_DISP_PAYMENTS = Profile(
    key="uk-fca-disp-payment-services",
    title={"en": "UK FCA complaint handling rules for payment services (DISP 1.6.2A)"},
    body="Financial Conduct Authority (UK)",
    source_document="FCA Handbook, DISP 1.6.2AR and 1.6.2BR (PSD2 and e-money complaints)",
    source_url="https://www.handbook.fca.org.uk/handbook/DISP/1/6.html",
    effective_from=dt.date(2018, 1, 13),
    country="GB",
    scope_note="Select it for the product line of payment services or e-money.",
    promises=(
        ProfilePromise(
            key="final-response-15-business-days",
            texts={
                "en": "We send you our final response on a payment service within 15 business "
                "days of receiving your complaint."
            },
            clock="received_to_decision",
            limit_amount=15,
            limit_unit="business_days",
            conditions="DISP 1.6.2AR(1): a final response addressing all points by the end of "
            "15 business days after receipt.",
        ),
        ProfilePromise(
            key="exceptional-35-business-days",
            texts={
                "en": "In exceptional situations beyond our control we send a holding reply "
                "and our final response within 35 business days."
            },
            clock="received_to_decision",
            limit_amount=35,
            limit_unit="business_days",
            conditions="DISP 1.6.2AR(2): where, exceptionally, the answer cannot be given in 15 "
            "business days, a holding reply, and a final response by the end of 35 business "
            "days after receipt. The outer limit is measured only.",
            measured_only=True,
        ),
    ),
)

ASIC_RG271 = Profile(
    key="au-asic-rg271",
    title={"en": "Australia ASIC internal dispute resolution (RG 271)"},
    body="Australian Securities and Investments Commission",
    source_document="ASIC Regulatory Guide 271 Internal dispute resolution, RG 271.45-271.61",
    source_url="https://asic.gov.au/regulatory-resources/find-a-document/regulatory-guides/"
    "rg-271-internal-dispute-resolution/",
    effective_from=dt.date(2021, 10, 5),
    country="AU",
    promises=(
        ProfilePromise(
            key="acknowledge-1-business-day",
            texts={"en": "We acknowledge your complaint within one business day of receiving it."},
            clock="received_to_acknowledged",
            limit_amount=1,
            limit_unit="business_days",
            conditions="RG 271.49: acknowledge within 24 hours or one business day of receipt.",
        ),
        ProfilePromise(
            key="respond-30-calendar-days",
            texts={
                "en": "We give you our response within 30 calendar days of receiving your "
                "complaint. If we cannot, we tell you why before the 30 days end."
            },
            clock="received_to_decision",
            limit_amount=30,
            limit_unit="calendar_days",
            conditions="RG 271.57: an IDR response no later than 30 calendar days after "
            "receipt; RG 271.60: if it cannot be given in time, a delay notification before the "
            "time runs out. The at-risk alert (80% of the time) is the reminder to send it.",
        ),
    ),
)

ASIC_RG271_HARDSHIP = Profile(
    key="au-asic-rg271-credit-hardship",
    title={"en": "ASIC RG 271: default notices and hardship (21 days)"},
    body="Australian Securities and Investments Commission",
    source_document="ASIC Regulatory Guide 271, RG 271.59 (complaints about a default notice or "
    "hardship)",
    source_url=ASIC_RG271.source_url,
    effective_from=dt.date(2021, 10, 5),
    country="AU",
    scope_note="Select it for the category or product line of credit hardship and default notices.",
    promises=(
        ProfilePromise(
            key="respond-21-calendar-days",
            texts={
                "en": "For a complaint about financial hardship or a default notice, we give "
                "you our response within 21 calendar days."
            },
            clock="received_to_decision",
            limit_amount=21,
            limit_unit="calendar_days",
            conditions="RG 271.59: 21 calendar days for complaints about a default notice or "
            "a hardship notice or request.",
        ),
    ),
)

ASIC_RG271_SUPER = Profile(
    key="au-asic-rg271-superannuation",
    title={"en": "ASIC RG 271: superannuation trustees (45 days)"},
    body="Australian Securities and Investments Commission",
    source_document="ASIC Regulatory Guide 271, RG 271.58 (superannuation trustees)",
    source_url=ASIC_RG271.source_url,
    effective_from=dt.date(2021, 10, 5),
    country="AU",
    scope_note="Select it for the superannuation product line.",
    promises=(
        ProfilePromise(
            key="respond-45-calendar-days",
            texts={
                "en": "For a complaint about your superannuation, we give you our response "
                "within 45 calendar days."
            },
            clock="received_to_decision",
            limit_amount=45,
            limit_unit="calendar_days",
            conditions="RG 271.58: superannuation trustees respond within 45 calendar days.",
        ),
    ),
)

CFPB = Profile(
    key="us-cfpb",
    title={"en": "US CFPB complaint response process"},
    body="Consumer Financial Protection Bureau (US)",
    source_document="CFPB, Learn how the complaint process works (company response timelines)",
    source_url="https://www.consumerfinance.gov/complaint/process/",
    effective_from=dt.date(2011, 7, 21),
    country="US",
    promises=(
        ProfilePromise(
            key="respond-15-days",
            texts={"en": "We respond to your complaint within 15 days."},
            clock="received_to_decision",
            limit_amount=15,
            limit_unit="calendar_days",
            conditions="Companies generally respond within 15 days. A response that the "
            "matter is 'in progress' within 15 days moves the limit to 60 days (next promise).",
        ),
        ProfilePromise(
            key="final-response-60-days",
            texts={
                "en": "If our first response says your complaint is in progress, we send our "
                "final response within 60 days."
            },
            clock="received_to_decision",
            limit_amount=60,
            limit_unit="calendar_days",
            conditions="Final response within 60 days when the company first answered 'in "
            "progress'. Measured only: the 15-day promise sets the due date.",
            measured_only=True,
        ),
    ),
)

ISO_10002_DEFAULT = Profile(
    key="iso-10002-default",
    title={
        "en": "Our complaints-handling promises (ISO 10002)",
        "et": "Meie lubadused kaebuste käsitlemisel (ISO 10002)",
        "uk": "Наші зобов'язання щодо розгляду скарг (ISO 10002)",
        "sv": "Våra löften för klagomålshantering (ISO 10002)",
        "fa": "تعهدات ما در رسیدگی به شکایات (ISO 10002)",
    },
    body="ISO 10002:2018 (organisation defaults)",
    source_document="ISO 10002:2018 clauses 7.5 (acknowledgement) and 7.8-7.9 (response); "
    "limits from this organisation's settings",
    source_url="https://www.iso.org/standard/71580.html",
    effective_from=None,
    from_organisation=True,
    promises=(
        ProfilePromise(
            key="acknowledge",
            texts={
                "en": "We acknowledge your complaint within {ack} business days.",
                "et": "Kinnitame teie kaebuse kättesaamist {ack} tööpäeva jooksul.",
                "uk": "Ми підтверджуємо отримання вашої скарги протягом {ack} робочих днів.",
                "sv": "Vi bekräftar ditt klagomål inom {ack} arbetsdagar.",
                "fa": "دریافت شکایت شما را ظرف {ack} روز کاری تأیید می‌کنیم.",
            },
            clock="received_to_acknowledged",
            limit_amount=0,  # from the organisation: acknowledgement_business_days
            limit_unit="business_days",
            target_rate="0.95",
            pauses_while_waiting=False,
        ),
        ProfilePromise(
            key="respond",
            texts={
                "en": "We send you our decision within {resp} business days.",
                "et": "Saadame teile oma otsuse {resp} tööpäeva jooksul.",
                "uk": "Ми надсилаємо вам наше рішення протягом {resp} робочих днів.",
                "sv": "Vi skickar vårt beslut inom {resp} arbetsdagar.",
                "fa": "تصمیم خود را ظرف {resp} روز کاری برای شما می‌فرستیم.",
            },
            clock="received_to_decision",
            limit_amount=0,  # from the organisation: response_business_days
            limit_unit="business_days",
            target_rate="0.9",
            pauses_while_waiting=True,
        ),
    ),
)

PROFILES: dict[str, Profile] = {
    p.key: p
    for p in (
        ISO_10002_DEFAULT,
        FCA_DISP,
        FCA_DISP_PAYMENTS,
        ASIC_RG271,
        ASIC_RG271_HARDSHIP,
        ASIC_RG271_SUPER,
        CFPB,
    )
}


def organisation_numbers() -> OrganisationNumbers:
    """The organisation's settings a profile's limits and texts take."""
    org = organisation_get()
    return OrganisationNumbers(org.acknowledgement_business_days, org.response_business_days)


@dataclass(frozen=True)
class ShownPromise:
    """A profile's promise as the profiles page shows it to a reader."""

    text: str
    language: str  # the language ``text`` is in: the reader's, else English
    limit_amount: int
    unit_label: str  # "business days" in the reader's language
    measured_only: bool


@dataclass(frozen=True)
class ShownProfile:
    """A shipped profile as the profiles page shows it: its title and promises in the reader's
    language where the profile has them, else in English (``language`` says which)."""

    profile: Profile
    title: str
    language: str
    promises: list[ShownPromise]


def _in(texts: dict[str, str], language: str) -> tuple[str, str]:
    """``text_in``'s text and the language it is in (a shipped profile always has English)."""
    return text_in(texts, language), language if texts.get(language) else "en"


def shown_profiles(language: str, numbers: OrganisationNumbers) -> list[ShownProfile]:
    """Every shipped profile for a reader of ``language``, with the organisation's numbers in the
    texts and limits that take them."""
    shown = []
    for profile in PROFILES.values():
        promises = []
        for p in profile.promises:
            text, text_language = _in(p.texts, language)
            promises.append(
                ShownPromise(
                    text=numbers.fill(text),
                    language=text_language,
                    limit_amount=p.limit_for(numbers, profile.from_organisation),
                    unit_label=str(Unit(p.limit_unit).label),
                    measured_only=p.measured_only,
                )
            )
        title, title_language = _in(profile.title, language)
        shown.append(ShownProfile(profile, title, title_language, promises))
    return shown
