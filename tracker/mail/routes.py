"""The outbox page: what was sent or waits to be sent, for administrators."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, render_template

from tracker.access import admin_required
from tracker.mail.services import smtp_configured
from tracker.models import OutboxMessage
from tracker.paging import paginate

bp = Blueprint("mail", __name__)


@bp.route("/beheer/berichten")
@admin_required
def outbox():
    messages = paginate(sa.select(OutboxMessage).order_by(OutboxMessage.id.desc()))
    return render_template("mail/outbox.html", messages=messages, smtp=smtp_configured())
