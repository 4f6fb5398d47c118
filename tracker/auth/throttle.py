"""Login throttling: password and code checks are limited, atomically, across processes.

Counts live in the Flask-Limiter storage (Redis when ``RATELIMIT_STORAGE_URI`` or ``REDIS_URL``
is set), so they hold across worker processes and servers. Three counters, all over a fixed
window (15 minutes by default):

- **account and address** (``LOGIN_FAILURES_PER_ACCOUNT``, 5): a hard lock for that pair only.
  Someone guessing from one address locks out themselves, not the owner somewhere else.
- **address** (``LOGIN_FAILURES_PER_ADDRESS``, 30): a hard lock for one address trying many
  accounts. Behind a proxy this is the client's address only when ``PROXY_COUNT`` is set (see
  the app factory); otherwise every user shares the proxy's address.
- **account, from anywhere** (``LOGIN_FAILURES_PER_ACCOUNT_ANYWHERE``, 10): a soft limit against
  guessing from many addresses. Beyond it the account is not locked: its password checks are
  spaced by a progressive delay (1, 2, 4 … seconds per extra failure, at most
  ``LOGIN_DELAY_MAX_SECONDS``), shared by all addresses, so a distributed attacker gets a few
  guesses a minute while the owner waits at most that long. An account with two-factor login is
  exempt from the delay: its password alone never logs in, the code step has its own pair and
  address limits, and so the owner's correct password with a valid code always gets through.

Check and record are one atomic step: :func:`reserve` increments the counters *before* the
password is verified (Redis ``INCRBY``; the first increment sets the expiry) and refuses when
that goes over a limit, so 40 parallel attempts give at most 5 verifications. Only failures stay
counted: :meth:`Attempt.succeeded` gives the address's reservation back and clears the pair.

Requests that send mail to an address (a new password: ``tracker/passwords``) are counted in the
same storage by :func:`reserve_request`, per address and per account (``RESET_REQUESTS_PER_*``),
whether or not the account exists.

When the storage cannot be reached the check fails **closed**: :class:`ThrottleUnavailable` is
raised (and logged as an error); views answer 503 with "Inloggen is tijdelijk niet mogelijk",
never a 500, and never check a password unthrottled.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import gettext as _
from limits import RateLimitItem, parse

from tracker.extensions import limiter


class ThrottleUnavailable(RuntimeError):
    """The limiter's storage (Redis) cannot be reached."""


PAIR, ADDRESS, DELAY = "pair", "address", "delay"


def _key(kind: str, value: str, scope: str = "login") -> str:
    digest = hashlib.sha256(value.encode("utf-8")).hexdigest()[:32]
    return f"{current_app.config.get('RATELIMIT_KEY_PREFIX', 'tracker')}/{scope}/{kind}/{digest}"


def _limit(name: str) -> RateLimitItem:
    return parse(current_app.config[name])


def _account(email: str) -> str:
    return (email or "").strip().lower()


def account_ref(email: str) -> str:
    """A stable, non-reversible reference to an account's address in logs (never the address)."""
    return hashlib.sha256(_account(email).encode("utf-8")).hexdigest()[:12]


def _unavailable(exc: Exception) -> ThrottleUnavailable:
    current_app.logger.error(
        "throttle_storage_unreachable error=%s: throttling cannot reach RATELIMIT_STORAGE_URI; "
        "logins, password checks and requests for a new password are refused (503) until it is back",
        type(exc).__name__,
    )
    return ThrottleUnavailable(str(exc))


@dataclass
class Attempt:
    """One reserved (or refused) password or code check."""

    email: str
    address: str
    refused: str | None = None
    _keys: dict[str, str] = field(default_factory=dict)

    @property
    def allowed(self) -> bool:
        return self.refused is None

    def message(self) -> str:
        if self.refused == DELAY:
            return _(
                "There have been many failed login attempts for this account. Wait a minute and try again."
            )
        return _("Too many failed login attempts. Wait 15 minutes and try again.")

    def failed(self) -> None:
        """The check failed: the reservations stay counted, and so does the account's failure."""
        item = _limit("LOGIN_FAILURES_PER_ACCOUNT_ANYWHERE")
        try:
            limiter.storage.incr(_key("account", self.email), item.get_expiry())
        except Exception as exc:
            raise _unavailable(exc) from exc

    def succeeded(self) -> None:
        """The check succeeded: it does not count as a failure."""
        try:
            limiter.storage.incr(
                self._keys[ADDRESS], _limit("LOGIN_FAILURES_PER_ADDRESS").get_expiry(), amount=-1
            )
            limiter.storage.clear(self._keys[PAIR])
        except Exception as exc:  # the login itself was right; a lost refund only costs a count
            _unavailable(exc)


def reserve(email: str, address: str | None, *, delay: bool = True) -> Attempt:
    """Reserve one check for ``email`` from ``address``, or say why it is refused.

    ``delay=False`` for an account with two-factor login (see the module docstring). Raises
    :class:`ThrottleUnavailable` when the storage cannot be reached.
    """
    account, address = _account(email), address or "unknown"
    attempt = Attempt(account, address)
    keys = attempt._keys
    keys[ADDRESS] = _key("address", address)
    keys[PAIR] = _key("pair", f"{account}\n{address}")
    storage = limiter.storage
    try:
        per_address = _limit("LOGIN_FAILURES_PER_ADDRESS")
        if storage.incr(keys[ADDRESS], per_address.get_expiry()) > per_address.amount:
            attempt.refused = ADDRESS
            return attempt
        per_pair = _limit("LOGIN_FAILURES_PER_ACCOUNT")
        if storage.incr(keys[PAIR], per_pair.get_expiry()) > per_pair.amount:
            attempt.refused = PAIR
        elif delay and not _pass_delay(account):
            storage.incr(keys[PAIR], per_pair.get_expiry(), amount=-1)
            attempt.refused = DELAY
        if attempt.refused:
            storage.incr(keys[ADDRESS], per_address.get_expiry(), amount=-1)
    except Exception as exc:
        raise _unavailable(exc) from exc
    return attempt


def _pass_delay(account: str) -> bool:
    """Beyond the soft limit, one check per delay for the account, from whatever address."""
    soft = _limit("LOGIN_FAILURES_PER_ACCOUNT_ANYWHERE")
    failures = limiter.storage.get(_key("account", account))
    if failures < soft.amount:
        return True
    wait = min(2 ** min(failures - soft.amount, 16), int(current_app.config["LOGIN_DELAY_MAX_SECONDS"]))
    return limiter.storage.incr(_key("gate", account), max(1, wait)) == 1


def reserve_request(scope: str, email: str, address: str | None) -> bool:
    """Count one request of ``scope`` (``"reset"``) for ``email`` from ``address``; False when it
    goes over ``<SCOPE>_REQUESTS_PER_ADDRESS`` or ``<SCOPE>_REQUESTS_PER_ACCOUNT``. The account
    is counted by its address as typed (normalised), so an unknown one is refused alike. Raises
    :class:`ThrottleUnavailable` when the storage cannot be reached."""
    prefix = scope.upper()
    per_address = _limit(f"{prefix}_REQUESTS_PER_ADDRESS")
    per_account = _limit(f"{prefix}_REQUESTS_PER_ACCOUNT")
    try:
        storage = limiter.storage
        if (
            storage.incr(_key(ADDRESS, address or "unknown", scope), per_address.get_expiry())
            > per_address.amount
        ):
            return False
        return (
            storage.incr(_key("account", _account(email), scope), per_account.get_expiry())
            <= per_account.amount
        )
    except Exception as exc:
        raise _unavailable(exc) from exc
