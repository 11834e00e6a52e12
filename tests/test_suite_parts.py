"""Which tests the PostgreSQL part of ``scripts/test`` runs (``PLAINT_TESTS_DATABASE_ONLY``):
those that use the database, however they come by it. The rest ran in the SQLite part."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from tests.conftest import uses_database


@dataclass
class Collected:
    """What ``uses_database`` reads of a collected test."""

    function: object
    fixturenames: list[str] = field(default_factory=list)
    markers: dict[str, object] = field(default_factory=dict)

    def get_closest_marker(self, name: str):
        return self.markers.get(name)


def plain(settings):
    assert settings is not None


def by_name(request):
    request.getfixturevalue("handler")


def test_a_test_without_a_database_is_left_to_the_sqlite_part():
    assert not uses_database(Collected(plain, ["settings", "request"]))


@pytest.mark.parametrize(
    "fixture", ["db", "transactional_db", "live_server", "django_db_reset_sequences"]
)
def test_a_database_fixture_anywhere_among_its_fixtures_keeps_it(fixture):
    assert uses_database(Collected(plain, ["settings", fixture]))


def test_the_django_db_marker_keeps_it():
    assert uses_database(Collected(plain, ["settings"], {"django_db": pytest.mark.django_db}))


def test_a_test_that_asks_for_fixtures_by_name_keeps_it():
    """Its fixtures (personas, which need the database) are not known before it runs."""
    assert uses_database(Collected(by_name, ["request"]))


def test_a_test_whose_source_cannot_be_read_keeps_it():
    assert uses_database(Collected(len, ["request"]))
