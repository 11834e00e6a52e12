"""Who sees which case: the one rule, applied by every read of complaints (lists, a case, search,
exports, attachments, counts, bulk actions) and by the choice of whom to notify.

- With the organisation's *team visibility* off (the default), every staff member reads every
  case; with it on, a handler reads the cases of their own team, the cases with no team yet (the
  intake every handler may pick up and route) and the cases assigned to them; managers, auditors
  and admins read all.
- A case in a *restricted* category (health, staff conduct) is read by the category's named
  readers and by nobody else, whatever their role or team: not by managers or admins unless they
  are named (they name readers on the categories page; each change is audited).

The rule is a condition in SQL (``visible_to``): the organisation's setting and the restricted
categories are read inside the same statement, so a page costs no statement more for it and a
list's statement count stays what it was. A case outside the rule is "not found", never
"forbidden", so its existence is not told."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Exists, Q, Subquery

from plaint.accounts.access import Reader, can_read_complaints
from plaint.accounts.models import Role
from plaint.complaints.models import Category, Complaint, ComplaintQuerySet
from plaint.core.models import Organisation
from plaint.core.selectors import config_cached, organisation_get

# Roles that read every case of every team (restricted categories aside).
ORGANISATION_WIDE = {Role.ADMIN, Role.MANAGER, Role.AUDITOR}


@dataclass(frozen=True)
class Known:
    """What the rule depends on, read once and kept in the configuration cache
    (``visibility_known``): the setting, and each restricted category's named readers."""

    team_visibility: bool = False
    readers: dict[int, frozenset[int]] = field(default_factory=dict)


def _load() -> Known:
    readers: dict[int, set[int]] = {}
    for category_id, user_id in Category.objects.filter(restricted=True).values_list(
        "pk", "readers"
    ):
        readers.setdefault(category_id, set()).update([user_id] if user_id else [])
    return Known(
        team_visibility=organisation_get().team_visibility,
        readers={pk: frozenset(ids) for pk, ids in readers.items()},
    )


def visibility_known(*, token: str) -> Known:
    """The rule's configuration as of the configuration ``token`` (``core.views
    .request_config_token``): from the cache, no statement once read. Changing the setting or a
    category's readers writes a new token."""
    return config_cached("visibility", token=token, load=_load)


def _team_rule(user: Reader, team_visibility: bool | None) -> Q:
    """Team visibility for ``user``: everything when it is off or for an organisation-wide role;
    else their team's cases, cases without a team and cases assigned to them (``None``: the
    setting is read in the statement)."""
    if getattr(user, "role", None) in ORGANISATION_WIDE or team_visibility is False:
        return Q()
    rule = Q(team__isnull=True) | Q(assignee_id=user.pk)
    if team_visibility is None:
        rule |= Q(~Exists(Organisation.objects.filter(team_visibility=True)))
    team_id = getattr(user, "team_id", None)
    if team_id is not None:
        rule |= Q(team_id=team_id)
    return rule


def visible_to(user: Reader, *, known: Known | None = None) -> Q:
    """The cases ``user`` may read, as a condition on ``Complaint`` (no statement of its own).

    ``known``: the rule's configuration when the caller has it from the cache (the queue: a list
    with nothing restricted and the setting off gets no condition at all, so its plans and its
    cost stay what they were); ``None``: the statement reads the setting and the restricted
    categories itself (subqueries)."""
    if known is None:
        restricted = Category.objects.filter(restricted=True).order_by()
        named = restricted.filter(readers=user.pk).values("pk")
        hidden = ~Q(category_id__in=Subquery(restricted.values("pk")))
        return Q(category_id__in=Subquery(named)) | (hidden & _team_rule(user, None))
    rule = _team_rule(user, known.team_visibility)
    mine = sorted(pk for pk, ids in known.readers.items() if user.pk in ids)
    others = sorted(pk for pk, ids in known.readers.items() if user.pk not in ids)
    if others:
        rule = ~Q(category_id__in=others) & rule
    if mine and rule:  # an empty rule is every case, the named categories' ones included
        rule = Q(category_id__in=mine) | rule
    return rule


def visible_complaints(
    user: Reader,
    queryset: ComplaintQuerySet | None = None,
    *,
    known: Known | None = None,
) -> ComplaintQuerySet:
    """``queryset`` (every complaint by default) narrowed to the cases ``user`` may read; none
    for someone who reads no complaints at all. ``known`` as in ``visible_to``."""
    qs = Complaint.objects.all() if queryset is None else queryset
    if not can_read_complaints(user):
        return qs.none()
    rule = visible_to(user, known=known)
    return qs.filter(rule) if rule else qs


def can_read_case(user: Reader, complaint: Complaint) -> bool:
    """Whether ``user`` may read this case (one statement)."""
    return visible_complaints(user).filter(pk=complaint.pk).exists()


def restricted_from(user: Reader, complaint: Complaint) -> bool:
    """Whether the case is in a restricted category ``user`` is not a named reader of (one
    statement, none for a case without a category): such a case cannot be given to them."""
    if complaint.category_id is None:
        return False
    category = Category.objects.filter(pk=complaint.category_id, restricted=True)
    return category.exclude(readers=user.pk).exists()


def readable_case_ids(user: Reader, case_ids: Iterable[int]) -> set[int]:
    """Which of ``case_ids`` ``user`` may read (one statement)."""
    ids = set(case_ids)
    if not ids:
        return set()
    return set(visible_complaints(user).filter(pk__in=ids).values_list("pk", flat=True))


def visibility_narrows() -> bool:
    """Whether the rule narrows anything at all: team visibility on, or a restricted category.
    One statement; when False, everyone who reads complaints reads every case."""
    on = Organisation.objects.filter(team_visibility=True).values("pk")
    restricted = Category.objects.filter(restricted=True).values("pk")
    return on.union(restricted).exists()
