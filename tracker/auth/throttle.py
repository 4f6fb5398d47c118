"""Login throttling: failed logins are limited per account and per address.

Counts live in the Flask-Limiter storage (Redis when ``RATELIMIT_STORAGE_URI`` or ``REDIS_URL``
is set), so the limit holds across worker processes and servers. Once an account has had five
failures within 15 minutes, further attempts are refused, even with the right password.
"""

from __future__ import annotations

import hashlib

from flask import current_app
from limits import parse

from tracker.extensions import limiter


def _identifiers(kind: str, value: str) -> tuple[str, str, str]:
    digest = hashlib.sha256(value.strip().lower().encode("utf-8")).hexdigest()[:32]
    return current_app.config.get("RATELIMIT_KEY_PREFIX", "tracker"), f"login-failures-{kind}", digest


def _limits():
    return (
        ("account", parse(current_app.config["LOGIN_FAILURES_PER_ACCOUNT"])),
        ("address", parse(current_app.config["LOGIN_FAILURES_PER_ADDRESS"])),
    )


def is_blocked(email: str, address: str) -> bool:
    values = {"account": email, "address": address or "unknown"}
    return any(not limiter.limiter.test(item, *_identifiers(kind, values[kind])) for kind, item in _limits())


def record_failure(email: str, address: str) -> None:
    values = {"account": email, "address": address or "unknown"}
    for kind, item in _limits():
        limiter.limiter.hit(item, *_identifiers(kind, values[kind]))
