"""Hostile input to the API: whatever the body, header or query, never a server error, always a
problem document, and nothing changed."""

from __future__ import annotations

from tracker.extensions import db

from .api_helpers import bearer, token_for

BODIES = [
    b"{",
    b"[]",
    b'"text"',
    b"null",
    b'{"title": {"nested": [1, 2]}}',
    b'{"title": "' + b"x" * 5000 + b'"}',
    b'{"title": "nul\\u0000byte"}',
    b'{"due_date": "31-02-2026"}',
    b'{"due_date": "99999-01-01"}',
    b'{"owner_id": 99999999999999999999999}',
    b'{"owner_id": -1, "plan_id": 1.5, "milestone_id": "\xc2\xb2"}',
    b'{"status": "<script>alert(1)</script>"}',
    b"\xff\xfe\x00 not utf-8",
]


def test_hostile_bodies_never_break_the_api(client, world):
    secret = token_for(world["users"]["projectleider"])
    a = world["a"]
    action = world["action"]
    item = a.items[0]
    targets = [
        ("PATCH", f"/api/v1/trajectories/{a.id}/actions/{action.id}"),
        ("PATCH", f"/api/v1/trajectories/{a.id}/items/{item.id}"),
        ("POST", f"/api/v1/trajectories/{a.id}/actions"),
    ]
    before = (action.title, action.version, item.answer, item.version)
    for method, url in targets:
        for body in BODIES:
            headers = bearer(secret, **{"If-Match": "*", "Content-Type": "application/json"})
            response = client.open(url, method=method, data=body, headers=headers)
            assert 400 <= response.status_code < 500, (url, body[:40], response.status_code)
            assert response.mimetype == "application/problem+json"
    db.session.refresh(action)
    db.session.refresh(item)
    assert (action.title, action.version, item.answer, item.version) == before


def test_hostile_queries_and_headers_never_break_the_api(client, world):
    secret = token_for(world["users"]["projectleider"])
    base = f"/api/v1/trajectories/{world['a'].id}"
    for query in (
        "limit=0",
        "limit=-1",
        "after=²",
        "after=99999999999",
        "status=%00",
        "layer=" + "x" * 3000,
        "owner=abc",
        "overdue=maybe",
        "phase=1&phase=2",
    ):
        response = client.get(f"{base}/actions?{query}", headers=bearer(secret))
        assert response.status_code in (200, 422), query
        response = client.get(f"{base}/items?{query}", headers=bearer(secret))
        assert response.status_code in (200, 422), query
    for value in ("", "*, ", '"v1", W/"v2"', "x" * 5000):
        response = client.patch(
            f"{base}/actions/{world['action'].id}", json={}, headers=bearer(secret, **{"If-Match": value})
        )
        assert response.status_code < 500
    assert (
        client.get(f"{base}/rounds/{world['round'].id}", headers=bearer(secret))
        .headers["ETag"]
        .startswith('W/"')
    )
