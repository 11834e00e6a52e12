"""Typed input and output shapes of the surveys API. Inputs refuse unknown fields and bound every
string; the services validate everything again."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal, TypeAlias

from django.utils.translation import gettext_lazy as _
from ninja import Field, Schema
from pydantic import ConfigDict, StringConstraints

from plaint.complaints.schemas import Code, Cursor, Id, Line, NoNul
from plaint.core.bounds import Flag, QueryFlag, matching
from plaint.core.limits import max_length
from plaint.surveys.models import (
    INTRO_MAX,
    QUESTION_TEXT_MAX,
    TITLE_MAX,
    Contact,
    FollowUp,
    Invitation,
    Question,
    QuestionKind,
    Survey,
    SurveyKind,
)
from plaint.surveys.states import InvitationState, SurveyState

LanguageKey: TypeAlias = Annotated[str, Field(max_length=8)]
# Bounds of the fields stored on a model come from the model (max_length, or the constant next to it).
TitleTexts: TypeAlias = dict[
    LanguageKey, Annotated[str, StringConstraints(max_length=TITLE_MAX), NoNul]
]
IntroTexts: TypeAlias = dict[
    LanguageKey, Annotated[str, StringConstraints(max_length=INTRO_MAX), NoNul]
]
QuestionTexts: TypeAlias = dict[
    LanguageKey, Annotated[str, StringConstraints(max_length=QUESTION_TEXT_MAX), NoNul]
]
SurveyKey: TypeAlias = Annotated[
    str, StringConstraints(max_length=max_length(Survey, "key")), NoNul
]
QuestionCode: TypeAlias = Annotated[
    str, StringConstraints(max_length=max_length(Question, "code")), NoNul
]
InvitationEmail: TypeAlias = Annotated[
    str, StringConstraints(max_length=max_length(Invitation, "email")), NoNul
]
InvitationName: TypeAlias = Annotated[
    str, StringConstraints(max_length=max_length(Invitation, "name")), NoNul
]
CsvText: TypeAlias = Annotated[str, StringConstraints(max_length=5_000_000), NoNul]
PointLabel: TypeAlias = Annotated[str, StringConstraints(max_length=100), NoNul]
Attribute: TypeAlias = Annotated[
    str, StringConstraints(max_length=max_length(Question, "attribute")), NoNul
]
Segment: TypeAlias = Annotated[
    str, StringConstraints(max_length=max_length(Contact, "segment")), NoNul
]


class Input(Schema):
    model_config = ConfigDict(extra="forbid")


class SurveySettings(Input):
    sampling_rate: Decimal | None = Field(None, ge=0, le=1)
    delay_hours: int | None = Field(None, ge=0, le=2160)
    expiry_days: int | None = Field(None, ge=1, le=365)
    reminder_count: int | None = Field(None, ge=0, le=5)
    reminder_interval_days: int | None = Field(None, ge=1, le=60)
    quiet_period_days: int | None = Field(None, ge=0, le=3650)
    questions_per_page: int | None = Field(None, ge=1, le=50)
    followup: FollowUp | None = None
    followup_max_score: int | None = Field(None, ge=-100, le=100)
    period_days: int | None = Field(None, ge=1, le=3650)


class SurveyIn(SurveySettings):
    key: SurveyKey
    kind: SurveyKind
    title: TitleTexts
    intro: IntroTexts = Field(default_factory=dict)


class SurveyUpdateIn(SurveySettings):
    title: TitleTexts | None = None
    intro: IntroTexts | None = None


class OptionIn(Input):
    code: Code
    label: TitleTexts


class QuestionIn(Input):
    kind: QuestionKind
    code: QuestionCode
    text: QuestionTexts
    scale_min: int | None = Field(None, ge=0, le=1)
    scale_max: int | None = Field(None, ge=2, le=11)
    point_labels: dict[LanguageKey, dict[str, PointLabel]] = Field(default_factory=dict)
    options: list[OptionIn] = Field(default_factory=list, max_length=50)
    attribute: Attribute = ""
    weight: Decimal = Field(Decimal("1"), ge=0, le=100)
    is_overall: Flag = False
    required: Flag = False


class QuestionUpdateIn(Input):
    """Only the fields given change; the rest keep their values."""

    kind: QuestionKind | None = None
    code: QuestionCode | None = None
    text: QuestionTexts | None = None
    scale_min: int | None = Field(None, ge=0, le=1)
    scale_max: int | None = Field(None, ge=2, le=11)
    point_labels: dict[LanguageKey, dict[str, PointLabel]] | None = None
    options: list[OptionIn] | None = Field(None, max_length=50)
    attribute: Attribute | None = None
    weight: Decimal | None = Field(None, ge=0, le=100)
    is_overall: Flag | None = None
    required: Flag | None = None


class QuestionOut(Schema):
    id: int
    position: int
    code: str
    kind: QuestionKind
    scale_min: int | None
    scale_max: int | None
    text: dict[str, str]
    point_labels: dict[str, dict[str, str]]
    options: list[dict[str, Any]]
    attribute: str
    weight: Decimal
    is_overall: bool
    required: bool


class SurveyOut(Schema):
    id: int
    key: str
    version: int
    previous_id: int | None
    kind: SurveyKind
    state: SurveyState
    title: dict[str, str]
    intro: dict[str, str]
    sampling_rate: Decimal
    delay_hours: int
    expiry_days: int
    reminder_count: int
    reminder_interval_days: int
    quiet_period_days: int
    questions_per_page: int
    followup: FollowUp
    followup_max_score: int | None
    period_days: int | None
    created_at: dt.datetime
    activated_at: dt.datetime | None
    archived_at: dt.datetime | None


class SurveyDetailOut(SurveyOut):
    questions: list[QuestionOut]


class InvitationIn(Input):
    contact_id: Id | None = None
    complaint_id: Id | None = None
    email: InvitationEmail = ""
    name: InvitationName = ""
    language: Literal["en", "et", "uk", "sv", "fa"] = "en"


class InvitationOut(Schema):
    id: int
    survey_id: int
    trigger: str
    state: InvitationState
    email: str
    language: str
    contact_id: int | None
    complaint_id: int | None
    case_ref: str
    created_at: dt.datetime
    send_after: dt.datetime
    sent_at: dt.datetime | None
    expires_at: dt.datetime
    reminders_sent: int
    responded_at: dt.datetime | None


class InvitationPageOut(Schema):
    items: list[InvitationOut]
    next_cursor: str | None


class AnswerOut(Schema):
    question: str
    value: int | None
    text: str
    choices: list[str]


class ResponseOut(Schema):
    id: int
    survey_id: int
    submitted_at: dt.datetime | None
    language: str
    channel: str
    category: str | None
    product: str
    segment: str
    source: str
    external_id: str
    complaint: str | None
    answers: list[AnswerOut]


class ResponsePageOut(Schema):
    items: list[ResponseOut]
    next_cursor: str | None


class PageQuery(Schema):
    cursor: Cursor | None = None
    limit: int = Field(50, ge=1, le=200)


class InvitationQuery(PageQuery):
    state: InvitationState | None = None


class ContactQuery(PageQuery):
    segment: Segment = ""
    opted_out: QueryFlag | None = Field(
        None, description="true: only addresses that opted out; false: only those that did not"
    )


class ContactOut(Schema):
    id: int
    email: str
    name: str
    language: str
    segment: str
    created_at: dt.datetime
    opted_out: bool


class ContactPageOut(Schema):
    items: list[ContactOut]
    next_cursor: str | None


class ImportIn(Input):
    csv: CsvText | None = Field(
        None,
        description="The CSV file's text, header on the first line — for a small file; "
        "a larger one (or one not in UTF-8) is sent first as it is to "
        "`POST /surveys/{id}/responses/uploads` and named here by `upload`",
    )
    upload: (
        Annotated[
            str, matching(r"^[A-Za-z0-9_-]+$", _("Give the id the upload answered."), max_length=40)
        ]
        | None
    ) = Field(None, description="The id `POST /surveys/{id}/responses/uploads` answered")
    mapping: dict[Line, Segment] = Field(
        description="CSV column -> question:<code>, submitted_at, language, channel, segment, "
        "product, category, external_id or ignore"
    )
    follow_up: Flag = Field(
        False,
        description="Open the survey's low-score follow-up (callback task or complaint) for the "
        "imported rows too. Off by default, so importing old answers does not flood the queue.",
    )
    recode: dict[
        Line,
        dict[
            Annotated[str, StringConstraints(max_length=40), NoNul],
            Annotated[str, StringConstraints(max_length=40), NoNul],
        ],
    ] = Field(
        {},
        description="Per question column, values to read as others before checking, e.g. "
        '{"Q3": {"0": "", "6": "5"}}: 0 is not answered (empty), 6 is read as 5',
    )
    missing_tokens: list[Annotated[str, StringConstraints(max_length=20), NoNul]] = Field(
        ["NA", "N/A", "-"],
        max_length=20,
        description="Answers that mean 'not answered' (any case), besides an empty cell",
    )


class UploadOut(Schema):
    upload: str = Field(description="Name it in the import as `upload`; kept for 24 hours")
    encoding: str = Field(description="The encoding the file was read in")
    guessed: bool = Field(
        description="The encoding was guessed (an 8-bit code page): check `preview`, and send "
        "the file again with `?encoding=` if the letters look wrong"
    )
    header: list[str]
    preview: list[list[str]] = Field(description="The first rows as read")
    rows: int
    bytes: int


class ContactsImportIn(Input):
    csv: CsvText = Field(description="Columns email (required), name, language, segment")


class ImportErrorOut(Schema):
    line: int
    message: str


class RecodedOut(Schema):
    column: str
    value: str = Field(description="The value in the file")
    read_as: str = Field(description="What it was read as; empty: not answered")
    count: int


class ImportReportOut(Schema):
    imported: int
    updated: int
    followed_up: int = Field(0, description="Low-score follow-ups opened (response imports)")
    rejected: int
    errors: list[ImportErrorOut]
    skipped_answers: list[ImportErrorOut] = Field(
        [],
        description="Bad answers to questions that are not required, left unanswered in rows "
        "that went in (response imports)",
    )
    missing_values: int = Field(
        0, description="Answers read as 'not answered' by a missing-value token"
    )
    recoded: list[RecodedOut] = Field([], description="How many answers each recoding changed")


class WaveIn(Input):
    segment: Segment = ""


class WaveOut(Schema):
    invited: int
    opted_out: int
    quiet_period: int
    not_sampled: int
