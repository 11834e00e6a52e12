"""Who is acting: a staff user, the complainant holding a tracking token, or the system itself."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Actor:
    kind: str  # "staff", "complainant", "system"
    user: Any = None
    label: str = ""

    @classmethod
    def staff(cls, user) -> Actor:
        return cls("staff", user, user.get_username())

    @classmethod
    def complainant(cls) -> Actor:
        return cls("complainant", None, "complainant")

    @classmethod
    def system(cls, label: str = "system") -> Actor:
        return cls("system", None, label)

    @property
    def user_id(self) -> int | None:
        return getattr(self.user, "pk", None)
