"""The internal-audit checklists shipped as data: one TOML file per standard (ISO 10002, 10003,
10001), clauses with their audit questions in English; translated when shown (``load``)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.translation import gettext

FOLDER = Path(__file__).parent
STANDARDS = ("iso10002", "iso10003", "iso10001")


@dataclass(frozen=True)
class Question:
    code: str  # "iso10002/7/2": standard, clause, position in the clause (stable ids)
    clause: str
    text: str  # English, the msgid


@dataclass(frozen=True)
class Clause:
    number: str
    title: str  # English, the msgid
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Checklist:
    standard: str
    title: str
    clauses: tuple[Clause, ...]

    def questions(self, clauses: frozenset[str] | None = None) -> list[Question]:
        """Every question, or those of ``clauses`` (clause numbers) only."""
        return [
            q for c in self.clauses if clauses is None or c.number in clauses for q in c.questions
        ]

    def clause_numbers(self) -> list[str]:
        return [c.number for c in self.clauses]


@cache
def load(standard: str) -> Checklist:
    """One standard's checklist as shipped (English). Raises KeyError for an unknown standard."""
    if standard not in STANDARDS:
        raise KeyError(standard)
    data = tomllib.loads((FOLDER / f"{standard}.toml").read_text(encoding="utf-8"))
    clauses = tuple(
        Clause(
            number=str(c["number"]),
            title=c["title"],
            questions=tuple(
                Question(code=f"{standard}/{c['number']}/{i}", clause=str(c["number"]), text=q)
                for i, q in enumerate(c["questions"], start=1)
            ),
        )
        for c in data["clause"]
    )
    return Checklist(standard=data["standard"], title=data["title"], clauses=clauses)


def every_question() -> dict[str, Question]:
    return {q.code: q for s in STANDARDS for q in load(s).questions()}


def translated(text: str) -> str:
    """A checklist text (a title, a clause heading, a question) in the active language."""
    return gettext(text)
