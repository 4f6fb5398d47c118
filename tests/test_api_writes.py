"""Writes through the API: the record's version in If-Match (stale: 409 with the current record),
validation messages per field in Dutch (422), the change audited under the token's user, and one
problem-details shape for every error."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from tracker.extensions import db
from tracker.models import ActionStatus, AuditEvent, ItemStatus

from .api_helpers import bearer, token_for


def _action_url(world) -> str:
    return f"/api/v1/trajectories/{world['a'].id}/actions/{world['action'].id}"


def test_a_stale_etag_gets_409_with_the_current_record_and_a_fresh_one_saves(client, world):
    secret = token_for(world["users"]["teamlid"])
    url = _action_url(world)
    first = client.get(url, headers=bearer(secret))
    etag = first.headers["ETag"]
    saved = client.patch(url, json={"status": "bezig"}, headers=bearer(secret, **{"If-Match": etag}))
    assert saved.status_code == 200 and saved.json["status"] == "bezig"
    assert saved.headers["ETag"] != etag

    stale = client.patch(url, json={"status": "gereed"}, headers=bearer(secret, **{"If-Match": etag}))
    assert stale.status_code == 409 and stale.mimetype == "application/problem+json"
    assert stale.json["current"]["status"] == "bezig"
    assert stale.headers["ETag"] == saved.headers["ETag"]
    db.session.refresh(world["action"])
    assert world["action"].status == ActionStatus.BEZIG

    missing = client.patch(url, json={"status": "gereed"}, headers=bearer(secret))
    assert missing.status_code == 428

    fresh = client.patch(
        url, json={"status": "gereed"}, headers=bearer(secret, **{"If-Match": stale.headers["ETag"]})
    )
    assert fresh.status_code == 200 and fresh.json["status"] == "gereed"


def test_only_the_status_changes_an_old_action_as_a_lists_row_does(client, world):
    """A status-only change does not check the other fields again: an action due before its
    plan's current cycle (which the whole form refuses) still gets its new status; a status that
    does not exist gets a Dutch message and changes nothing."""
    action = world["action"]
    action.due_date = action.plan.current_cycle.start_date - timedelta(days=30)
    db.session.commit()
    secret = token_for(world["users"]["teamlid"])
    url = _action_url(world)
    etag = client.get(url, headers=bearer(secret)).headers["ETag"]
    whole = client.patch(
        url,
        json={"status": "gereed", "title": action.title},
        headers=bearer(secret, **{"If-Match": etag}),
    )
    assert whole.status_code == 422 and "due_date" in whole.json["errors"]
    wrong = client.patch(url, json={"status": "klaar"}, headers=bearer(secret, **{"If-Match": etag}))
    assert wrong.status_code == 422 and "Kies een van" in wrong.json["errors"]["status"][0]
    saved = client.patch(url, json={"status": "gereed"}, headers=bearer(secret, **{"If-Match": etag}))
    assert saved.status_code == 200 and saved.json["status"] == "gereed"
    db.session.refresh(action)
    assert action.status == ActionStatus.GEREED


def test_the_change_is_audited_under_the_tokens_user(client, world):
    user = world["users"]["teamlid"]
    secret = token_for(user)
    url = _action_url(world)
    etag = client.get(url, headers=bearer(secret)).headers["ETag"]
    client.patch(url, json={"title": "Via de API"}, headers=bearer(secret, **{"If-Match": etag}))
    event = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.entity_id == world["action"].id).order_by(AuditEvent.id.desc())
    )
    assert event.user_id == user.id and event.actor == user.name
    assert event.changes["title"][1] == "Via de API"


def test_invalid_fields_get_a_dutch_message_each_and_change_nothing(client, world):
    secret = token_for(world["users"]["teamlid"])
    url = _action_url(world)
    etag = client.get(url, headers=bearer(secret)).headers["ETag"]
    response = client.patch(
        url,
        json={"status": "klaar", "title": "", "due_date": "morgen", "colour": "rood", "owner_id": [1]},
        headers=bearer(secret, **{"If-Match": etag}),
    )
    assert response.status_code == 422
    assert response.json["errors"] == {"colour": ["Onbekend veld."], "owner_id": ["Geef tekst of een getal."]}
    response = client.patch(
        url,
        json={"status": "klaar", "title": "", "due_date": "morgen"},
        headers=bearer(secret, **{"If-Match": etag}),
    )
    errors = response.json["errors"]
    assert response.status_code == 422 and response.json["title"] == "Ongeldige invoer"
    assert errors["title"] == ["Dit veld is verplicht."]
    assert errors["due_date"] == ["Vul een geldige datum in (dd-mm-jjjj)."]
    assert "status" in errors
    db.session.refresh(world["action"])
    assert world["action"].title != ""


def test_english_when_the_client_asks_for_it(client, world):
    secret = token_for(world["users"]["teamlid"])
    url = _action_url(world)
    etag = client.get(url, headers=bearer(secret)).headers["ETag"]
    headers = bearer(secret, **{"If-Match": etag, "Accept-Language": "en"})
    response = client.patch(url, json={"title": ""}, headers=headers)
    assert response.json["errors"]["title"] == ["This field is required."]


def test_a_checklist_item_is_answered_and_assigned(client, world):
    secret = token_for(world["users"]["teamlid"])
    a = world["a"]
    item = a.items[0]
    owner = next(m for m in a.memberships if m.user_id == world["users"]["teamlid"].id)
    url = f"/api/v1/trajectories/{a.id}/items/{item.id}"
    etag = client.get(url, headers=bearer(secret)).headers["ETag"]
    change = {"status": "afgerond", "owner_id": owner.id, "due_date": "2030-01-31", "answer": "Geregeld"}
    response = client.patch(url, json=change, headers=bearer(secret, **{"If-Match": etag}))
    assert response.status_code == 200, response.json
    db.session.refresh(item)
    assert (item.status, item.owner_id, item.answer) == (ItemStatus.AFGEROND, owner.id, "Geregeld")
    stranger = world["b"].memberships[0].id  # a member of another trajectory is no choice
    response = client.patch(
        url, json={"owner_id": stranger}, headers=bearer(secret, **{"If-Match": response.headers["ETag"]})
    )
    assert response.status_code == 422 and "owner_id" in response.json["errors"]


def test_a_new_action_lands_in_the_plans_current_cycle(client, world):
    secret = token_for(world["users"]["teamlid"])
    a = world["a"]
    owner = a.memberships[0]
    body = {"plan_id": world["plan"].id, "title": "Nieuw via API", "owner_id": owner.id}
    response = client.post(f"/api/v1/trajectories/{a.id}/actions", json=body, headers=bearer(secret))
    assert response.status_code == 201, response.json
    assert response.json["cycle_id"] == world["plan"].current_cycle.id
    assert client.get(response.headers["Location"], headers=bearer(secret)).json["title"] == "Nieuw via API"


def test_errors_are_problem_details(client, world):
    secret = token_for(world["users"]["teamlid"])
    a = world["a"]
    cases = [
        ("GET", "/api/v1/nergens", None, 404),
        ("DELETE", f"/api/v1/trajectories/{a.id}/actions/{world['action'].id}", None, 405),
        ("GET", f"/api/v1/trajectories/{a.id}/actions/999999", None, 404),
        ("GET", f"/api/v1/trajectories/{a.id}/actions?limit=1000&status=x", None, 422),
        ("PATCH", _action_url(world), "not json", 415),
    ]
    for method, url, data, status in cases:
        response = client.open(url, method=method, data=data, headers=bearer(secret, **{"If-Match": "*"}))
        assert response.status_code == status, url
        assert response.mimetype == "application/problem+json"
        assert response.json["status"] == status and response.json["title"] and response.json["detail"]


def test_requests_are_throttled_per_token(app, world):
    app.config["API_RATE_LIMIT"] = "3 per minute"
    client = app.test_client()
    first, second = token_for(world["users"]["teamlid"]), token_for(world["users"]["teamlid"])
    codes = [client.get("/api/v1/trajectories", headers=bearer(first)).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert client.get("/api/v1/trajectories", headers=bearer(second)).status_code == 200
