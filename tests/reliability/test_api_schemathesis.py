"""Schemathesis over every operation of the OpenAPI document (src/plaint/api.py builds it), with
an admin's token and with a handler's: input made from the document itself, each answer checked
against it. Figures: server errors and schema violations (an undocumented status code or media
type, a body that does not match its schema), both 0.

Two kinds of input, both bounded and the same on every run:
- schemathesis' coverage cases (each parameter and field at its edges, of the wrong type, missing;
  unknown methods; a missing token): one case of each kind and place per operation, at most
  COVERAGE_CASES per operation, as the admin (a handler is refused most operations before the
  input is read);
- FUZZ_EXAMPLES random valid and invalid requests per operation, for each role.

The requests go to the WSGI application in this process (schemathesis' WSGI transport)."""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.generation.drivers import CoverageGenerator
from schemathesis.generation.feedback import NO_FEEDBACK
from schemathesis.generation.overrides import Override
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from plaint.api import api
from plaint.wsgi import application
from tests.api_client import ApiClient

# Each request commits on its own, as in production: inside one test transaction, the real WSGI
# handler's end-of-request connection check would close the connection (autocommit is off).
pytestmark = [pytest.mark.reliability, pytest.mark.django_db(transaction=True)]

COVERAGE_CASES = 12
FUZZ_EXAMPLES = 4
CONFORMANCE = [status_code_conformance, content_type_conformance, response_schema_conformance]


@functools.cache
def _schema():
    """The document Plaint serves, loaded once, when the suite runs (not at collection: the
    ordinary runs collect this file and leave it out)."""
    loaded = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1"))
    loaded.app = application
    return loaded


def _operations() -> list:
    return [result.ok() for result in _schema().get_all_operations()]


class Tally:
    def __init__(self, token: str) -> None:
        self.headers = {"Authorization": f"Bearer {token}"}
        self.sent: Counter[str] = Counter()
        self.errors: list[str] = []
        self.violations: list[str] = []

    def call(self, case) -> None:
        response = case.call(headers=self.headers)
        self.sent[case.operation.label] += 1
        self.errors.extend(_failed(case, response, [not_a_server_error]))
        self.violations.extend(_failed(case, response, CONFORMANCE))


def _failed(case, response, checks) -> list[str]:
    try:
        case.validate_response(response, checks=checks)
    except (AssertionError, BaseExceptionGroup) as exc:  # FailureGroup: the checks that failed
        return [f"{case.operation.label}: {str(exc)[:800]}"]
    return []


def _coverage_cases(operation) -> Iterator:
    """The first coverage case of each kind (description) and place (location), up to
    COVERAGE_CASES of them."""
    cases = CoverageGenerator(
        operation=operation,
        generation_modes=list(GenerationMode),
        generation_config=_schema().config.generation_for(operation=operation, phase="coverage"),
        auth_storage=None,
        override=Override(),
        feedback=NO_FEEDBACK,
    )
    seen: set[tuple[str, str]] = set()
    for case in cases:
        data = case._meta.phase.data if case._meta else None
        kind = (str(getattr(data, "description", "")), str(getattr(data, "location", "")))
        if kind not in seen:
            seen.add(kind)
            yield case
            if len(seen) == COVERAGE_CASES:
                return


def _fuzz(tally: Tally, operation) -> None:
    cases = st.one_of(
        operation.as_strategy(GenerationMode.POSITIVE),
        operation.as_strategy(GenerationMode.NEGATIVE),
    )

    @given(case=cases)
    @settings(
        max_examples=FUZZ_EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case) -> None:
        tally.call(case)

    run()


def _record(figure, role: str, tally: Tally) -> None:
    operations = len(_operations())
    assert len(tally.sent) == operations > 60, "every operation was called"
    requests = sum(tally.sent.values())
    figure(f"API as {role}: operations called", len(tally.sent), operations)
    figure(f"API as {role}: server errors ({requests} requests)", len(tally.errors), 0)
    figure(f"API as {role}: schema violations", len(tally.violations), 0)
    assert not tally.errors, "\n".join(tally.errors[:10])
    assert not tally.violations, "\n".join(tally.violations[:10])


def test_every_operation_as_an_admin_answers_within_its_schema(admin_user, figure):
    tally = Tally(ApiClient(admin_user).secret)
    for operation in _operations():
        for case in _coverage_cases(operation):
            tally.call(case)
        _fuzz(tally, operation)
    _record(figure, "admin", tally)


def test_every_operation_as_a_handler_answers_within_its_schema(handler, figure):
    tally = Tally(ApiClient(handler).secret)
    for operation in _operations():
        _fuzz(tally, operation)
    _record(figure, "handler", tally)
