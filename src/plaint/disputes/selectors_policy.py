"""Reads of the dispute-resolution policy: the version in force and earlier published ones for
everyone, drafts for staff; and one version as a reader sees it in a language, falling back to
the organisation's language (the page says so) when it has no text in the one asked for."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

from plaint.accounts.access import Reader, can_read_complaints
from plaint.core.errors import NotAllowed, NotFound
from plaint.disputes.models import DisputePolicy, PolicyState

PUBLIC_STATES = (PolicyState.PUBLISHED, PolicyState.SUPERSEDED)


def dispute_policy_current() -> DisputePolicy | None:
    """The version in force, if one is published."""
    return DisputePolicy.objects.filter(state=PolicyState.PUBLISHED).first()


def dispute_policy_public_get(*, version: int) -> DisputePolicy:
    """A published version (in force or superseded); a draft is not found."""
    found = DisputePolicy.objects.filter(version=version, state__in=PUBLIC_STATES).first()
    if found is None:
        raise NotFound(_("No such policy version."))
    return found


def dispute_policy_public_list() -> list[DisputePolicy]:
    return list(DisputePolicy.objects.filter(state__in=PUBLIC_STATES).order_by("-version"))


def dispute_policy_versions(*, actor: Reader) -> list[DisputePolicy]:
    """Every version, newest first, drafts included (staff)."""
    if not can_read_complaints(actor):
        raise NotAllowed(_("Your role may not do this."))
    return list(DisputePolicy.objects.select_related("created_by", "published_by"))


def dispute_policy_get(*, actor: Reader, version: int) -> DisputePolicy:
    if not can_read_complaints(actor):
        raise NotAllowed(_("Your role may not do this."))
    found = (
        DisputePolicy.objects.select_related("created_by", "published_by")
        .filter(version=version)
        .first()
    )
    if found is None:
        raise NotFound(_("No such policy version."))
    return found


def dispute_policy_draft(*, actor: Reader) -> DisputePolicy:
    """The draft being written (staff); "not found" when there is none."""
    if not can_read_complaints(actor):
        raise NotAllowed(_("Your role may not do this."))
    found = DisputePolicy.objects.filter(state=PolicyState.DRAFT).first()
    if found is None:
        raise NotFound(_("No draft of the policy is being written."))
    return found


@dataclass(frozen=True)
class PolicyReading:
    """A version as shown in one language."""

    policy: DisputePolicy
    language: str  # the language shown
    asked: str  # the language asked for
    title: str
    scope: str
    body: str

    @property
    def rtl(self) -> bool:
        return self.language in settings.LANGUAGES_BIDI

    @property
    def fell_back(self) -> bool:
        return self.language != self.asked

    @property
    def language_name(self) -> str:
        return str(get_language_info(self.language)["name_local"])

    @property
    def asked_name(self) -> str:
        return str(get_language_info(self.asked)["name_local"])


def dispute_policy_reading(policy: DisputePolicy, asked: str) -> PolicyReading:
    """``policy`` in ``asked`` when it has a text in it; else in the organisation's language
    (``settings.LANGUAGE_CODE``, required to publish); else in the first language it has."""
    known = {code for code, _name in settings.LANGUAGES}
    asked = asked if asked in known else settings.LANGUAGE_CODE
    language = asked
    if not policy.scope.get(asked):
        own = settings.LANGUAGE_CODE
        language = own if policy.scope.get(own) or not policy.languages else policy.languages[0]
    return PolicyReading(
        policy=policy,
        language=language,
        asked=asked,
        title=policy.title.get(language, ""),
        scope=policy.scope.get(language, ""),
        body=policy.body.get(language, ""),
    )
