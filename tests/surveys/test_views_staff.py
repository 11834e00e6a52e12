"""Staff pages: builder through forms, permission matrix, lists with constant queries, export
(CSV and XLSX content), import with a column mapping, contacts, callbacks."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from plaint.core.actors import Actor
from plaint.surveys import services
from plaint.surveys.models import CallbackTask, Contact, Question, Response, Survey
from tests.surveys.factories import invite, make_survey


def _answer(manager, survey, n, start=0):
    for i in range(start, start + n):
        _inv, token = invite(
            manager, survey, email=f"r{i}@example.org", language="fa" if i % 2 else "en"
        )
        services.response_save(
            token=token,
            answers={
                "overall": str(1 + i % 5),
                "nps": str(i % 11),
                "liked": ["tone", "outcome"],
                "comment": f"کامنت {i}",
            },
            submit=True,
        )


@pytest.fixture
def survey(manager):
    return make_survey(manager, quiet_period_days=0)


def test_list_page_is_named_surveys(client, manager, survey):
    from django.urls import reverse

    assert reverse("surveys_staff:surveys") == "/staff/surveys/"
    client.force_login(manager)
    html = client.get("/staff/surveys/").content.decode()
    assert "Your complaint" in html and "handling" in html


@pytest.mark.parametrize(
    ("role", "read", "write"),
    [("admin", 200, 302), ("manager", 200, 302), ("handler", 200, 403), ("auditor", 200, 403)],
)
def test_permission_matrix(client, personas, role, read, write):
    survey = make_survey(personas["manager"], quiet_period_days=0)
    client.force_login(personas[role])
    for url in (
        "",
        f"{survey.pk}/",
        f"{survey.pk}/responses/",
        f"{survey.pk}/invitations/",
        "contacts/",
        "callbacks/",
    ):
        assert client.get(f"/staff/surveys/{url}").status_code == read, url
    assert client.get(f"/staff/surveys/{survey.pk}/export.csv").status_code == read
    r = client.post(
        f"/staff/surveys/{survey.pk}/invite/",
        {"inv-email": f"{role}@example.org", "inv-language": "en"},
    )
    assert r.status_code == write
    assert client.post(f"/staff/surveys/{survey.pk}/step/archive/").status_code == write


def test_anonymous_goes_to_login(client, survey):
    r = client.get("/staff/surveys/")
    assert r.status_code == 302 and "login" in r["Location"]


def test_build_a_survey_through_the_pages(client, manager):
    client.force_login(manager)
    r = client.post(
        "/staff/surveys/new/",
        {
            "key": "pulse",
            "kind": "relationship",
            "title_en": "Pulse",
            "title_fa": "نبض",
            "sampling_rate": "0.5",
            "delay_hours": "0",
            "expiry_days": "14",
            "reminder_count": "1",
            "reminder_interval_days": "3",
            "quiet_period_days": "90",
            "questions_per_page": "4",
            "period_days": "180",
            "followup": "callback",
            "followup_max_score": "2",
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    survey = Survey.objects.get(key="pulse")
    assert survey.title == {"en": "Pulse", "fa": "نبض"} and survey.period_days == 180
    r = client.post(
        f"/staff/surveys/{survey.pk}/questions/",
        {
            "q-kind": "rating",
            "q-code": "overall",
            "q-text_en": "Overall?",
            "q-text_sv": "Totalt?",
            "q-scale_min": "1",
            "q-scale_max": "7",
            "q-point_labels": "1 | Poor | Halb\n7 | Excellent | Suurepärane",
            "q-attribute": "",
            "q-weight": "1",
            "q-is_overall": "on",
            "q-required": "on",
        },
    )
    assert r.status_code == 302
    r = client.post(
        f"/staff/surveys/{survey.pk}/questions/",
        {
            "q-kind": "single",
            "q-code": "plan",
            "q-text_en": "Your plan?",
            "q-options": "basic | Basic\npro | Pro | Pro | Про",
        },
    )
    assert r.status_code == 302
    q = Question.objects.get(survey=survey, code="overall")
    assert q.point_labels == {
        "en": {"1": "Poor", "7": "Excellent"},
        "et": {"1": "Halb", "7": "Suurepärane"},
    }
    assert Question.objects.get(code="plan").options[1] == {
        "code": "pro",
        "label": {"en": "Pro", "et": "Pro", "uk": "Про"},
    }
    r = client.post(
        f"/staff/surveys/{survey.pk}/questions/",
        {"q-kind": "rating", "q-code": "bad", "q-text_en": "?", "q-scale_max": "30"},
    )
    assert r.status_code == 422 and 'href="#id_q-scale_max"' in r.content.decode()
    assert client.post(f"/staff/surveys/{survey.pk}/step/activate/").status_code == 302
    survey.refresh_from_db()
    assert survey.state == "active"


def test_edit_of_answered_survey_offers_a_new_version(client, manager, survey):
    _answer(manager, survey, 1)
    client.force_login(manager)
    html = client.get(f"/staff/surveys/{survey.pk}/").content.decode()
    assert "Create a new version to edit the questions" in html and "Add a question" not in html
    assert client.get(f"/staff/surveys/{survey.pk}/edit/").status_code == 200
    r = client.post(
        f"/staff/surveys/{survey.pk}/edit/",
        {
            "title_en": "x",
            "sampling_rate": "1",
            "delay_hours": "1",
            "expiry_days": "3",
            "reminder_count": "0",
            "reminder_interval_days": "1",
            "quiet_period_days": "0",
            "questions_per_page": "3",
            "followup": "none",
        },
    )
    assert r.status_code == 409
    r = client.post(f"/staff/surveys/{survey.pk}/step/new_version/")
    v2 = Survey.objects.get(key=survey.key, version=2)
    assert r["Location"] == f"/staff/surveys/{v2.pk}/"


def test_lists_have_constant_queries(client, manager, survey, django_assert_max_num_queries):
    _answer(manager, survey, 2)
    client.force_login(manager)
    urls = [
        "/staff/surveys/",
        f"/staff/surveys/{survey.pk}/responses/",
        f"/staff/surveys/{survey.pk}/invitations/",
        "/staff/surveys/contacts/",
        "/staff/surveys/callbacks/",
    ]
    with CaptureQueriesContext(connection) as ctx:
        for url in urls:
            client.get(url)
    _answer(manager, survey, 9, start=10)
    services.contacts_import_csv(
        actor=Actor.staff(manager),
        data="email\n" + "\n".join(f"c{i}@example.org" for i in range(9)),
    )
    make_survey(manager, key="another")
    with django_assert_max_num_queries(len(ctx)):
        for url in urls:
            client.get(url)


def test_export_csv_streams_every_response(client, manager, survey):
    _answer(manager, survey, 5)
    client.force_login(manager)
    r = client.get(f"/staff/surveys/{survey.pk}/export.csv")
    assert r.streaming and r["Content-Type"].startswith("text/csv")
    text = b"".join(r.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 5
    assert list(rows[0])[:2] == ["response_id", "submitted_at"] and "overall" in rows[0]
    by_comment = {row["comment"]: row for row in rows}
    assert by_comment["کامنت 3"]["overall"] == "4" and by_comment["کامنت 3"]["language"] == "fa"
    assert by_comment["کامنت 3"]["liked"] == "tone|outcome" and by_comment["کامنت 3"]["nps"] == "3"


def test_export_xlsx_holds_the_same_rows(client, manager, survey):
    _answer(manager, survey, 4)
    client.force_login(manager)
    r = client.get(f"/staff/surveys/{survey.pk}/export.xlsx")
    assert r.status_code == 200 and r.streaming
    sheet = load_workbook(io.BytesIO(b"".join(r.streaming_content)), read_only=True)["responses"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("response_id", "submitted_at", "source") and len(rows) == 5
    header = list(rows[0])
    overall = sorted(row[header.index("overall")] for row in rows[1:])
    assert overall == [1, 2, 3, 4]
    assert {row[header.index("comment")] for row in rows[1:]} == {f"کامنت {i}" for i in range(4)}


def test_exports_never_hand_a_spreadsheet_a_formula_from_an_answer(client, manager, survey):
    _inv, token = invite(manager, survey, email="mallory@example.org")
    services.response_save(
        token=token,
        answers={"overall": "1", "comment": '=HYPERLINK("http://evil.example","x")'},
        submit=True,
    )
    client.force_login(manager)
    r = client.get(f"/staff/surveys/{survey.pk}/export.csv")
    row = next(csv.DictReader(io.StringIO(b"".join(r.streaming_content).decode("utf-8-sig"))))
    assert row["comment"] == '\'=HYPERLINK("http://evil.example","x")'
    r = client.get(f"/staff/surveys/{survey.pk}/export.xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(r.streaming_content)), read_only=True)["responses"]
    header, first = list(sheet.iter_rows(values_only=True))[:2]
    assert first[header.index("comment")].startswith("'=")


def test_import_with_column_mapping_reports_bad_rows_by_line(client, manager, survey):
    client.force_login(manager)
    data = (
        "Ref;Date;Score;Recommend;Said\n"
        "P-1;2026-02-01;5;10;Great\n"
        "P-2;2026-02-02;7;10;Out of range\n"
        'P-3;2026-02-03;3;;"two\nlines"\n'
        "P-4;not a date;4;8;x\n"
        "P-1;2026-02-05;2;1;duplicate id\n"
    )
    upload = SimpleUploadedFile("paper.csv", data.encode(), content_type="text/csv")
    r = client.post(f"/staff/surveys/{survey.pk}/import/", {"file": upload})
    assert r.status_code == 200
    html = r.content.decode()
    assert 'name="col_0"' in html and "Said" in html
    assert data not in html  # the file stays on the server; the page names it
    r = client.post(
        f"/staff/surveys/{survey.pk}/import/",
        {
            "upload": _stored_upload(html),
            "col_0": "external_id",
            "col_1": "submitted_at",
            "col_2": "question:overall",
            "col_3": "question:nps",
            "col_4": "question:comment",
        },
    )
    assert r.status_code == 200
    html = r.content.decode()
    assert "2 rows imported, 0 updated, 3 rejected." in html
    assert "<td>3</td><td>Score: Choose a whole number from 1 to 5.</td>" in html
    assert "<td>6</td>" in html and "not a date" not in html.split("<td>6</td>")[1][:10]
    assert "<td>7</td><td>Ref: “P-1” was already imported.</td>" in html
    assert set(Response.objects.values_list("external_id", flat=True)) == {"P-1", "P-3"}
    assert (
        Response.objects.get(external_id="P-3").answers.get(question__code="comment").text
        == "two\nlines"
    )


def test_contacts_import_page(client, manager):
    client.force_login(manager)
    upload = SimpleUploadedFile(
        "c.csv",
        b"email,name,language,segment\na@example.org,A,fa,vip\nnot-an-email,B,en,\nc@example.org,C,zz,\n",
    )
    r = client.post("/staff/surveys/contacts/", {"file": upload})
    html = r.content.decode()
    assert "1 rows imported, 0 updated, 2 rejected." in html
    assert "<td>3</td>" in html and "<td>4</td>" in html
    assert Contact.objects.get().language == "fa"


@pytest.mark.parametrize("url", ["/staff/surveys/contacts/", "import"])
def test_an_oversized_csv_is_refused_on_the_form_naming_the_limit(client, manager, url, settings):
    settings.IMPORT_MAX_BYTES = 5_000_000  # PLAINT_IMPORT_MAX_BYTES
    client.force_login(manager)
    if url == "import":
        url = f"/staff/surveys/{make_survey(manager).pk}/import/"
    big = SimpleUploadedFile("big.csv", b"email\n" + b"a@example.org\n" * 400_000)
    r = client.post(url, {"file": big})
    assert r.status_code == 422
    assert r.context["upload_form"].errors["file"] == [
        "The file is larger than 5 MB; split it and import the parts."
    ]
    assert Contact.objects.count() == 0


def test_callback_list_and_done(client, manager):
    survey = make_survey(manager, followup="callback", followup_max_score=2)
    _inv, token = invite(manager, survey, email="unhappy@example.org")
    services.response_save(
        token=token, answers={"overall": "1", "comment": "Nobody called."}, submit=True
    )
    client.force_login(manager)
    html = client.get("/staff/surveys/callbacks/").content.decode()
    assert "unhappy@example.org" in html and "Nobody called." in html
    task = CallbackTask.objects.get()
    r = client.post(f"/staff/surveys/callbacks/{task.pk}/done/", {"note": "Called back."})
    assert r.status_code == 302
    task.refresh_from_db()
    assert task.state == "done" and task.note == "Called back."
    assert client.post(f"/staff/surveys/callbacks/{task.pk}/done/").status_code == 409


def test_the_invitations_list_names_what_made_each_invitation_in_the_page_language(
    client, manager, survey
):
    invite(manager, survey, email="by-hand@example.org")  # sent from the survey's page by hand
    client.force_login(manager)
    client.cookies["django_language"] = "sv"
    html = client.get(f"/staff/surveys/{survey.pk}/invitations/").content.decode()
    assert "<td>Skickad manuellt</td>" in html and "<td>manual</td>" not in html


def test_cancel_one_invitation_from_the_invitations_page(client, manager, survey):
    from plaint.core.models import AuditEvent
    from plaint.surveys.models import Invitation

    invitation, token = invite(manager, survey, email="cancel-me@example.org")
    client.force_login(manager)
    html = client.get(f"/staff/surveys/{survey.pk}/invitations/").content.decode()
    action = f"/staff/surveys/invitations/{invitation.pk}/cancel/"
    assert action in html and "Cancel the invitation to cancel-me@example.org" in html
    r = client.post(action)
    assert r.status_code == 302 and r["Location"] == f"/staff/surveys/{survey.pk}/invitations/"
    invitation.refresh_from_db()
    assert invitation.state == "cancelled" and invitation.closed_at is not None
    assert invitation.next_reminder_at is None
    assert AuditEvent.objects.filter(
        case_type="survey_invitation", case_id=invitation.pk, action="cancel"
    ).exists()
    # the link now shows "expired" and the row offers no action any more
    assert client.get(f"/survey/{token}/").status_code == 410
    assert action not in client.get(f"/staff/surveys/{survey.pk}/invitations/").content.decode()
    # a second cancel is a clear 409 page, not a 500
    again = client.post(action)
    assert again.status_code == 409 and "not possible" in again.content.decode()
    assert client.post("/staff/surveys/invitations/999999/cancel/").status_code == 404
    assert Invitation.objects.get(pk=invitation.pk).state == "cancelled"


@pytest.mark.parametrize("role", ["handler", "auditor"])
def test_cancel_invitation_is_refused_to_readers(client, personas, role):
    survey = make_survey(personas["manager"], quiet_period_days=0)
    invitation, _token = invite(personas["manager"], survey)
    client.force_login(personas[role])
    html = client.get(f"/staff/surveys/{survey.pk}/invitations/").content.decode()
    assert "/cancel/" not in html
    assert client.post(f"/staff/surveys/invitations/{invitation.pk}/cancel/").status_code == 403
    invitation.refresh_from_db()
    assert invitation.state == "sent"


def _question_post(**changes):
    data = {
        "q-kind": "rating",
        "q-code": "speed",
        "q-text_en": "How quick were we?",
        "q-text_fa": "چقدر سریع بودیم؟",
        "q-scale_min": "1",
        "q-scale_max": "7",
        "q-point_labels": "1 | Very slow | Väga aeglane\n7 | Very quick | | | | خیلی سریع",
        "q-options": "",
        "q-attribute": "speed",
        "q-weight": "3.5",
        "q-required": "on",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_edit_a_question_through_its_page(client, manager):
    from plaint.core.models import AuditEvent

    survey = make_survey(manager, quiet_period_days=0)
    speed = Question.objects.get(survey=survey, code="speed")
    overall = Question.objects.get(survey=survey, code="overall")
    client.force_login(manager)
    detail = client.get(f"/staff/surveys/{survey.pk}/").content.decode()
    assert f"/staff/surveys/questions/{speed.pk}/edit/" in detail
    # the form shows the question as it is, labels and options one a line
    page = client.get(f"/staff/surveys/questions/{overall.pk}/edit/").content.decode()
    assert "در مجموع چقدر راضی هستید؟" in page
    assert "1 | Very dissatisfied |  |  |  | بسیار ناراضی" in page
    contact = Question.objects.get(survey=survey, code="contact")
    page = client.get(f"/staff/surveys/questions/{contact.pk}/edit/").content.decode()
    assert "web | Web form\nphone | Phone" in page
    r = client.post(f"/staff/surveys/questions/{speed.pk}/edit/", _question_post())
    assert r.status_code == 302 and r["Location"] == f"/staff/surveys/{survey.pk}/"
    speed.refresh_from_db()
    assert speed.text == {"en": "How quick were we?", "fa": "چقدر سریع بودیم؟"}
    assert (speed.scale_min, speed.scale_max, speed.attribute) == (1, 7, "speed")
    assert str(speed.weight) == "3.500" and speed.required and not speed.is_overall
    assert speed.point_labels == {
        "en": {"1": "Very slow", "7": "Very quick"},
        "et": {"1": "Väga aeglane"},
        "fa": {"7": "خیلی سریع"},
    }
    assert AuditEvent.objects.filter(
        case_type="survey", case_id=survey.pk, action="question_updated"
    ).exists()
    # choices: labels per language replace the old options
    r = client.post(
        f"/staff/surveys/questions/{contact.pk}/edit/",
        _question_post(
            **{
                "q-kind": "single",
                "q-code": "contact",
                "q-point_labels": "",
                "q-options": "web | Web | Veeb\nmail | Letter\nphone | Phone",
            }
        ),
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    contact.refresh_from_db()
    assert [o["code"] for o in contact.options] == ["web", "mail", "phone"]
    assert contact.options[0]["label"] == {"en": "Web", "et": "Veeb"}


def test_edit_question_errors_sit_next_to_their_fields(client, manager):
    survey = make_survey(manager, quiet_period_days=0)
    speed = Question.objects.get(survey=survey, code="speed")
    client.force_login(manager)
    url = f"/staff/surveys/questions/{speed.pk}/edit/"
    r = client.post(url, _question_post(**{"q-scale_max": "20"}))
    assert r.status_code == 422
    assert "from 0 or 1 up to 3 to 11 points" in r.context["form"].errors["scale_max"][0]
    r = client.post(url, _question_post(**{"q-is_overall": "on"}))
    assert r.status_code == 422
    assert "already the overall question" in r.context["form"].errors["is_overall"][0]
    r = client.post(url, _question_post(**{"q-code": "overall"}))
    assert "Another question" in r.context["form"].errors["code"][0]
    r = client.post(url, _question_post(**{"q-weight": "101"}))
    assert r.status_code == 422 and "weight" in r.context["form"].errors
    speed.refresh_from_db()
    assert speed.scale_max == 5 and not speed.is_overall and speed.code == "speed"


def test_edit_question_is_refused_once_the_survey_has_responses(client, manager, personas):
    survey = make_survey(manager, quiet_period_days=0)
    speed = Question.objects.get(survey=survey, code="speed")
    url = f"/staff/surveys/questions/{speed.pk}/edit/"
    client.force_login(personas["handler"])
    assert client.get(url).status_code == 403
    _answer(manager, survey, 1)
    client.force_login(manager)
    for r in (client.get(url), client.post(url, _question_post())):
        assert r.status_code == 409
        assert "create a new version" in r.content.decode()
    detail = client.get(f"/staff/surveys/{survey.pk}/").content.decode()
    assert url not in detail
    speed.refresh_from_db()
    assert speed.scale_max == 5
    assert client.get("/staff/surveys/questions/999999/edit/").status_code == 404


def test_import_page_follow_up_checkbox(client, manager):
    survey = make_survey(manager, quiet_period_days=0, followup="callback", followup_max_score=2)
    client.force_login(manager)
    data = "Score\n1\n5\n"
    upload = SimpleUploadedFile("old.csv", data.encode(), content_type="text/csv")
    html = client.post(f"/staff/surveys/{survey.pk}/import/", {"file": upload}).content.decode()
    assert 'name="follow_up"' in html and "checked" not in html.split('name="follow_up"')[1][:40]
    post = {"upload": _stored_upload(html), "col_0": "question:overall"}
    r = client.post(f"/staff/surveys/{survey.pk}/import/", post)
    assert "2 rows imported" in r.content.decode() and not CallbackTask.objects.exists()
    upload = SimpleUploadedFile("old.csv", data.encode(), content_type="text/csv")
    html = client.post(f"/staff/surveys/{survey.pk}/import/", {"file": upload}).content.decode()
    post = {"upload": _stored_upload(html), "col_0": "question:overall"}
    r = client.post(f"/staff/surveys/{survey.pk}/import/", {**post, "follow_up": "on"})
    html = r.content.decode()
    assert "1 low score opened a follow-up." in html
    assert CallbackTask.objects.get().score == 1


def test_export_xlsx_of_5500_responses_streams_from_a_removed_temporary_file(
    client, manager, survey, tmp_path, monkeypatch
):
    import datetime as dt
    import tempfile

    from django.utils import timezone

    from plaint.surveys.models import Answer

    # 5,500: six of the export's keyset chunks of 1,000 (selectors.export_rows), the last one short
    questions = {q.code: q for q in survey.questions.all()}
    start = timezone.now() - dt.timedelta(days=30)
    responses = Response.objects.bulk_create(
        [
            Response(
                survey=survey,
                started_at=start,
                submitted_at=start + dt.timedelta(seconds=i),
                source="import",
                language="fa" if i % 3 == 0 else "en",
                external_id=f"x{i}",
            )
            for i in range(5_500)
        ],
        batch_size=2000,
    )
    if responses[0].pk is None:  # backends that do not return keys from a bulk insert
        responses = list(Response.objects.filter(survey=survey).order_by("pk"))
    answers = []
    for i, r in enumerate(responses):
        answers.append(Answer(response=r, question=questions["overall"], value=1 + i % 5))
        answers.append(Answer(response=r, question=questions["liked"], choices=["tone", "speed"]))
        if i % 7 == 0:
            answers.append(Answer(response=r, question=questions["comment"], text=f"نظر {i}"))
    Answer.objects.bulk_create(answers, batch_size=5000)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    client.force_login(manager)
    r = client.get(f"/staff/surveys/{survey.pk}/export.xlsx")
    assert r.status_code == 200 and r.streaming
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    assert r["Content-Disposition"] == f'attachment; filename="{survey.key}-v{survey.version}.xlsx"'
    assert list(tmp_path.iterdir()) == []  # already unlinked: only the open handle reads it
    body = b"".join(r.streaming_content)
    r.close()
    assert int(r["Content-Length"]) == len(body)
    sheet = load_workbook(io.BytesIO(body), read_only=True)["responses"]
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 5_501
    header = list(rows[0])
    by_id = {row[header.index("external_id")]: row for row in rows[1:]}
    assert len(by_id) == 5_500
    for i in (0, 1, 999, 1000, 5_499):
        row = by_id[f"x{i}"]
        assert row[header.index("overall")] == 1 + i % 5
        assert row[header.index("liked")] == "tone|speed"
        assert row[header.index("language")] == ("fa" if i % 3 == 0 else "en")
        assert row[header.index("comment")] in (f"نظر {i}" if i % 7 == 0 else None, "")
    assert [row[header.index("response_id")] for row in rows[1:]] == sorted(r.pk for r in responses)
    assert list(tmp_path.iterdir()) == []


def test_import_page_shows_the_first_rows_as_read_and_the_encoding_guessed(client, manager, survey):
    client.force_login(manager)
    data = "Номер,Оцінка,Коментар\nP-1,5,Дякую за швидку відповідь\nP-2,NA,Ніхто не передзвонив\n"
    upload = SimpleUploadedFile("paper.csv", data.encode("cp1251"), content_type="text/csv")
    r = client.post(f"/staff/surveys/{survey.pk}/import/", {"file": upload, "encoding": "auto"})
    assert r.status_code == 200
    html = r.content.decode()
    assert "Windows-1251 (Cyrillic: Ukrainian)" in html and "a guess" in html
    preview = html.split('id="import-preview"')[1].split("</table>")[0]
    assert "Дякую за швидку відповідь" in preview and "of 2 rows" in preview
    assert 'name="missing_tokens"' in html and 'value="NA, N/A, -"' in html
    # a wrong choice is a clear error on the upload form, nothing read
    upload = SimpleUploadedFile("paper.csv", data.encode("cp1251"), content_type="text/csv")
    r = client.post(f"/staff/surveys/{survey.pk}/import/", {"file": upload, "encoding": "utf-8"})
    assert r.status_code == 422 and "The file is not utf-8 text" in r.content.decode()
    # chosen rather than guessed: said plainly
    upload = SimpleUploadedFile("paper.csv", data.encode("cp1251"), content_type="text/csv")
    r = client.post(f"/staff/surveys/{survey.pk}/import/", {"file": upload, "encoding": "cp1251"})
    assert "Read as Windows-1251 (Cyrillic: Ukrainian)." in r.content.decode()
    # the mapping step: NA is "not answered", the report says how many
    r = client.post(
        f"/staff/surveys/{survey.pk}/import/",
        {
            "upload": _stored_upload(r.content.decode()),
            "col_0": "external_id",
            "col_1": "question:overall",
            "col_2": "question:comment",
            "missing_tokens": "NA, N/A, -",
        },
    )
    html = r.content.decode()
    # P-2 left the required overall question unanswered ("NA"): refused, and said why
    assert "1 rows imported, 0 updated, 1 rejected." in html
    assert "No answer to required question(s): overall." in html


def _stored_upload(html: str) -> str:
    """The id of the file the upload step kept on the server (the mapping form's hidden field)."""
    import re

    return re.search(r'name="upload" value="([A-Za-z0-9_-]+)"', html).group(1)


def test_a_stored_upload_is_imported_once_then_gone(client, manager, survey):
    client.force_login(manager)
    upload = SimpleUploadedFile("p.csv", b"Score\n4\n", content_type="text/csv")
    html = client.post(f"/staff/surveys/{survey.pk}/import/", {"file": upload}).content.decode()
    post = {"upload": _stored_upload(html), "col_0": "question:overall"}
    assert (
        "1 rows imported"
        in client.post(f"/staff/surveys/{survey.pk}/import/", post).content.decode()
    )
    # a second click (or a tab left open) imports nothing twice: the file is gone, and it says so
    r = client.post(f"/staff/surveys/{survey.pk}/import/", post, follow=True)
    assert "This file is no longer on the server; upload it again." in r.content.decode()
    assert Response.objects.count() == 1


def test_import_page_recodes_by_lines_and_shows_what_each_rule_did(client, manager, survey):
    client.force_login(manager)
    upload = SimpleUploadedFile("p.csv", b"Score,Speed\n4,0\n5,0\n3,2\n", content_type="text/csv")
    html = client.post(f"/staff/surveys/{survey.pk}/import/", {"file": upload}).content.decode()
    post = {
        "upload": _stored_upload(html),
        "col_0": "question:overall",
        "col_1": "question:speed",
        "recode": "Speed | 0 |",
    }
    r = client.post(f"/staff/surveys/{survey.pk}/import/", {**post, "recode": "Speed 0"})
    assert (
        r.status_code == 422
        and "Line 1: column | value in the file | read as." in r.content.decode()
    )
    html = client.post(f"/staff/surveys/{survey.pk}/import/", post).content.decode()
    assert "3 rows imported, 0 updated, 0 rejected." in html
    table = html.split('id="recoded"')[1].split("</table>")[0]
    assert "<td><bdi>Speed</bdi></td><td><bdi>0</bdi></td><td>not answered</td><td>2</td>" in table


def test_the_staff_pages_name_a_survey_and_its_questions_in_the_pages_language(client, manager):
    """Titled in English, Persian and Estonian: a Persian page says "شکایت شما"; a survey written
    only in Estonian is named in Estonian on an English page (its title was blank there)."""
    survey = make_survey(manager)
    estonian = make_survey(manager, key="estonian-only")
    Survey.objects.filter(pk=estonian.pk).update(title={"et": "Ainult eesti keeles"})
    client.force_login(manager)
    client.cookies["django_language"] = "fa"
    detail = client.get(f"/staff/surveys/{survey.pk}/").content.decode()
    assert "<h1>شکایت شما " in detail
    assert "در مجموع چقدر راضی هستید؟" in detail
    assert client.get(f"/staff/surveys/{survey.pk}/responses/").content.decode().count("شکایت شما")
    client.cookies["django_language"] = "en"
    listed = client.get("/staff/surveys/").content.decode()
    assert f'<a href="/staff/surveys/{estonian.pk}/">Ainult eesti keeles</a>' in listed
    assert f'<a href="/staff/surveys/{survey.pk}/">Your complaint</a>' in listed
