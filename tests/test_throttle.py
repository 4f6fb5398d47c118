"""Login throttling per account and per address, shared across processes through Redis."""

from __future__ import annotations

import json
import secrets
import subprocess
import sys
import textwrap
from pathlib import Path

from .conftest import PASSWORD, skip_or_fail

REDIS_URL = "redis://127.0.0.1:6379/0"


def _attempt(client, email, password):
    return client.post("/inloggen", data={"email": email, "password": password})


def test_sixth_attempt_after_five_failures_is_refused_even_with_the_right_password(client, make_user):
    user = make_user()
    for _ in range(5):
        assert _attempt(client, user.email, "fout fout fout").status_code == 200
    refused = _attempt(client, user.email, PASSWORD)
    assert refused.status_code == 429
    assert "Te veel mislukte inlogpogingen" in refused.get_data(as_text=True)


def test_other_accounts_are_unaffected(client, make_user):
    victim, other = make_user(), make_user()
    for _ in range(6):
        _attempt(client, victim.email, "fout fout fout")
    assert _attempt(client, other.email, PASSWORD).status_code == 302


def test_many_accounts_from_one_address_hit_the_address_limit(client, make_user):
    user = make_user()
    for n in range(30):
        _attempt(client, f"gok{n}@example.org", "fout fout fout")
    assert _attempt(client, user.email, PASSWORD).status_code == 429


def test_failed_logins_log_no_password_and_no_email(client, make_user, caplog):
    user = make_user()
    with caplog.at_level("INFO", logger="tracker"):
        _attempt(client, user.email, "geheim-wachtwoord-123")
        _attempt(client, user.email, PASSWORD)
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "login_failure" in text and "login_success" in text
    assert "geheim-wachtwoord-123" not in text and PASSWORD not in text and user.email not in text


WORKER = textwrap.dedent(
    """
    import json, sys
    from config import TestConfig
    from tracker import create_app

    db_url, prefix, email, password, attempts = sys.argv[1:6]
    cfg = type("W", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": db_url,
        "RATELIMIT_STORAGE_URI": "%s", "RATELIMIT_KEY_PREFIX": prefix})
    client = create_app(cfg).test_client()
    codes = [client.post("/inloggen", data={"email": email, "password": password}).status_code
             for _ in range(int(attempts))]
    print(json.dumps(codes))
    """
    % REDIS_URL
)


def redis_available() -> bool:
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
        return True
    except Exception:
        return False


def test_the_limit_holds_across_two_worker_processes_through_redis(app, make_user, database_url):
    if not redis_available():
        skip_or_fail("Redis on 127.0.0.1:6379 is not reachable")
    user = make_user()
    prefix = f"test-{secrets.token_hex(4)}"
    root = Path(__file__).resolve().parents[1]

    def worker(password: str, attempts: int) -> list[int]:
        out = subprocess.run(
            [sys.executable, "-c", WORKER, database_url, prefix, user.email, password, str(attempts)],
            cwd=root, capture_output=True, text=True, timeout=120, check=True,
        )
        return json.loads(out.stdout.strip().splitlines()[-1])

    assert worker("fout fout fout", 3) == [200, 200, 200]
    assert worker("fout fout fout", 2) == [200, 200]
    assert worker(PASSWORD, 1) == [429]
