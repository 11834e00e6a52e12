"""The public survey pages (no account): answer a survey through the invitation link, opt out.

The page is in the invitation's language (Persian right to left, via ``base.html``'s ``dir``);
answers are saved on every page post and with "save and continue later"; a link submits once.
An unknown, used or expired link gets a short page that names no survey and no person.
"""

from __future__ import annotations

import math
from contextlib import nullcontext
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from plaint.core.bounds import unreadable_error
from plaint.core.errors import NotFound, PlaintError, ValidationFailed
from plaint.surveys import services
from plaint.surveys.models import Invitation, Question, QuestionKind, Response
from plaint.surveys.states import LANGUAGES


def _private(response: HttpResponse) -> HttpResponse:
    """The token is in the URL: never sent to another site as a referrer, never cached.

    ``same-origin`` rather than ``no-referrer``: with ``no-referrer`` browsers send ``Origin: null``
    on the page's own form posts, which Django's CSRF check rightly refuses."""
    response["Referrer-Policy"] = "same-origin"
    response["Cache-Control"] = "no-store"
    return response


def _language(request: HttpRequest, default: str) -> str:
    chosen = request.GET.get("lang") or request.POST.get("lang") or ""
    return chosen if chosen in LANGUAGES else (default if default in LANGUAGES else "en")


def _link_problem(request: HttpRequest, exc: PlaintError, language: str = "") -> HttpResponse:
    """The short page for a link that cannot be used. A used, expired or opted-out link names an
    invitation: its page is in the invitee's ``language`` (given, or already active), and the
    language switcher, which would not change it, is left out; an unknown link's page is in the
    visitor's language."""
    with translation.override(language) if language else nullcontext():
        return _private(_link_problem_page(request, exc))


def _link_problem_page(request: HttpRequest, exc: PlaintError) -> HttpResponse:
    reason = getattr(exc, "reason", "unknown")
    titles = {
        "used": _("This survey has already been answered"),
        "expired": _("This survey link has expired"),
        "opted_out": _("You have opted out of our surveys"),
        "unknown": _("This survey link is not valid"),
    }
    texts = {
        "used": _("Each link can be used once. Thank you for your answers."),
        "expired": _("The time to answer this survey has passed. Thank you all the same."),
        "opted_out": _("We will not send you surveys any more."),
        "unknown": _("Check that you copied the whole link from the e-mail."),
    }
    named = not isinstance(exc, NotFound)  # the link names an invitation
    context = {
        "title": titles.get(reason, titles["unknown"]),
        "text": texts.get(reason, ""),
        "fixed_language": named,
    }
    return render(
        request, "surveys/public/link_problem.html", context, status=410 if named else 404
    )


def _pages(questions: list, per_page: int) -> int:
    return max(1, math.ceil(len(questions) / max(per_page, 1)))


def _items(questions, language: str, values: dict[str, Any], errors: dict[str, list[str]]):
    items = []
    for q in questions:
        name = f"q_{q.code}"
        item: dict[str, Any] = {
            "question": q,
            "name": name,
            "text": q.text_in(language),
            "kind": q.kind,
            "required": q.required,
            "errors": errors.get(name, []),
            "value": values.get(q.code),
            "is_fieldset": q.kind != QuestionKind.TEXT,
        }
        if q.kind == QuestionKind.YESNO:  # shown as two choices, yes first
            labels = q.labels_in(language)
            item["points"] = [("1", labels.get("1") or _("Yes")), ("0", labels.get("0") or _("No"))]
        elif q.is_scale:
            labels = q.labels_in(language)
            item["points"] = [
                (str(v), labels.get(str(v), "")) for v in range(q.scale_min, q.scale_max + 1)
            ]
            item["hint"] = _("%(low)s to %(high)s") % {"low": q.scale_min, "high": q.scale_max}
            if q.kind == QuestionKind.NPS:
                item["hint"] = _("0 = not at all likely, 10 = extremely likely")
            elif q.kind == QuestionKind.CES:
                item["hint"] = _("1 = very difficult, 7 = very easy")
        elif q.kind in (QuestionKind.SINGLE, QuestionKind.MULTI):
            item["points"] = [(o["code"], q.option_label(o, language)) for o in q.options]
        items.append(item)
    return items


def _stored_values(response, questions: list) -> dict[str, Any]:
    """The saved answers by question code (the questions given, so no query per answer)."""
    if response is None:
        return {}
    by_id = {q.pk: q for q in questions}
    values: dict[str, Any] = {}
    for answer in response.answers.all():
        question = by_id[answer.question_id]  # the response's survey is the invitation's
        if answer.value is not None:
            values[question.code] = str(answer.value)
        elif answer.choices:
            values[question.code] = (
                answer.choices if question.kind == QuestionKind.MULTI else answer.choices[0]
            )
        else:
            values[question.code] = answer.text
    return values


@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation, response = services.response_open(token=token)
    except NotFound as exc:
        return _link_problem(request, exc)
    except services.LinkUnusable as exc:
        # the link names an invitation (only its use is over): one more query, on this page only
        invitee = services.invitation_for_token(token)
        return _link_problem(request, exc, _language(request, invitee.language))
    language = _language(request, invitation.language)
    with translation.override(language):
        return _answer(request, token, invitation, response, language)


def _requested_page(request: HttpRequest, response: Response | None, pages: int) -> int:
    try:
        page = int(
            request.POST.get("page")
            or request.GET.get("page")
            or (response.page if response else 1)
        )
    except ValueError:
        page = 1
    return max(1, min(page, pages))


def _posted(request: HttpRequest, on_page: list[Question]) -> dict[str, Any]:
    """The answers posted for the questions of one page, by question code."""
    posted: dict[str, Any] = {}
    for q in on_page:
        name = f"q_{q.code}"
        posted[q.code] = (
            request.POST.getlist(name)
            if q.kind == QuestionKind.MULTI
            else request.POST.get(name, "")
        )
    return posted


def _refuse_unreadable(posted: dict[str, Any]) -> None:
    """Answers whose text was not sent as UTF-8 are refused, not stored with U+FFFD."""
    errors = {
        f"q_{code}": [error]
        for code, value in posted.items()
        if (error := unreadable_error(value if isinstance(value, list) else [value]))
    }
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], fields=errors)


def _elsewhere(
    questions: list[Question],
    on_page: list[Question],
    errors: dict[str, list[str]],
    per_page: int,
    language: str,
) -> list[str]:
    """A line for each refused question that is on another page than the one shown."""
    codes_on_page = {f"q_{q.code}" for q in on_page}
    return [
        _("Page %(p)s: “%(q)s” needs an answer.")
        % {"p": questions.index(q) // per_page + 1, "q": q.text_in(language)}
        for q in questions
        if f"q_{q.code}" in errors and f"q_{q.code}" not in codes_on_page
    ]


def _after_save(request: HttpRequest, action: str, target: int, language: str) -> HttpResponse:
    if action == "submit":
        return redirect(f"{reverse('surveys_public:thanks')}?lang={language}")
    if action == "save":
        return _private(
            render(
                request,
                "surveys/public/saved.html",
                {"survey_url": request.path, "lang": language},
            )
        )
    return redirect(f"{request.path}?page={target}&lang={language}")


def _answer(
    request: HttpRequest,
    token: str,
    invitation: Invitation,
    response: Response | None,
    language: str,
) -> HttpResponse:
    survey = invitation.survey
    per_page = survey.questions_per_page
    questions = list(survey.questions.order_by("position"))
    pages = _pages(questions, per_page)
    page = _requested_page(request, response, pages)
    values = _stored_values(response, questions)
    errors: dict[str, list[str]] = {}
    summary: list[str] = []
    status = 200
    if request.method == "POST":
        on_page = questions[(page - 1) * per_page : page * per_page]
        posted = _posted(request, on_page)
        action = request.POST.get("action", "next")
        target = max(1, min({"back": page - 1, "next": page + 1}.get(action, page), pages))
        try:
            _refuse_unreadable(posted)
            services.response_save(
                token=token,
                answers=posted,
                page=target,
                submit=(action == "submit"),
                language=language,
            )
        except ValidationFailed as exc:
            errors = exc.fields
            values.update(posted)
            status = 422
            summary = _elsewhere(questions, on_page, errors, per_page, language)
        except (NotFound, services.LinkUnusable) as exc:
            return _link_problem(request, exc)
        else:
            return _after_save(request, action, target, language)
    on_page = questions[(page - 1) * per_page : page * per_page]
    context = {
        "title": survey.title_in(language),
        "intro": survey.intro_in(language),
        "items": _items(on_page, language, values, errors),
        "summary": summary,
        "has_errors": bool(errors),
        "page": page,
        "pages": pages,
        "is_last": page == pages,
        "lang": language,
    }
    return _private(render(request, "surveys/public/answer.html", context, status=status))


def thanks(request: HttpRequest) -> HttpResponse:
    language = _language(request, "en")
    with translation.override(language):
        return render(request, "surveys/public/thanks.html")


@require_http_methods(["GET", "POST"])
def opt_out(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks to confirm (mail scanners follow links); POST opts out for good."""
    try:
        invitation = services.invitation_for_token(token)
    except NotFound as exc:
        return _link_problem(request, exc)
    language = _language(request, invitation.language)
    with translation.override(language):
        if request.method == "POST":
            services.invitation_opt_out(token=token)
            return _private(render(request, "surveys/public/opted_out.html"))
        return _private(render(request, "surveys/public/opt_out.html", {"lang": language}))
