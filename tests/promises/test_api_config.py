"""The API for regulatory pauses and regulatory profiles: list, create, delete, select, deselect;
the permission matrix (managers and admins write, staff read, no token 401); problem+json for bad
input; a constant number of queries on the lists."""

from __future__ import annotations

import datetime as dt

import pytest
from django_tasks_db.models import DBTaskResult

from plaint.core.actors import Actor
from plaint.promises import services
from plaint.promises.models import Code, ProfileSelection, RegulatoryPause
from plaint.promises.profiles import PROFILES
from plaint.promises.tasks import recompute_promise_checks
from tests.api_client import ApiClient, assert_problem
from tests.factories import CategoryFactory

PAUSE = {
    "category": "",
    "starts_at": "2026-03-02T00:00:00+02:00",
    "ends_at": "2026-03-09T00:00:00+02:00",
    "reason": "The regulator stopped the clock (direction 2026/4)",
}


def make_pause(manager, category_code: str = ""):
    return services.regulatory_pause_create(
        actor=Actor.staff(manager),
        starts_at=dt.datetime(2026, 3, 1, 22, tzinfo=dt.UTC),
        ends_at=dt.datetime(2026, 3, 8, 22, tzinfo=dt.UTC),
        reason="Regulator",
        category_code=category_code,
    )


def test_manager_records_lists_and_removes_a_pause(manager):
    CategoryFactory(code="mortgages")
    api = ApiClient(manager)
    created = api.post("/regulatory-pauses", {**PAUSE, "category": "mortgages"})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["category"] == "mortgages" and body["created_by"] == manager.username
    assert dt.datetime.fromisoformat(body["starts_at"]) == dt.datetime(
        2026, 3, 1, 22, tzinfo=dt.UTC
    )
    # applied in the background, as from the page
    assert DBTaskResult.objects.filter(task_path=recompute_promise_checks.module_path).count() == 1
    listed = api.get("/regulatory-pauses").json()
    assert [p["id"] for p in listed] == [body["id"]]
    removed = api.request("DELETE", f"/regulatory-pauses/{body['id']}")
    assert removed.status_code == 204 and not removed.content
    assert not RegulatoryPause.objects.exists()
    assert DBTaskResult.objects.filter(task_path=recompute_promise_checks.module_path).count() == 2
    assert_problem(api.request("DELETE", f"/regulatory-pauses/{body['id']}"), 404, "not_found")


def test_bad_pauses_are_problems(manager):
    api = ApiClient(manager)
    backwards = {**PAUSE, "ends_at": "2026-03-01T00:00:00+02:00"}
    problem = assert_problem(api.post("/regulatory-pauses", backwards), 422, "validation_failed")
    assert "ends_at" in problem["errors"]
    problem = assert_problem(
        api.post("/regulatory-pauses", {**PAUSE, "category": "nope"}), 422, "validation_failed"
    )
    assert "category" in problem["errors"]
    naive = {**PAUSE, "starts_at": "2026-03-02T00:00:00"}
    assert_problem(api.post("/regulatory-pauses", naive), 422, "validation_failed")
    assert_problem(
        api.post("/regulatory-pauses", {**PAUSE, "reason": "  "}), 422, "validation_failed"
    )
    assert_problem(api.post("/regulatory-pauses", {**PAUSE, "extra": 1}), 422, "validation_failed")
    assert not RegulatoryPause.objects.exists()


def test_profiles_are_listed_with_their_sources(handler):
    response = ApiClient(handler).get("/regulatory-profiles")
    assert response.status_code == 200
    rows = {p["key"]: p for p in response.json()}
    assert set(rows) == set(PROFILES)
    fca = rows["uk-fca-disp"]
    assert fca["source_url"].startswith("https://www.handbook.fca.org.uk/")
    assert fca["country"] == "GB" and fca["effective_from"] == "2019-04-01"
    assert rows["iso-10002-default"]["limits_from_organisation"] is True
    assert {p["clock"] for p in fca["promises"]} >= {"received_to_decision"}


def test_select_replace_and_deselect_a_profile_per_product_line(manager):
    api = ApiClient(manager)
    org = api.post("/regulatory-profile-selections", {"profile": "uk-fca-disp"})
    assert org.status_code == 201, org.content
    assert org.json()["product_line"] == "" and org.json()["active"] is True
    payments = api.post(
        "/regulatory-profile-selections",
        {"profile": "uk-fca-disp-payment-services", "product_line": "Payment services"},
    )
    assert payments.status_code == 201, payments.content
    code = Code.objects.get(pk=payments.json()["code_id"])
    assert code.state == "published" and code.origin == "adopted"
    assert code.promises.first().products == ["Payment services"]
    # the same scope again replaces the previous selection
    again = api.post(
        "/regulatory-profile-selections",
        {"profile": "uk-fca-disp-payment-services", "product_line": "Payment services"},
    )
    assert again.status_code == 201
    listed = {s["id"]: s["active"] for s in api.get("/regulatory-profile-selections").json()}
    assert listed == {
        org.json()["id"]: True,
        payments.json()["id"]: False,
        again.json()["id"]: True,
    }
    gone = api.request("DELETE", f"/regulatory-profile-selections/{org.json()['id']}")
    assert gone.status_code == 200 and gone.json()["active"] is False
    assert Code.objects.get(pk=org.json()["code_id"]).state == "retired"
    assert_problem(
        api.request("DELETE", f"/regulatory-profile-selections/{org.json()['id']}"),
        404,
        "not_found",
    )
    problem = assert_problem(
        api.post("/regulatory-profile-selections", {"profile": "mars-authority"}),
        422,
        "validation_failed",
    )
    assert "profile" in problem["errors"]
    assert_problem(
        api.post("/regulatory-profile-selections", {"profile": "us-cfpb", "category": "nope"}),
        422,
        "validation_failed",
    )


PRINCIPALS = ["admin", "manager", "handler", "auditor", "no_token"]
# (method, path, body, status for managers/admins, for handlers and auditors)
MATRIX = {
    "pauses": ("GET", "/regulatory-pauses", None, 200, 200),
    "pause_create": ("POST", "/regulatory-pauses", PAUSE, 201, 403),
    "pause_delete": ("DELETE", "/regulatory-pauses/{pause}", None, 204, 403),
    "profiles": ("GET", "/regulatory-profiles", None, 200, 200),
    "selections": ("GET", "/regulatory-profile-selections", None, 200, 200),
    "select": ("POST", "/regulatory-profile-selections", {"profile": "us-cfpb"}, 201, 403),
    "deselect": ("DELETE", "/regulatory-profile-selections/{selection}", None, 200, 403),
}


@pytest.mark.parametrize("endpoint", list(MATRIX))
@pytest.mark.parametrize("principal", PRINCIPALS)
def test_permission_matrix(personas, endpoint, principal):
    boss = Actor.staff(personas["manager"])
    pause = make_pause(personas["manager"])
    selection = services.profile_select(actor=boss, profile_key="au-asic-rg271")
    method, path, body, writer, reader = MATRIX[endpoint]
    path = path.format(pause=pause.pk, selection=selection.pk)
    api = ApiClient(personas[principal] if principal != "no_token" else None)

    def state():
        return (
            list(RegulatoryPause.objects.values_list("pk", flat=True)),
            list(ProfileSelection.objects.values_list("pk", "active")),
        )

    before = state()
    if method == "GET":
        response = api.get(path)
    elif method == "POST":
        response = api.post(path, body)
    else:
        response = api.request(method, path)
    if principal == "no_token":
        assert_problem(response, 401, "unauthenticated")
        assert state() == before
        return
    expected = writer if principal in {"admin", "manager"} else reader
    if expected == 403:
        assert_problem(response, 403, "not_allowed")
    else:
        assert response.status_code == expected, response.content
    assert (state() != before) == (method != "GET" and expected != 403)


def test_lists_run_a_constant_number_of_queries(manager, handler, django_assert_num_queries):
    api = ApiClient(handler)
    category = CategoryFactory(code="mortgages")
    make_pause(manager)
    services.profile_select(actor=Actor.staff(manager), profile_key="us-cfpb")
    api.get("/regulatory-pauses")  # the token is looked up and cached
    counts = {}
    for path in ("/regulatory-pauses", "/regulatory-profile-selections", "/regulatory-profiles"):
        with django_assert_num_queries(1 if path != "/regulatory-profiles" else 0) as ctx:
            api.get(path)
        counts[path] = len(ctx.captured_queries)
    for i in range(5):
        make_pause(manager, category.code if i % 2 else "")
        services.profile_select(
            actor=Actor.staff(manager), profile_key="us-cfpb", product_line=f"line {i}"
        )
    for path, count in counts.items():
        with django_assert_num_queries(count):
            response = api.get(path)
        assert response.status_code == 200
    assert len(api.get("/regulatory-pauses").json()) == 6
    assert len(api.get("/regulatory-profile-selections").json()) == 6


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("starts_at", "0001-01-01T00:00:00+01:00"),
        ("ends_at", "9999-12-31T23:00:00-01:00"),
        ("starts_at", 5),
    ],
)
def test_a_pause_out_of_the_date_range_is_a_problem_on_its_field(manager, field, value):
    problem = assert_problem(
        ApiClient(manager).post("/regulatory-pauses", {**PAUSE, field: value}),
        422,
        "validation_failed",
    )
    assert list(problem["errors"]) == [field]
    assert not RegulatoryPause.objects.exists()
