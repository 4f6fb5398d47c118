"""Optional TOTP two-factor login (pyotp); administrators can be required to use it."""

from __future__ import annotations

import pyotp
import segno
from flask import redirect, request, url_for
from flask_login import current_user
from markupsafe import Markup

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


def verify(secret: str | None, code: str | None) -> bool:
    if not secret or not code:
        return False
    code = code.replace(" ", "")
    return code.isdigit() and len(code) == 6 and pyotp.TOTP(secret).verify(code, valid_window=1)


def required_for(user) -> bool:
    return bool(user.is_admin and get_flag(REQUIRE_2FA_FOR_ADMINS))


def enforce_setup():
    """An administrator who must use two-factor login sets it up before anything else."""
    if (
        request.endpoint not in ALLOWED_WHILE_SETTING_UP
        and current_user.is_authenticated
        and not current_user.totp_secret
        and required_for(current_user)
    ):
        return redirect(url_for("auth.totp_setup"))
    return None
