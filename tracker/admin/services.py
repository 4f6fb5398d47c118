"""User and organisation administration. Writes flush; views commit."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort
from flask_babel import gettext as _

from tracker.auth.services import set_password
from tracker.extensions import db
from tracker.ids import parse_id
from tracker.models import Organisation, Sector, User


def organisation_by_name(name: str) -> Organisation | None:
    return db.session.scalar(
        db.select(Organisation).where(sa.func.lower(Organisation.name) == name.strip().lower())
    )


def create_organisation(name: str, sector: Sector) -> Organisation:
    org = Organisation(name=name.strip(), sector=sector)
    db.session.add(org)
    db.session.flush()
    return org


def update_organisation(org: Organisation, name: str, sector: Sector) -> None:
    org.name = name.strip()
    org.sector = sector
    db.session.flush()


def update_user(user: User, *, name: str, is_admin: bool, active: bool, new_password: str | None) -> None:
    user.name = name
    user.is_admin = is_admin
    if user.active and not active:
        user.end_sessions()
    user.active = active
    if new_password:
        set_password(user, new_password)
    db.session.flush()


def list_organisations() -> list[Organisation]:
    return list(db.session.scalars(db.select(Organisation).order_by(Organisation.name)))


def organisation_choices() -> list[tuple[str, str]]:
    """The choices of an organisation field (the trajectory's creator, a new or changed member)."""
    return [("", _("Choose an organisation"))] + [(str(o.id), o.name) for o in list_organisations()]


def chosen_organisation(form_value: str) -> Organisation:
    """The organisation chosen in a validated form; a row that vanished meanwhile is a 404, not a 500."""
    org_id = parse_id(form_value)
    org = db.session.get(Organisation, org_id) if org_id else None
    if org is None:
        abort(404)
    return org
