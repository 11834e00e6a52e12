"""The one gate of staff pages: ``@staff_page(can_…)`` with a rule from ``accounts/access.py``.

Anonymous visitors go to the login page (and come back after); a signed-in user the rule refuses
gets the 403 page inside the staff console, as does any error page the view itself returns. What a page does besides (the organisation's time zone,
error pages) is its own decorator, applied explicitly (``plaint.core.views``)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from plaint.core.errors import NotAllowed
from plaint.core.views import View, error_response

Predicate = Callable[[Any], bool]

REFUSED = gettext_lazy("Your role may not do this.")


def staff_page(predicate: Predicate, *, refusal: str | Promise = REFUSED) -> Callable[[View], View]:
    """Let the view run only for a signed-in user ``predicate`` allows; ``refusal`` is the
    sentence the 403 page shows."""

    def decorate(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not predicate(request.user):
                return error_response(request, NotAllowed(str(refusal)), status=403, staff=True)
            # Inside the staff console: a refusal or error the view itself answers (a POST only a
            # manager may make, a service's NotAllowed) keeps the staff header (core.views).
            request.staff_console = True  # type: ignore[attr-defined]
            return view(request, *args, **kwargs)

        wrapper.staff_gate = predicate  # type: ignore[attr-defined]  # tests find every gated URL
        return wrapper

    return decorate
