"""The API's blueprint and what every request goes through: the token (never the session), the
scope, the throttle per token, the trajectory of the URL; then ETags, JSON bodies and pages.

Access itself is the web app's: views declare ``@rule(read=..., write=...)`` from
:mod:`tracker.access`, which checks the token's user exactly as it checks a signed-in user."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import sqlalchemy as sa
from flask import Blueprint, current_app, g, json, request
from flask_babel import gettext as _
from limits import parse

from tracker.access import PUBLIC, SAFE_METHODS, get_trajectory_or_404
from tracker.api import problems, tokens
from tracker.api.problems import Problem
from tracker.extensions import csrf, db, limiter, login_manager
from tracker.ids import MAX_ID

bp = Blueprint("api", __name__, url_prefix="/api")
csrf.exempt(bp)  # no cookie is ever accepted, so there is no cross-site request to forge
problems.register(bp)

DEFAULT_LIMIT, MAX_LIMIT = 25, 100


@bp.url_value_preprocessor
def authenticate(endpoint: str | None, values: dict[str, Any] | None) -> None:
    """Every API view but the description needs a token: its user becomes the current user for
    this request only (the session is neither read nor written). Then the trajectory of the URL."""
    view = current_app.view_functions.get(endpoint or "")
    if getattr(view, "access_rule", None) == PUBLIC:
        return
    g._login_user = login_manager.anonymous_user()  # never the session's user, not even to refuse
    token = tokens.authenticate(tokens.bearer_secret(request.headers.get("Authorization")))
    if token is None:
        raise Problem(401)
    g._login_user = token.user  # Flask-Login's current user, for this request only
    g.api_token = token
    _throttle(token.id)
    if request.method not in SAFE_METHODS and not token.writes:
        raise Problem(403, _("This token may only read; make a token that may read and write."))
    if values is not None and "trajectory_id" in values:
        g.trajectory = get_trajectory_or_404(values.pop("trajectory_id"))


def _throttle(token_id: int) -> None:
    item = parse(current_app.config["API_RATE_LIMIT"])
    key = current_app.config.get("RATELIMIT_KEY_PREFIX", "tracker")
    try:
        allowed = limiter.limiter.hit(item, key, "api-token", str(token_id))
    except Exception as exc:  # the storage (Redis) cannot be reached: refuse, as the login does
        current_app.logger.error("api_throttle_unreachable error=%s", type(exc).__name__)
        raise Problem(503) from None
    if not allowed:
        current_app.logger.warning("api_throttled token=%s", token_id)
        raise Problem(429, headers={"Retry-After": str(item.get_expiry())})


# --- records and their versions -----------------------------------------------------------------


def etag_of(obj: Any) -> str:
    return f'"v{obj.version}"'


def record(obj: Any, body: dict[str, Any], status: int = 200):
    """One record as JSON, with its ETag: its version, or for a record that is never changed
    through the API and has no version (an evaluation round), a weak tag of its content."""
    text = json.dumps(body)
    response = current_app.response_class(text, status=status, mimetype="application/json")
    if hasattr(obj, "version"):
        response.headers["ETag"] = etag_of(obj)
    else:
        response.headers["ETag"] = f'W/"{hashlib.sha256(text.encode()).hexdigest()[:32]}"'
    return response


def require_fresh(obj: Any, dump: Callable[[Any], dict[str, Any]]) -> None:
    """A write must name the version it changes (If-Match); an older one is a conflict (409) that
    carries the current record and its ETag."""
    header = request.headers.get("If-Match")
    if not header:
        raise Problem(428, _("Send the record's ETag in an If-Match header."))
    tags = {t.strip().removeprefix("W/") for t in header.split(",")}
    if "*" not in tags and etag_of(obj) not in tags:
        raise stale(obj, dump)


def stale(obj: Any, dump: Callable[[Any], dict[str, Any]]) -> Problem:
    return Problem(
        409,
        _("Someone else has changed this record since you read it; here is the current version."),
        headers={"ETag": etag_of(obj)},
        current=dump(obj),
    )


def json_fields(allowed: set[str]) -> dict[str, str]:
    """The JSON object of the request as form values (strings; null is empty); unknown fields and
    values that are not text or numbers get a message each (422)."""
    if not request.is_json:
        raise Problem(415)
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise Problem(400, _("Send a JSON object."))
    values: dict[str, str] = {}
    errors: dict[str, list[str]] = {}
    for key, value in data.items():
        if key not in allowed:
            errors[str(key)[:100]] = [_("Unknown field.")]
        elif value is None:
            values[key] = ""
        elif isinstance(value, bool) or not isinstance(value, str | int | float):
            errors[key] = [_("Give text or a number.")]
        else:
            values[key] = str(value)
    if errors:
        raise invalid(errors)
    return values


def invalid(errors: dict[str, list[str]]) -> Problem:
    return Problem(422, _("Check the fields named in errors."), errors=errors)


def form_errors(form: Any, names: set[str]) -> dict[str, list[str]]:
    return {name: [str(m) for m in messages] for name, messages in form.errors.items() if name in names}


# --- pages --------------------------------------------------------------------------------------


def _arg_int(name: str, default: int, low: int, high: int, errors: dict[str, list[str]]) -> int:
    raw = request.args.get(name)
    if raw is None:
        return default
    if not raw.isascii() or not raw.isdigit() or not low <= int(raw) <= high:
        errors[name] = [_("Give a whole number from %(low)d to %(high)d.", low=low, high=high)]
        return default
    return int(raw)


def page(stmt: sa.Select, model: Any, dump: Callable[[Any], dict[str, Any]], errors: dict | None = None):
    """A page of ``stmt``'s rows in id order, after the id ``after``, at most ``limit`` (≤ 100) of
    them, with the link to the next page. Filter errors collected by the caller come along."""
    errors = dict(errors or {})
    after = _arg_int("after", 0, 0, MAX_ID, errors)
    limit = _arg_int("limit", DEFAULT_LIMIT, 1, MAX_LIMIT, errors)
    if errors:
        raise invalid(errors)
    stmt = stmt.where(model.id > after).order_by(None).order_by(model.id).limit(limit + 1)
    rows = list(db.session.scalars(stmt).unique())
    more = len(rows) > limit
    rows = rows[:limit]
    following = None
    if more:
        args = {**request.args.to_dict(), "after": rows[-1].id, "limit": limit}
        following = f"{request.path}?{urlencode(args)}"
    body = {"items": [dump(row) for row in rows], "next": following}
    return current_app.response_class(json.dumps(body), mimetype="application/json")


def arg_choice(name: str, cls: Any, errors: dict[str, list[str]]) -> Any:
    """A filter on one of an enum's values: the member, None when not given, a message if unknown."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return None
    try:
        return cls(raw)
    except ValueError:
        errors[name] = [_("Choose one of: %(values)s.", values=", ".join(m.value for m in cls))]
        return None


def arg_id(name: str, errors: dict[str, list[str]], high: int = MAX_ID) -> int | None:
    """A whole number from 1 to ``high`` (an id, unless given), or None when not given."""
    value = _arg_int(name, 0, 1, high, errors) if request.args.get(name) not in (None, "") else 0
    return value or None


def arg_flag(name: str, errors: dict[str, list[str]]) -> bool:
    raw = request.args.get(name, "")
    if raw not in ("", "true", "false"):
        errors[name] = [_("Give true or false.")]
    return raw == "true"
