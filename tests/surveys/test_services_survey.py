"""Building surveys: validation, permissions, lifecycle, versioning."""

from __future__ import annotations

import pytest

from plaint.core.actors import Actor
from plaint.core.errors import Conflict, InvalidTransition, NotAllowed, ValidationFailed
from plaint.core.models import AuditEvent
from plaint.surveys import services
from plaint.surveys.models import Question, Survey
from tests.surveys.factories import invite, make_survey


def _draft(manager, **kw):
    return services.survey_create(
        actor=Actor.staff(manager),
        key=kw.pop("key", "rel"),
        kind="relationship",
        title={"en": "How are we doing?"},
        **kw,
    )


def test_create_draft_with_settings_and_audit(manager):
    survey = _draft(manager, sampling_rate="0.25", delay_hours=48, quiet_period_days=30)
    assert survey.state == "draft" and survey.version == 1
    assert str(survey.sampling_rate) == "0.250" and survey.delay_hours == 48
    assert AuditEvent.objects.filter(
        case_type="survey", case_id=survey.pk, action="created"
    ).exists()


@pytest.mark.parametrize("role", ["handler", "auditor"])
def test_only_managers_and_admins_build_surveys(role, personas):
    with pytest.raises(NotAllowed):
        _draft(personas[role])
    assert _draft(personas["admin"]).pk


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": {"fa": "فقط فارسی"}}, "title"),
        ({"title": {"xx": "?", "en": "ok"}}, "title"),
        ({"sampling_rate": "1.5"}, "sampling_rate"),
        ({"reminder_count": 9}, "reminder_count"),
        ({"followup": "sms"}, "followup"),
        ({"key": "bad key!"}, "key"),
        ({"kind": "weekly"}, "kind"),
    ],
)
def test_create_refuses_bad_input_naming_the_field(manager, changes, field):
    data = {"key": "rel", "kind": "relationship", "title": {"en": "T"}, **changes}
    with pytest.raises(ValidationFailed) as exc:
        services.survey_create(actor=Actor.staff(manager), **data)
    assert field in exc.value.fields


def test_duplicate_key_refused(manager):
    _draft(manager)
    with pytest.raises(ValidationFailed) as exc:
        _draft(manager)
    assert "key" in exc.value.fields


def test_question_kinds_and_fixed_scales(manager):
    survey = make_survey(manager, activate=False)
    by_code = {q.code: q for q in survey.questions.all()}
    assert (by_code["nps"].scale_min, by_code["nps"].scale_max) == (0, 10)
    assert (by_code["effort"].scale_min, by_code["effort"].scale_max) == (1, 7)
    assert by_code["overall"].is_overall and by_code["speed"].attribute == "speed"
    assert str(by_code["speed"].weight) == "2.000"
    assert by_code["overall"].point_labels["fa"]["5"] == "بسیار راضی"
    assert [q.position for q in survey.questions.order_by("position")] == list(range(1, 8))


@pytest.mark.parametrize(
    ("question", "field"),
    [
        ({"kind": "rating", "scale_min": 1, "scale_max": 20}, "scale_max"),
        ({"kind": "rating", "point_labels": {"en": {"9": "x"}}}, "point_labels"),
        ({"kind": "single", "options": [{"code": "a", "label": {"en": "A"}}]}, "options"),
        ({"kind": "multi", "options": [{"code": "a", "label": {"en": "A"}}] * 2}, "options"),
        ({"kind": "nps", "is_overall": True}, "is_overall"),
        ({"kind": "rating", "weight": "-1"}, "weight"),
        ({"kind": "rating", "code": "overall"}, "code"),
        ({"kind": "rating", "is_overall": True, "code": "second"}, "is_overall"),
        # never silently changed: a fixed scale given otherwise, or overall on a choice question
        ({"kind": "nps", "scale_min": 1}, "scale_min"),
        ({"kind": "nps", "scale_min": 0, "scale_max": 5}, "scale_max"),
        ({"kind": "ces", "scale_max": 5}, "scale_max"),
        ({"kind": "yesno", "scale_min": 1, "scale_max": 2}, "scale_min"),
        (
            {"kind": "single", "is_overall": True, "options": [{"code": c} for c in "ab"]},
            "is_overall",
        ),
        ({"kind": "text", "is_overall": True}, "is_overall"),
    ],
)
def test_question_validation(manager, question, field):
    survey = make_survey(manager, activate=False)
    data = {"code": "extra", "text": {"en": "Q?"}, **question}
    with pytest.raises(ValidationFailed) as exc:
        services.question_add(actor=Actor.staff(manager), survey_id=survey.pk, **data)
    assert field in exc.value.fields


def test_fixed_scales_given_as_they_are_and_yes_no_as_the_overall_question(manager):
    survey = make_survey(manager, activate=False)
    actor = Actor.staff(manager)
    Question = survey.questions.model
    survey.questions.filter(is_overall=True).update(is_overall=False)
    data = {"text": {"en": "Q?"}}
    services.question_add(
        actor=actor, survey_id=survey.pk, code="nps2", kind="nps", scale_min=0, scale_max=10, **data
    )
    services.question_add(
        actor=actor, survey_id=survey.pk, code="solved", kind="yesno", is_overall=True, **data
    )
    solved = Question.objects.get(survey=survey, code="solved")
    assert (solved.scale_min, solved.scale_max, solved.is_overall) == (0, 1, True)
    with pytest.raises(ValidationFailed) as exc:
        services.question_add(
            actor=actor, survey_id=survey.pk, code="nps3", kind="nps", scale_min=1, **data
        )
    assert "0 to 10 by definition" in exc.value.fields["scale_min"][0]
    assert not Question.objects.filter(survey=survey, code="nps3").exists()


def test_question_update_move_remove(manager):
    survey = make_survey(manager, activate=False)
    actor = Actor.staff(manager)
    speed = survey.questions.get(code="speed")
    services.question_update(actor=actor, question_id=speed.pk, scale_max=7, weight="3")
    speed.refresh_from_db()
    assert (speed.scale_max, str(speed.weight)) == (7, "3.000")
    services.question_move(actor=actor, question_id=speed.pk, up=True)
    assert list(survey.questions.order_by("position").values_list("code", flat=True))[:2] == [
        "speed",
        "overall",
    ]
    services.question_remove(actor=actor, question_id=speed.pk)
    assert not survey.questions.filter(code="speed").exists()


def test_lifecycle_and_illegal_transitions(manager):
    actor = Actor.staff(manager)
    empty = _draft(manager)
    with pytest.raises(ValidationFailed):
        services.survey_activate(actor=actor, survey_id=empty.pk)
    survey = make_survey(manager, key="h2")
    assert survey.state == "active" and survey.activated_at
    with pytest.raises(InvalidTransition):
        services.survey_activate(actor=actor, survey_id=survey.pk)
    services.survey_archive(actor=actor, survey_id=survey.pk)
    survey.refresh_from_db()
    assert survey.state == "archived"
    with pytest.raises(InvalidTransition):
        services.survey_archive(actor=actor, survey_id=survey.pk)
    with pytest.raises(InvalidTransition):
        services.survey_update(actor=actor, survey_id=survey.pk, delay_hours=2)
    actions = list(
        AuditEvent.objects.filter(case_type="survey", case_id=survey.pk).values_list(
            "action", flat=True
        )
    )
    assert actions[-2:] == ["activated", "archived"]


def test_survey_with_responses_is_versioned_not_edited(manager):
    actor = Actor.staff(manager)
    survey = make_survey(manager)
    _inv, token = invite(manager, survey)
    services.response_save(token=token, answers={"overall": "4"}, submit=True)
    with pytest.raises(Conflict):
        services.survey_update(actor=actor, survey_id=survey.pk, title={"en": "New"})
    with pytest.raises(Conflict):
        services.question_add(
            actor=actor, survey_id=survey.pk, kind="text", code="more", text={"en": "More?"}
        )
    v2 = services.survey_new_version(actor=actor, survey_id=survey.pk)
    assert (v2.version, v2.state, v2.previous_id, v2.key) == (2, "draft", survey.pk, survey.key)
    assert list(v2.questions.values_list("code", flat=True)) == list(
        survey.questions.values_list("code", flat=True)
    )
    with pytest.raises(Conflict):  # one draft at a time
        services.survey_new_version(actor=actor, survey_id=survey.pk)
    services.survey_update(actor=actor, survey_id=v2.pk, title={"en": "Your complaint, v2"})
    services.question_remove(actor=actor, question_id=v2.questions.get(code="liked").pk)
    services.survey_activate(actor=actor, survey_id=v2.pk)
    survey.refresh_from_db()
    assert survey.state == "archived"  # the old version stays, with its responses
    assert survey.responses.count() == 1 and survey.questions.filter(code="liked").exists()
    assert Survey.objects.filter(key="handling", state="active").get().pk == v2.pk
    assert Question.objects.filter(survey=v2, code="liked").count() == 0


@pytest.mark.parametrize("weight", ["NaN", "Infinity", "-1", "100.5", "x"])
def test_question_weight_out_of_range_is_a_field_error(manager, weight):
    survey = services.survey_create(
        actor=Actor.staff(manager), key="w", kind="relationship", title={"en": "W"}
    )
    with pytest.raises(ValidationFailed) as exc:
        services.question_add(
            actor=Actor.staff(manager),
            survey_id=survey.pk,
            kind="rating",
            code="q",
            text={"en": "Q"},
            weight=weight,
        )
    assert "weight" in exc.value.fields
