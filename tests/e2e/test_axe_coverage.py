"""Every page of Plaint is in an axe table: each URL of the public site, the staff console and
the neutral's portal is visited by ``test_axe.PAGES`` or ``test_axe_more.PAGES``, or is named
below with why it is no page of its own (a form's POST, a download, a redirect). A page added
without a row fails here, not after someone on a phone finds it; the apps added after the first
table had 54 page types axe never saw."""

from __future__ import annotations

import re

from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve

from tests.e2e import test_axe, test_axe_more

POST = "a form's POST: it answers with a redirect or with the page it came from"
DOWNLOAD = "a download (CSV, XLSX, PDF or ZIP), no page"
NOT_PAGES = {
    # elsewhere
    "favicon": "the icon",
    "public:set_language": "the language switcher's POST",
    "mailin_inbound:push": "the mail provider's webhook",
    "mailin:quarantine": "tests/e2e/test_mail_quarantine.py runs axe on it, both widths",
    "mailin:detail": "tests/e2e/test_mail_quarantine.py runs axe on it, both widths",
    "staff:logout": POST,
    "notifications:open": "a redirect to what the notification is about",
    # forms' POSTs
    **dict.fromkeys(
        [
            "public:track_accept",
            "public:track_decline",
            "public:track_message",
            "public:track_withdraw",
            "disputes_public:track_choose",
            "disputes_public:track_evidence",
            "staff:bulk",
            "staff:message",
            "staff:saved_view_create",
            "staff:saved_view_rename",
            "staff:saved_view_delete",
            "improvement_staff:clusters_detect",
            "improvement_returns:mapping_delete",
            "insights_staff:volumes_upload",
            "disputes:neutral_assign",
            "disputes:legal_review",
            "mailin:attach",
            "mailin:create",
            "mailin:discard",
            "notifications:read",
            "notifications:read_all",
            "privacy:erase",
            "privacy:hold_place",
            "privacy:hold_release",
            "promises_staff:check_record",
            "promises_staff:code_new_version",
            "promises_staff:code_step",
            "promises_staff:claim",
            "promises_staff:pause_delete",
            "promises_staff:profile_deselect",
            "webhooks:delete",
            "webhooks:rotate",
            "surveys_staff:invite",
            "surveys_staff:question_add",
            "surveys_staff:step",
            "surveys_staff:wave",
            "surveys_staff:callback_done",
            "surveys_staff:invitation_cancel",
            "surveys_staff:question_step",
        ],
        POST,
    ),
    # downloads
    **dict.fromkeys(
        [
            "public:track_attachment",
            "staff:attachment",
            "staff:register_export",
            "staff:read_log_export",
            "neutral:bundle_pdf",
            "neutral:bundle_zip",
            "neutral:document",
            "disputes:bundle_pdf",
            "disputes:bundle_zip",
            "disputes:annual_csv",
            "disputes:annual_pdf",
            "disputes:annual_xlsx",
            "improvement_staff:export",
            "improvement:audit_report_pdf",
            "improvement_returns:export",
            "improvement_review:pdf",
            "insights_staff:export",
            "privacy:export",
            "promises_staff:scorecard_csv",
            "surveys_staff:export_csv",
            "surveys_staff:export_xlsx",
        ],
        DOWNLOAD,
    ),
}
# Not pages of Plaint's own: the API (its own tests and OpenAPI), Django's admin.
OTHER_SITES = ("api/", "django-admin/")


def _routes(resolver: URLResolver, prefix: str = "", namespace: str = "") -> dict[str, str]:
    found = {}
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = entry.namespace or namespace
            found |= _routes(entry, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern) and entry.name:
            found[f"{namespace}:{entry.name}" if namespace else entry.name] = prefix + str(
                entry.pattern
            )
    return found


def _visited() -> set[str]:
    """The route of each row of the two tables (its path with any value filled in)."""
    names = set()
    for visit in [*test_axe.PAGES, *test_axe_more.PAGES]:
        path = re.sub(r"\{w\.\w+\}", "1", visit.path).replace("{lang}", "en").split("?")[0]
        try:
            match = resolve(path)
        except Resolver404:
            assert visit.status == 404, f"{visit.name}: {visit.path} names no route"
            continue  # the 404 page of a path that names none ("/no-such-page/")
        names.add(f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name)
        if visit.reaches:
            names.add(visit.reaches)
    return names


def test_every_page_is_in_an_axe_table_or_said_not_to_be_a_page():
    routes = {
        name: path
        for name, path in _routes(get_resolver()).items()
        if not path.startswith(OTHER_SITES)
    }
    visited = _visited()
    missing = sorted(
        f"{name} ({routes[name]})" for name in routes.keys() - visited - NOT_PAGES.keys()
    )
    assert missing == [], "pages no axe table visits: add a row to test_axe_more.PAGES"
    # and the list of exceptions names only routes that exist and no page that a table visits
    assert NOT_PAGES.keys() - routes.keys() == set()
    assert NOT_PAGES.keys() & visited == set()
