"""The API's access matrix, driven by the URL map: every API route and method, tried with a token
of an outsider, a meekijker, a teamlid and a project lead, must answer as the view's declared rule
(the web app's rules from tracker/access.py) says; and every route is in the OpenAPI description."""

from __future__ import annotations

from tracker import access

from .api_helpers import bearer, token_for
from .fixtures_urls import fill_rule

ROLES = ["outsider", "meekijker", "teamlid", "projectleider"]
LEVEL = {"outsider": 0, "meekijker": 1, "teamlid": 2, "projectleider": 3}
CHECK_LEVEL = {access.can_view: 1, access.can_edit: 2, access.can_manage: 3}


def api_routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api.") and getattr(
            app.view_functions[rule.endpoint], "api_operation", None
        ):
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield rule, method


def needed(app, endpoint: str, method: str) -> int:
    declaration = getattr(app.view_functions[endpoint], "access_rule", None)
    if declaration == access.SIGNED_IN:
        return 0
    assert isinstance(declaration, access.AccessRule), endpoint
    return CHECK_LEVEL[declaration.read if method == "GET" else declaration.write]


def test_api_access_matrix(app, world, url_args):
    """One world for every route (cheap): an empty change changes nothing, so the order is free."""
    client = app.test_client()
    headers = {role: bearer(token_for(world["users"][role]), **{"If-Match": "*"}) for role in ROLES}
    outcomes, wanted = {}, {}
    for rule, method in api_routes(app):
        url = fill_rule(rule.rule, url_args)
        for role in ROLES:
            # An empty change: allowed means 200 (or 422 for a new action without its fields).
            response = client.open(url, method=method, json={}, headers=headers[role])
            assert response.status_code in (200, 403, 422), (method, url, role, response.status_code)
            outcomes[method, rule.rule, role] = "forbidden" if response.status_code == 403 else "ok"
            allowed = LEVEL[role] >= needed(app, rule.endpoint, method)
            wanted[method, rule.rule, role] = "ok" if allowed else "forbidden"
    assert len(outcomes) >= 4 * 19
    assert outcomes == wanted


def test_an_outsider_sees_nothing_of_the_trajectory(client, world):
    secret = token_for(world["users"]["outsider"])
    listing = client.get("/api/v1/trajectories", headers=bearer(secret)).json
    assert [t["name"] for t in listing["items"]] == ["Traject B"]
    a = world["a"]
    assert client.get(f"/api/v1/trajectories/{a.id}/actions", headers=bearer(secret)).status_code == 403
    # An id of trajectory A through the outsider's own trajectory B is simply not found.
    b = world["b"]
    response = client.get(f"/api/v1/trajectories/{b.id}/actions/{world['action'].id}", headers=bearer(secret))
    assert response.status_code == 404 and response.mimetype == "application/problem+json"


def test_every_api_route_is_in_the_description(app, client):
    description = client.get("/api/openapi.json").json
    assert description["openapi"].startswith("3.1")
    for rule, method in api_routes(app):
        path = rule.rule.replace("<id:", "{").replace(">", "}")
        assert method.lower() in description["paths"][path], (method, path)
    every = [r for r in app.url_map.iter_rules() if r.rule.startswith("/api/v1")]
    assert len(every) == len({r.endpoint for r, _ in api_routes(app)})


def test_the_documentation_page_lists_every_operation(client):
    description = client.get("/api/openapi.json").json
    page = client.get("/api/docs").get_data(as_text=True)
    for path, operations in description["paths"].items():
        for method in operations:
            assert f"{method.upper()} {path}" in page
