"""The access rules: every page and endpoint asks one of these, for UI and API alike."""

from __future__ import annotations

from typing import TypeAlias

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext

from plaint.accounts.models import Role, User
from plaint.core.errors import NotAllowed

STAFF_ROLES = {Role.ADMIN, Role.MANAGER, Role.HANDLER, Role.AUDITOR}
WORKING_ROLES = {Role.ADMIN, Role.MANAGER, Role.HANDLER}
CONFIGURING_ROLES = {Role.ADMIN, Role.MANAGER}


def is_staff_member(user: User | AnonymousUser | None) -> bool:
    return bool(
        user is not None and user.is_authenticated and user.is_active and user.role in STAFF_ROLES
    )


def is_neutral(user: User | AnonymousUser | None) -> bool:
    """A signed-in neutral (a dispute-resolution provider's person). Not a member of staff: no
    staff page or API operation lets them in; the neutral's portal shows them only the disputes
    assigned to them (plaint.disputes)."""
    return bool(
        user is not None and user.is_authenticated and user.is_active and user.role == Role.NEUTRAL
    )


def can_read_complaints(user) -> bool:
    return is_staff_member(user)


def can_work_complaints(user) -> bool:
    return is_staff_member(user) and user.role in WORKING_ROLES


def can_configure(user) -> bool:
    return is_staff_member(user) and user.role in CONFIGURING_ROLES


def can_read_audit_trail(user) -> bool:
    return is_staff_member(user) and user.role in {Role.ADMIN, Role.MANAGER, Role.AUDITOR}


def can_read_management_reviews(user) -> bool:
    """Management reviews (ISO 10002 8.6): managers and admins hold them, auditors read them;
    handlers do not see them."""
    return is_staff_member(user) and user.role in {Role.ADMIN, Role.MANAGER, Role.AUDITOR}


def can_read_access_log(user) -> bool:
    """Who read which case: auditors and admins. Not managers: the log watches how staff use
    their access (managers included), so it is read by those who check, not by those checked."""
    return is_staff_member(user) and user.role in {Role.ADMIN, Role.AUDITOR}


def can_read_internal_notes(user) -> bool:
    return is_staff_member(user)


def require(check, user, what: str) -> None:
    """Raise ``NotAllowed`` unless ``check(user)``. ``what`` is the action as a translatable
    phrase in the infinitive, e.g. ``_("write promises")`` (translated again here, so a phrase
    marked with ``gettext_noop`` works too); the sentence around it is translated as a whole."""
    if not check(user):
        raise NotAllowed(
            # Translators: %(action)s is an action phrase such as "write promises" or "read
            # complaints", translated separately in its infinitive / verbal-noun form.
            gettext("Your role may not %(action)s.") % {"action": gettext(str(what))}
        )


def can_read_insights(user) -> bool:
    """Survey measures and indicators: every staff member reads them (ISO 10004 8)."""
    return is_staff_member(user)


def can_read_surveys(user: User | AnonymousUser | None) -> bool:
    """Surveys, invitations and responses are staff data like complaints: every staff role reads
    them, auditors included (ISO 10004 7); only configuring roles change them (``can_configure``)."""
    return can_read_complaints(user)


def can_import_volumes(user) -> bool:
    """Business volumes (orders, customers per month) are configuration: managers and admins."""
    return is_staff_member(user) and user.role in CONFIGURING_ROLES


# Who reads through a selector: a signed-in user, or the anonymous one the checks above turn away.
Reader: TypeAlias = User | AnonymousUser


def can_share_queue_views(user) -> bool:
    """Sharing a saved queue view with a team is a manager's (or admin's) choice for the team."""
    return can_configure(user)


def can_change_saved_view(user, *, owner_id: int, team_id: int | None) -> bool:
    """Rename or delete a saved queue view: its owner; a view shared with a team also any manager
    or admin (the team's views outlive the manager who made them)."""
    if not can_read_complaints(user):
        return False
    return owner_id == user.pk or (team_id is not None and can_share_queue_views(user))


def can_export_personal_data(user) -> bool:
    """The complaint register with the complainants' names and contacts: managers and admins
    (every export of it is audited); every other staff role exports it without them."""
    return can_configure(user)


def can_manage_accounts(user) -> bool:
    """Staff accounts, their sign-in locks and API tokens: administrators only."""
    return is_staff_member(user) and user.role == Role.ADMIN


def can_read_internal_audits(user) -> bool:
    """The internal-audit programme, audits, findings and reports (ISO 10002 8.5): managers and
    admins (who plan and act on them) and auditors (who record them); not handlers, whose work is
    what is audited."""
    return is_staff_member(user) and user.role in {Role.ADMIN, Role.MANAGER, Role.AUDITOR}


def can_record_internal_audits(user) -> bool:
    """Recording an audit (checklist answers, findings, the report): the auditor role. Which
    audits a given auditor records — those they lead or co-audit — the services decide."""
    return is_staff_member(user) and user.role == Role.AUDITOR


def can_export_returns(user) -> bool:
    """Regulatory returns cover the whole organisation's complaints: managers, auditors and
    admins (handlers read their own cases, not the organisation's figures per complaint)."""
    return is_staff_member(user) and user.role in {Role.ADMIN, Role.MANAGER, Role.AUDITOR}
