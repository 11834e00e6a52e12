"""Field limits are declared once, on the model (``max_length``, or the constant next to the model for a
TextField or a JSON text); every form and API schema that takes the field agrees with it."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.db.models import Model
from ninja import Schema

from plaint.complaints import forms as cf
from plaint.complaints import forms_templates as cft
from plaint.complaints import models as cm
from plaint.complaints import schemas as cs
from plaint.promises import forms as pf
from plaint.promises import models as pm
from plaint.promises import schemas as ps
from plaint.surveys import forms as sf
from plaint.surveys import models as sm
from plaint.surveys import schemas as ss

pytestmark = pytest.mark.django_db  # some forms read their choices from the database


def _model(model: type[Model], field: str) -> int:
    return model._meta.get_field(field).max_length  # type: ignore[union-attr,return-value]


# (what, the model's limit, [(form class, field)], [(schema class, field)])
LIMITS: list[tuple[str, Any, list[tuple[type[forms.Form], str]], list[tuple[type[Schema], str]]]] = [
    # complaints
    ("Complainant.name", (cm.Complainant, "name"), [(cf.ComplaintForm, "name")], [(cs.ComplaintIn, "name")]),
    ("Complainant.email", (cm.Complainant, "email"), [(cf.ComplaintForm, "email")], [(cs.ComplaintIn, "email")]),
    ("Complainant.phone", (cm.Complainant, "phone"), [(cf.ComplaintForm, "phone")], [(cs.ComplaintIn, "phone")]),
    ("Complainant.language", (cm.Complainant, "language"), [], [(cs.ComplaintIn, "language")]),
    ("Complaint.subject", (cm.Complaint, "subject"), [(cf.ComplaintForm, "subject"), (cf.StaffIntakeForm, "subject")], [(cs.ComplaintIn, "subject")]),
    ("Complaint.product", (cm.Complaint, "product"), [(cf.ComplaintForm, "product")], [(cs.ComplaintIn, "product")]),
    ("Complaint.segment", (cm.Complaint, "segment"), [(cf.ComplaintForm, "segment")], [(cs.ComplaintIn, "segment")]),
    ("Category.code", (cm.Category, "code"), [], [(cs.ComplaintIn, "category"), (cs.AssessIn, "category"), (cs.QueueQuery, "category"), (ps.PauseIn, "category"), (ps.SelectionIn, "category")]),
    ("Complaint.description", cm.DESCRIPTION_MAX, [(cf.ComplaintForm, "description")], [(cs.ComplaintIn, "description")]),
    ("Complaint.desired_outcome", cm.DESIRED_OUTCOME_MAX, [(cf.ComplaintForm, "desired_outcome")], [(cs.ComplaintIn, "desired_outcome")]),
    ("Complaint.dispute_provider", (cm.Complaint, "dispute_provider"), [(cf.RecordDisputeOutcomeStepForm, "provider")], [(cs.DisputeOutcomeIn, "provider")]),
    (
        "step texts (findings, root_cause, decision, out_of_scope_reason, complainant_feedback, dispute_note)",
        cm.STEP_TEXT_MAX,
        [
            (cf.RejectOutOfScopeStepForm, "reason"),
            (cf.RecordFindingsStepForm, "findings"),
            (cf.RecordFindingsStepForm, "root_cause"),
            (cf.ProposeResponseStepForm, "decision"),
            (cf.AcceptDecisionStepForm, "comment"),
            (cf.DeclineDecisionStepForm, "reason"),
            (cf.WithdrawStepForm, "comment"),
            (cf.ReferExternalStepForm, "note"),
            (cf.RequestInformationStepForm, "reason"),
            (cf.RecordDisputeOutcomeStepForm, "note"),
            (cf.AcceptForm, "comment"),
            (cf.DeclineForm, "reason"),
            (cf.WithdrawForm, "comment"),
        ],
        [
            (cs.ReasonIn, "reason"),
            (cs.FindingsIn, "findings"),
            (cs.FindingsIn, "root_cause"),
            (cs.ProposeResponseIn, "decision"),
            (cs.CommentIn, "comment"),
            (cs.NoteIn, "note"),
            (cs.DisputeOutcomeIn, "note"),
        ],
    ),
    ("Message.body", cm.MESSAGE_BODY_MAX, [(cf.PublicMessageForm, "body"), (cf.StaffMessageForm, "body")], [(cs.MessageIn, "body")]),
    ("Remedy.description", cm.REMEDY_DESCRIPTION_MAX, [(cf.ProposeResponseStepForm, "remedy_1_description")], [(cs.RemedyIn, "description")]),
    ("Remedy.currency", (cm.Remedy, "currency"), [(cf.ProposeResponseStepForm, "remedy_1_currency")], []),
    ("ReplyTemplate.name", (cm.ReplyTemplate, "name"), [(cft.ReplyTemplateForm, "name")], []),
    ("ReplyTemplate.texts", cm.REPLY_TEMPLATE_TEXT_MAX, [(cft.ReplyTemplateForm, "text_en"), (cft.ReplyTemplateForm, "text_fa")], []),
    # promises
    ("Code.slug", (pm.Code, "slug"), [(pf.CodeForm, "slug")], [(ps.CodeIn, "slug")]),
    ("Code.owner", (pm.Code, "owner"), [(pf.CodeForm, "owner")], [(ps.CodeIn, "owner")]),
    ("Code.adopted_from", (pm.Code, "adopted_from"), [(pf.CodeForm, "adopted_from")], [(ps.CodeIn, "adopted_from")]),
    ("Code.source_document", (pm.Code, "source_document"), [(pf.CodeForm, "source_document")], [(ps.CodeIn, "source_document")]),
    ("Code.source_url", (pm.Code, "source_url"), [(pf.CodeForm, "source_url")], [(ps.CodeIn, "source_url")]),
    ("Promise.key", (pm.Promise, "key"), [(pf.PromiseForm, "key")], [(ps.PromiseIn, "key")]),
    ("ProfileSelection.profile_key", (pm.ProfileSelection, "profile_key"), [], [(ps.SelectionIn, "profile")]),
    ("ProfileSelection.product_line", (pm.ProfileSelection, "product_line"), [(pf.ProfileForm, "product_line")], [(ps.SelectionIn, "product_line")]),
    (
        "promise texts (Code.title, Promise.texts, conditions, exclusions, pause reason, claim note)",
        pm.TEXT_MAX,
        [(pf.CodeForm, "title_en"), (pf.PromiseForm, "text_en"), (pf.PromiseForm, "conditions"), (pf.PromiseForm, "exclusions"), (pf.PauseForm, "reason")],
        [(ps.CodeIn, "title"), (ps.PromiseIn, "texts"), (ps.PromiseIn, "conditions"), (ps.PromiseIn, "exclusions"), (ps.ClaimIn, "note"), (ps.PauseIn, "reason")],
    ),
    # surveys
    ("Survey.key", (sm.Survey, "key"), [(sf.SurveyCreateForm, "key")], [(ss.SurveyIn, "key")]),
    ("Survey.title", sm.TITLE_MAX, [(sf.SurveySettingsForm, "title_en")], [(ss.SurveyIn, "title"), (ss.SurveyUpdateIn, "title"), (ss.OptionIn, "label")]),
    ("Survey.intro", sm.INTRO_MAX, [(sf.SurveySettingsForm, "intro_en")], [(ss.SurveyIn, "intro"), (ss.SurveyUpdateIn, "intro")]),
    ("Question.code", (sm.Question, "code"), [(sf.QuestionForm, "code")], [(ss.QuestionIn, "code"), (ss.QuestionUpdateIn, "code")]),
    ("Question.text", sm.QUESTION_TEXT_MAX, [(sf.QuestionForm, "text_en")], [(ss.QuestionIn, "text"), (ss.QuestionUpdateIn, "text")]),
    ("Question.attribute", (sm.Question, "attribute"), [(sf.QuestionForm, "attribute")], [(ss.QuestionIn, "attribute"), (ss.QuestionUpdateIn, "attribute")]),
    ("Invitation.email", (sm.Invitation, "email"), [(sf.InviteForm, "email")], [(ss.InvitationIn, "email")]),
    ("Invitation.name", (sm.Invitation, "name"), [(sf.InviteForm, "name")], [(ss.InvitationIn, "name")]),
    ("Contact.segment", (sm.Contact, "segment"), [(sf.WaveForm, "segment")], [(ss.WaveIn, "segment"), (ss.ContactQuery, "segment")]),
    ("CallbackTask.note", sm.ANSWER_TEXT_MAX, [(sf.CallbackDoneForm, "note")], []),
]  # fmt: skip


def _schema_max(schema: type[Schema], field: str) -> int | None:
    """The maxLength the API schema declares for ``field`` (inside Optional, or for a dict's values)."""

    def find(node: dict[str, Any]) -> int | None:
        if "maxLength" in node:
            return node["maxLength"]
        if "additionalProperties" in node:
            return find(node["additionalProperties"])
        for alternative in node.get("anyOf", []):
            found = find(alternative)
            if found is not None:
                return found
        return None

    return find(schema.model_json_schema()["properties"][field])


@pytest.mark.parametrize(
    ("what", "declared", "form_fields", "schema_fields"), LIMITS, ids=[row[0] for row in LIMITS]
)
def test_model_form_and_schema_agree_on_the_limit(what, declared, form_fields, schema_fields):
    limit = _model(*declared) if isinstance(declared, tuple) else declared
    assert isinstance(limit, int) and limit > 0, what
    for form_class, name in form_fields:
        assert form_class().fields[name].max_length == limit, f"{form_class.__name__}.{name}"
    for schema, name in schema_fields:
        assert _schema_max(schema, name) == limit, f"{schema.__name__}.{name}"
