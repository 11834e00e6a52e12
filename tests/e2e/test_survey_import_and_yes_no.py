"""A manager imports a Ukrainian file saved by an old spreadsheet (Windows-1251) and sees its
letters before importing; a respondent answers a yes/no question — both in Chromium."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from plaint.core.actors import Actor
from plaint.surveys import services
from plaint.surveys.models import Answer, Response
from tests.e2e.conftest import keep_screenshot, sign_in
from tests.surveys.factories import invite, make_survey

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FILE = (
    "Номер,Оцінка,Коментар\nP-1,5,Дякую за швидку відповідь\nP-2,NA,Ніхто не передзвонив\nP-3,4,\n"
)


def test_an_eight_bit_file_is_previewed_as_read_then_imported(browser_page, manager, tmp_path):
    survey = make_survey(manager)
    path = tmp_path / "paper.csv"
    path.write_bytes(FILE.encode("cp1251"))
    page = browser_page
    sign_in(page, manager)
    page.goto(f"/staff/surveys/{survey.pk}/import/")
    page.locator("input[name=file]").set_input_files(str(path))
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#encoding-read")).to_contain_text("Windows-1251 (Cyrillic: Ukrainian)")
    expect(page.locator("#encoding-read")).to_contain_text("a guess")
    preview = page.locator("#import-preview")
    expect(preview).to_contain_text("Дякую за швидку відповідь")
    expect(preview.locator("caption")).to_contain_text("of 3 rows")
    keep_screenshot(page, tmp_path, "survey-import-preview")
    page.get_by_label("Номер").select_option("external_id")
    page.get_by_label("Оцінка").select_option("question:overall")
    page.get_by_label("Коментар").select_option("question:comment")
    page.get_by_role("button", name="Import").click()
    report = page.locator("#report-h").locator("..")
    expect(report).to_contain_text("2 rows imported, 0 updated, 1 rejected.")
    expect(report).to_contain_text("No answer to required question(s): overall.")
    assert set(Response.objects.values_list("external_id", flat=True)) == {"P-1", "P-3"}
    assert Answer.objects.get(question__code="comment").text == "Дякую за швидку відповідь"


@pytest.mark.parametrize(("language", "yes", "no"), [("en", "Yes", "No"), ("fa", "بله", "خیر")])
def test_a_yes_no_question_is_answered_by_its_words(browser_page, manager, language, yes, no):
    survey = make_survey(manager, activate=False, questions_per_page=20)
    services.question_add(
        actor=Actor.staff(manager),
        survey_id=survey.pk,
        code="solved",
        kind="yesno",
        text={"en": "Was your problem solved?", "fa": "آیا مشکل شما حل شد؟"},
    )
    services.survey_activate(actor=Actor.staff(manager), survey_id=survey.pk)
    _inv, token = invite(manager, survey, email=f"{language}@example.org", language=language)
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(f"/survey/{token}/")
    question = page.locator("#q_solved")
    expect(question.get_by_label(yes, exact=True)).to_be_visible()
    expect(question.get_by_label(no, exact=True)).to_be_visible()
    question.get_by_label(no, exact=True).check()
    page.locator("label[for=q_overall_4]").click()
    page.locator("button[value=submit]").click()
    expect(page.locator("h1")).to_be_visible()
    assert Answer.objects.get(question__code="solved").value == 0
