"""Personal access tokens: made on the account page and shown once, stored as a hash only,
refused when expired, revoked or read-only for a write; the session cookie is never enough."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from tracker.extensions import db
from tracker.models import ApiToken, TokenScope, utcnow
from tracker.tokens import hash_token

from .api_helpers import bearer, token_for


def _make_on_account_page(client, **data) -> str:
    response = client.post("/account/api-sleutels/nieuw", data=data)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    start = body.index('id="token-secret">') + len('id="token-secret">')
    return body[start : body.index("<", start)]


def test_a_token_is_made_shown_once_stored_as_hash_and_revoked(client, login, world):
    user = world["users"]["teamlid"]
    login(user)
    secret = _make_on_account_page(client, name="Dashboard GGD", scope="read")
    assert secret.startswith("bst_") and len(secret) > 40
    stored = db.session.scalar(sa.select(ApiToken).where(ApiToken.user_id == user.id))
    assert stored.token_hash == hash_token(secret) and secret not in stored.token_hash
    listing = client.get("/account/api-sleutels").get_data(as_text=True)
    assert "Dashboard GGD" in listing and secret not in listing  # shown once, never again

    api = client.application.test_client()  # no session: the token alone
    assert api.get("/api/v1/trajectories", headers=bearer(secret)).status_code == 200
    db.session.refresh(stored)
    assert stored.last_used_at is not None

    response = client.post("/account/api-sleutels/intrekken", data={"token": stored.id})
    assert response.status_code == 302
    refused = api.get("/api/v1/trajectories", headers=bearer(secret))
    assert refused.status_code == 401
    assert refused.mimetype == "application/problem+json"
    assert refused.headers["WWW-Authenticate"].startswith("Bearer")


def test_another_users_token_cannot_be_revoked(client, login, world):
    secret = token_for(world["users"]["projectleider"])
    other = db.session.scalar(sa.select(ApiToken))
    login(world["users"]["teamlid"])
    client.post("/account/api-sleutels/intrekken", data={"token": other.id})
    db.session.refresh(other)
    assert other.revoked_at is None
    assert (
        client.application.test_client().get("/api/v1/trajectories", headers=bearer(secret)).status_code
        == 200
    )


def test_a_past_expiry_date_is_refused_with_a_dutch_message(client, login, world):
    login(world["users"]["teamlid"])
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    response = client.post(
        "/account/api-sleutels/nieuw", data={"name": "x", "scope": "read", "expires_on": yesterday}
    )
    assert "Kies vandaag of een dag in de toekomst." in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(ApiToken.id))) == 0


def test_an_expired_token_is_refused(client, world):
    secret = token_for(world["users"]["teamlid"], expires_on=date.today())
    token = db.session.scalar(sa.select(ApiToken))
    token.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert client.get("/api/v1/trajectories", headers=bearer(secret)).status_code == 401


def test_a_read_only_token_may_not_write(client, world):
    secret = token_for(world["users"]["projectleider"], TokenScope.READ)
    action = world["action"]
    url = f"/api/v1/trajectories/{world['a'].id}/actions/{action.id}"
    etag = client.get(url, headers=bearer(secret)).headers["ETag"]
    response = client.patch(url, json={"status": "bezig"}, headers=bearer(secret, **{"If-Match": etag}))
    assert response.status_code == 403
    assert response.json["status"] == 403 and "alleen lezen" in response.json["detail"]


def test_the_session_cookie_is_not_accepted(client, login, world):
    login(world["users"]["projectleider"])
    url = f"/api/v1/trajectories/{world['a'].id}/actions/{world['action'].id}"
    refused = client.get(url)
    assert refused.status_code == 401 and "Set-Cookie" not in refused.headers
    assert "no-store" not in refused.headers.get("Cache-Control", "")  # not even seen as signed in
    assert client.patch(url, json={"status": "bezig"}, headers={"If-Match": '"v1"'}).status_code == 401
    db.session.refresh(world["action"])
    assert world["action"].status.value == "gepland"


def test_garbage_tokens_are_refused(client, world):
    for header in ("Bearer", "Bearer bst_", "Basic abc", "Bearer " + "bst_" + "x" * 500, "bearer bst_\x00"):
        response = client.get("/api/v1/trajectories", headers={"Authorization": header})
        assert response.status_code == 401
