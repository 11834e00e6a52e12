"""The notification pages: a person's list (open, mark read, mark all read), their preferences,
the teams' categories and the undelivered mails (managers and admins). Every staff member has
notifications."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from plaint.accounts.access import can_configure, can_read_complaints
from plaint.accounts.gates import staff_page
from plaint.core.actors import Actor
from plaint.core.errors import PlaintError
from plaint.core.views import error_response, in_organisation_timezone
from plaint.notifications.forms import ListForm, PreferencesForm, TeamCategoriesForm
from plaint.notifications.selectors import (
    notification_list,
    preferences_table,
    team_categories,
    undelivered_mails,
)
from plaint.notifications.services import (
    notification_read,
    notifications_read_all,
    preferences_set,
    team_categories_set,
)

STAFF_ONLY = gettext_lazy("Only staff members have notifications.")


@require_http_methods(["GET"])
@staff_page(can_read_complaints, refusal=STAFF_ONLY)
@in_organisation_timezone
def notification_list_page(request: HttpRequest) -> HttpResponse:
    """The person's notifications, newest first, unread ones marked."""
    form = ListForm(request.GET)
    if not form.is_valid():
        messages.error(request, _("That page of notifications does not exist; here is the first."))
        return redirect("notifications:list")
    page = notification_list(
        user=request.user, before=form.cleaned_data["before"], limit=form.cleaned_data["limit"]
    )
    return render(request, "notifications/list.html", {"page": page})


@require_POST
@staff_page(can_read_complaints, refusal=STAFF_ONLY)
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark the notification read and go to its case (or the page of what it is about)."""
    try:
        notification = notification_read(actor=Actor.staff(request.user), notification_id=pk)
    except PlaintError as exc:
        return error_response(request, exc)
    if notification.complaint is None:  # a path of this site, checked when it was written
        return redirect(notification.subject_path or reverse("notifications:list"))
    return redirect("staff:detail", reference=notification.complaint.reference)


@require_POST
@staff_page(can_read_complaints, refusal=STAFF_ONLY)
def notification_mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        notification_read(actor=Actor.staff(request.user), notification_id=pk)
    except PlaintError as exc:
        return error_response(request, exc)
    return redirect("notifications:list")


@require_POST
@staff_page(can_read_complaints, refusal=STAFF_ONLY)
def notifications_mark_all_read(request: HttpRequest) -> HttpResponse:
    count = notifications_read_all(actor=Actor.staff(request.user))
    messages.success(
        request,
        ngettext(
            "%(count)s notification marked read.", "%(count)s notifications marked read.", count
        )
        % {"count": count},
    )
    return redirect("notifications:list")


@require_http_methods(["GET"])
@staff_page(can_configure, refusal=gettext_lazy("Only managers and admins see undelivered mails."))
@in_organisation_timezone
def undelivered_page(request: HttpRequest) -> HttpResponse:
    """The mails the worker gave up on, newest first, each with its reason and case."""
    form = ListForm(request.GET)
    if not form.is_valid():
        messages.error(
            request, _("That page of undelivered mails does not exist; here is the first.")
        )
        return redirect("notifications:undelivered")
    page = undelivered_mails(
        user=request.user, before=form.cleaned_data["before"], limit=form.cleaned_data["limit"]
    )
    return render(request, "notifications/undelivered.html", {"page": page})


@require_http_methods(["GET", "POST"])
@staff_page(can_read_complaints, refusal=STAFF_ONLY)
def preferences_page(request: HttpRequest) -> HttpResponse:
    """Which kinds the person hears of, in Plaint and by e-mail."""
    table = preferences_table(user=request.user)
    form = PreferencesForm(request.POST or None, table=table)
    if request.method == "POST" and form.is_valid():
        try:
            preferences_set(actor=Actor.staff(request.user), choices=form.choices())
        except PlaintError as exc:
            return error_response(request, exc)
        messages.success(request, _("Your notification choices are saved."))
        return redirect("notifications:preferences")
    return render(
        request,
        "notifications/preferences.html",
        {"form": form, "teams_url": reverse("notifications:teams")},
        status=422 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@staff_page(
    can_configure,
    refusal=gettext_lazy("Only managers and admins decide which teams look after a category."),
)
def team_categories_page(request: HttpRequest) -> HttpResponse:
    """Which categories each team looks after: its members hear of every new case in them."""
    teams, categories, pairs = team_categories()
    form = TeamCategoriesForm(request.POST or None, teams=teams, categories=categories, pairs=pairs)
    if request.method == "POST" and form.is_valid():
        try:
            team_categories_set(actor=Actor.staff(request.user), pairs=form.pairs())
        except PlaintError as exc:
            return error_response(request, exc)
        messages.success(request, _("The teams' categories are saved."))
        return redirect("notifications:teams")
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "notifications/teams.html",
        {"form": form, "has_teams": bool(teams and categories)},
        status=status,
    )
