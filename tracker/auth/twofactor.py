"""Optional TOTP two-factor login (pyotp); administrators can be required to use it."""

from __future__ import annotations

import hmac
import time
from typing import Any, cast

import pyotp
import segno
import sqlalchemy as sa
from flask import redirect, request, url_for
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy.orm.attributes import set_committed_value

from tracker.extensions import db
from tracker.models import User
from tracker.models.setting import REQUIRE_2FA_FOR_ADMINS, get_flag

ISSUER = "BETER SAMEN tracker"
ALLOWED_WHILE_SETTING_UP = {"auth.totp_setup", "auth.logout", "auth.account", "static"}


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, email: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def qr_svg(uri: str) -> Markup:
    """The QR code as inline SVG markup (no script, no external image).

    Safe to mark up: segno draws only the QR modules as path data; the encoded text (which holds
    the user's email) is not written into the SVG, and no title or description is set.
    """
    svg = segno.make(uri, error="m").svg_inline(scale=5, dark="#000", light="#fff")
    return Markup(svg)  # nosec B704


def _now() -> float:
    """The server's clock (a function, so tests can fix it)."""
    return time.time()


def matching_step(secret: str | None, code: str | None, after: int | None = None) -> int | None:
    """The time step (previous, current or next, for clock drift) whose code this is, or None.

    Only steps later than ``after`` count, so a code that was used once is refused afterwards.
    """
    if not secret or not code:
        return None
    code = code.replace(" ", "")
    if not (code.isascii() and code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(_now())
    for step in (current - 1, current, current + 1):
        if (after is None or step > after) and hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def verify(user: User, code: str | None, secret: str | None = None) -> bool:
    """Check a code for ``user`` (against ``secret`` while setting up, else the user's secret)
    and use it up: the step is recorded atomically, so of two requests with the same code (or a
    replay later) only one succeeds. Flushes; the view commits."""
    step = matching_step(secret or user.totp_secret, code, after=user.totp_last_step)
    if step is None:
        return False
    table = cast(sa.Table, User.__table__)
    claimed = cast(
        "sa.CursorResult[Any]",
        db.session.execute(
            sa.update(table)
            .where(table.c.id == user.id)
            .where(sa.or_(table.c.totp_last_step.is_(None), table.c.totp_last_step < step))
            .values(totp_last_step=step)
        ),
    ).rowcount
    if claimed != 1:
        return False
    # The row now holds the step; tell the ORM so that it does not write it again.
    set_committed_value(user, "totp_last_step", step)
    return True


def required_for(user) -> bool:
    return bool(user.is_admin and get_flag(REQUIRE_2FA_FOR_ADMINS))


def enforce_setup():
    """An administrator who must use two-factor login sets it up before anything else."""
    if (
        request.blueprint != "api"  # tokens are made on the account page, after the setup
        and request.endpoint not in ALLOWED_WHILE_SETTING_UP
        and current_user.is_authenticated
        and not current_user.totp_secret
        and required_for(current_user)
    ):
        return redirect(url_for("auth.totp_setup"))
    return None
