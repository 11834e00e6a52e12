"""Reads of the complaints-handling policy: the version in force and earlier published ones for
everyone, drafts for staff; and one version as a reader sees it in a language, falling back to
the organisation's language (said on the page) when it has no text in the one asked for."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.safestring import SafeString
from django.utils.translation import get_language_info, override
from django.utils.translation import gettext as _

from plaint.accounts.access import Reader, can_read_complaints
from plaint.core.errors import NotAllowed, NotFound
from plaint.improvement.models_policy import PolicyRole, PolicyState, PolicyVersion
from plaint.improvement.policy_text import policy_html

PUBLIC_STATES = (PolicyState.PUBLISHED, PolicyState.SUPERSEDED)


def policy_current() -> PolicyVersion | None:
    """The version in force, if one is published."""
    return PolicyVersion.objects.filter(state=PolicyState.PUBLISHED).first()


def policy_public_get(*, version: int) -> PolicyVersion:
    """A published version (in force or superseded); a draft is not found."""
    found = PolicyVersion.objects.filter(version=version, state__in=PUBLIC_STATES).first()
    if found is None:
        raise NotFound(_("No such policy version."))
    return found


def policy_public_list() -> list[PolicyVersion]:
    return list(PolicyVersion.objects.filter(state__in=PUBLIC_STATES).order_by("-version"))


def _require_staff(actor: Reader) -> None:
    if not can_read_complaints(actor):
        raise NotAllowed(_("Your role may not do this."))


def policy_versions(*, actor: Reader) -> list[PolicyVersion]:
    """Every version, newest first, drafts included (staff)."""
    _require_staff(actor)
    return list(PolicyVersion.objects.select_related("created_by", "published_by"))


def policy_get(*, actor: Reader, version: int) -> PolicyVersion:
    _require_staff(actor)
    found = (
        PolicyVersion.objects.select_related("created_by", "published_by")
        .filter(version=version)
        .first()
    )
    if found is None:
        raise NotFound(_("No such policy version."))
    return found


@dataclass(frozen=True)
class Responsibility:
    role: str
    label: str
    duties: list[str]


@dataclass(frozen=True)
class PolicyReading:
    """A version as shown in one language."""

    policy: PolicyVersion
    language: str  # the language shown
    asked: str  # the language asked for
    rtl: bool
    title: str
    html: SafeString
    responsibilities: list[Responsibility]

    @property
    def fell_back(self) -> bool:
        return self.language != self.asked

    @property
    def language_name(self) -> str:
        return str(get_language_info(self.language)["name_local"])

    @property
    def asked_name(self) -> str:
        return str(get_language_info(self.asked)["name_local"])


def own_language() -> str:
    """The organisation's language: the site's default (``settings.LANGUAGE_CODE``), the one a
    visitor without a preference reads. A version is published only when complete in it, so
    every reader can fall back to it."""
    return settings.LANGUAGE_CODE


def reading_language(policy: PolicyVersion, asked: str) -> str:
    """``asked`` when the version has a text in it; else the organisation's language; else the
    first language it has."""
    if policy.body.get(asked):
        return asked
    own = own_language()
    if policy.body.get(own):
        return own
    return policy.languages[0] if policy.languages else own


def policy_reading(policy: PolicyVersion, asked: str) -> PolicyReading:
    known = {code for code, _name in settings.LANGUAGES}
    asked = asked if asked in known else settings.LANGUAGE_CODE
    language = reading_language(policy, asked)
    with override(language):  # the roles named in the language of the text beside them
        duties = [
            Responsibility(
                role=role.value,
                label=str(role.label),
                duties=list(policy.responsibilities.get(role.value, {}).get(language, [])),
            )
            for role in PolicyRole
        ]
    return PolicyReading(
        policy=policy,
        language=language,
        asked=asked,
        rtl=language in settings.LANGUAGES_BIDI,
        title=policy.title.get(language, ""),
        html=policy_html(policy.body.get(language, "")),
        responsibilities=[d for d in duties if d.duties],
    )


# The policy's role a staff role answers to (admins have no duties of their own beyond everyone's).
POLICY_ROLE_OF = {
    "manager": PolicyRole.MANAGER,
    "handler": PolicyRole.HANDLER,
    "auditor": PolicyRole.AUDITOR,
}


def duties_of(reading: PolicyReading, staff_role: str) -> list[Responsibility]:
    """The duties the version in force gives a staff role, and those of every member of staff."""
    wanted = {PolicyRole.ALL_STAFF.value}
    if staff_role in POLICY_ROLE_OF:
        wanted.add(POLICY_ROLE_OF[staff_role].value)
    return [r for r in reading.responsibilities if r.role in wanted]
