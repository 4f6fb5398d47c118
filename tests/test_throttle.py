"""Login throttling per account and per address, shared across processes through Redis."""

from __future__ import annotations

import json
import secrets
import subprocess
import sys
import textwrap
from pathlib import Path

from tracker.extensions import db

from .conftest import skip_or_fail
from .fixtures_world import PASSWORD

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
        "RATELIMIT_STORAGE_URI": "@REDIS_URL@", "RATELIMIT_KEY_PREFIX": prefix})
    client = create_app(cfg).test_client()
    codes = [client.post("/inloggen", data={"email": email, "password": password}).status_code
             for _ in range(int(attempts))]
    print(json.dumps(codes))
    """
).replace("@REDIS_URL@", REDIS_URL)


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
            cwd=root,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        return json.loads(out.stdout.strip().splitlines()[-1])

    assert worker("fout fout fout", 3) == [200, 200, 200]
    assert worker("fout fout fout", 2) == [200, 200]
    assert worker(PASSWORD, 1) == [429]


# --- a stranger cannot lock out the owner ---------------------------------------------------------


def _from(client, address, email, password, **extra):
    return client.post(
        "/inloggen",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
        **extra,
    )


def test_failures_from_one_address_do_not_lock_out_the_owner_elsewhere(client, make_user):
    user = make_user()
    for _ in range(8):
        _from(client, "198.51.100.7", user.email, "fout fout fout")
    assert _from(client, "198.51.100.7", user.email, PASSWORD).status_code == 429
    assert _from(client, "203.0.113.9", user.email, PASSWORD).status_code == 302


def test_a_successful_login_does_not_count_against_the_address(client, make_user):
    users = [make_user() for _ in range(3)]
    for _ in range(12):  # 36 logins from one office address, all correct
        for user in users:
            assert _from(client, "192.0.2.1", user.email, PASSWORD).status_code == 302
            client.post("/uitloggen")


def _count_verifications(monkeypatch):
    import threading

    from tracker import security

    calls, lock, verify = [0], threading.Lock(), security.verify_password

    def counting(*args, **kwargs):
        with lock:
            calls[0] += 1
        return verify(*args, **kwargs)

    monkeypatch.setattr("tracker.auth.services.verify_password", counting)
    return calls


def test_guessing_from_many_addresses_is_slowed_down_not_locked(client, make_user, monkeypatch):
    user = make_user()
    for n in range(10):  # the soft limit: 10 failures for the account from anywhere
        assert _from(client, f"198.51.100.{n}", user.email, "fout fout fout").status_code == 200
    calls = _count_verifications(monkeypatch)
    assert _from(client, "198.51.100.50", user.email, "fout fout fout").status_code == 200
    refused = _from(client, "198.51.100.51", user.email, PASSWORD)  # within the delay: not even checked
    assert refused.status_code == 429 and "Wacht een minuut" in refused.get_data(as_text=True)
    assert calls[0] == 1


def test_with_two_factor_the_owner_gets_through_a_distributed_attack(client, make_user, monkeypatch):
    import pyotp

    from tracker.models import User

    user = make_user()
    secret = pyotp.random_base32()
    db_user = db.session.get(User, user.id)
    db_user.totp_secret = secret
    db.session.commit()
    for n in range(25):
        _from(client, f"198.51.100.{n}", user.email, "fout fout fout")
    owner = client.application.test_client()
    step = _from(owner, "203.0.113.9", user.email, PASSWORD)
    assert step.status_code == 302 and step.headers["Location"].endswith("/inloggen/code")
    done = owner.post(
        "/inloggen/code", data={"code": pyotp.TOTP(secret).now()}, environ_base={"REMOTE_ADDR": "203.0.113.9"}
    )
    assert done.status_code == 302 and owner.get("/trajecten").status_code == 200


# --- the client's address behind the proxy --------------------------------------------------------


def _proxied_app(database_url, proxies: int):
    from tracker import create_app

    from .fixtures_app import FreshContextClient, _test_config

    app = create_app(_test_config(database_url, PROXY_COUNT=proxies))
    app.test_client_class = FreshContextClient
    return app


def test_the_forwarded_address_counts_only_when_proxies_are_configured(app, make_user, database_url):
    user = make_user()
    for proxies, other_client_gets_in in ((1, True), (0, False)):
        client = _proxied_app(database_url, proxies).test_client()
        for n in range(30):  # 30 failures, each for another account, from one client behind the proxy
            client.post(
                "/inloggen",
                data={"email": f"gok{n}@example.org", "password": "fout fout fout"},
                headers={"X-Forwarded-For": "198.51.100.66"},
            )
        response = client.post(
            "/inloggen",
            data={"email": user.email, "password": PASSWORD},
            headers={"X-Forwarded-For": "203.0.113.10"},
        )
        assert (response.status_code == 302) is other_client_gets_in, proxies


# --- the account page ---------------------------------------------------------------------------


def test_the_current_password_check_on_the_account_page_is_throttled(client, login, make_user):
    user = make_user()
    login(user)
    new = "een nieuwe lange zin"
    for _ in range(5):
        wrong = client.post(
            "/account",
            data={
                "pw-current_password": "fout fout fout",
                "pw-new_password": new,
                "pw-confirm": new,
                "pw-submit": "1",
            },
        )
        assert "Het huidige wachtwoord is onjuist." in wrong.get_data(as_text=True)
    refused = client.post(
        "/account",
        data={"pw-current_password": PASSWORD, "pw-new_password": new, "pw-confirm": new, "pw-submit": "1"},
    )
    assert refused.status_code == 429 and "Te veel mislukte" in refused.get_data(as_text=True)
    db.session.refresh(user)
    from tracker.security import verify_password

    assert verify_password(user.password_hash, PASSWORD)


# --- Redis: atomic across threads, and down ----------------------------------------------------------


def test_forty_parallel_wrong_attempts_check_at_most_five_passwords(make_user, database_url, monkeypatch):
    if not redis_available():
        skip_or_fail("Redis on 127.0.0.1:6379 is not reachable")
    from concurrent.futures import ThreadPoolExecutor

    from tracker import create_app

    from .fixtures_app import FreshContextClient, _test_config

    email = make_user().email
    app = create_app(
        _test_config(
            database_url, RATELIMIT_STORAGE_URI=REDIS_URL, RATELIMIT_KEY_PREFIX=f"test-{secrets.token_hex(4)}"
        )
    )
    app.test_client_class = FreshContextClient
    calls = _count_verifications(monkeypatch)

    def attempt(_):
        return (
            app.test_client()
            .post("/inloggen", data={"email": email, "password": "fout fout fout"})
            .status_code
        )

    with ThreadPoolExecutor(max_workers=40) as pool:
        codes = list(pool.map(attempt, range(40)))
    assert calls[0] <= 5
    assert codes.count(200) == calls[0] and codes.count(429) == 40 - calls[0]


def test_with_the_limiter_storage_down_login_says_so_in_dutch_with_503(make_user, database_url, caplog):
    from tracker import create_app

    from .fixtures_app import FreshContextClient, _test_config

    user = make_user()
    app = create_app(_test_config(database_url, RATELIMIT_STORAGE_URI="redis://127.0.0.1:1"))
    app.test_client_class = FreshContextClient
    client = app.test_client()
    assert client.get("/inloggen").status_code == 200
    for password in (PASSWORD, "fout fout fout"):
        response = client.post("/inloggen", data={"email": user.email, "password": password})
        body = response.get_data(as_text=True)
        assert response.status_code == 503
        assert "Inloggen is tijdelijk niet mogelijk" in body and f'value="{user.email}"' in body
    assert client.get("/trajecten").status_code == 302  # not logged in unthrottled
    assert any(
        r.levelname == "ERROR" and "throttle_storage_unreachable" in r.getMessage() for r in caplog.records
    )
