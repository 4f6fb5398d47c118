"""The decisions page and recording a new decision."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker.access import can_manage, rule, trajectory_blueprint
from tracker.decisions import services
from tracker.decisions.forms import DecisionForm, Phase1DecisionForm, Phase4DecisionForm
from tracker.extensions import db
from tracker.forms import redisplay_on_csrf_failure
from tracker.models import DecisionKind, DecisionOutcome, Trajectory
from tracker.trajectories.services import open_questions

bp = trajectory_blueprint("decisions", __name__)

DECISION_FORMS: dict[DecisionKind, type[DecisionForm]] = {
    DecisionKind.PHASE1: Phase1DecisionForm,
    DecisionKind.PHASE4: Phase4DecisionForm,
}


@bp.route("/trajecten/<id:trajectory_id>/besluiten")
@rule()
def index(trajectory: Trajectory):
    return render_template("decisions/index.html", trajectory=trajectory)


@bp.route("/trajecten/<id:trajectory_id>/besluiten/<kind>/nieuw", methods=["GET", "POST"])
@rule(read=can_manage, write=can_manage)
@redisplay_on_csrf_failure
def new(trajectory: Trajectory, kind: str):
    try:
        decision_kind = DecisionKind(kind)
    except ValueError:
        abort(404)
    form = DECISION_FORMS[decision_kind]()
    if request.method == "GET":
        form["decided_on"].data = date.today()
    still_open = open_questions(trajectory, 1) if decision_kind == DecisionKind.PHASE1 else 0
    if form.validate_on_submit() and not _go_unconfirmed(form, still_open) and not form.why_words():
        services.record_decision(trajectory, decision_kind, form.to_draft(), by=current_user)
        db.session.commit()
        flash(_("The decision has been recorded."), "success")
        return redirect(url_for("trajectories.detail", trajectory_id=trajectory.id))
    return render_template(
        "decisions/new.html",
        trajectory=trajectory,
        form=form,
        kind=decision_kind,
        phase=trajectory.phases[0 if decision_kind == DecisionKind.PHASE1 else 3],
        open_questions=still_open,
        why=form.why_words() if request.method == "POST" else [],
    )


def _go_unconfirmed(form: DecisionForm, still_open: int) -> bool:
    """A go on phase 1 with open questions needs its confirmation; the message says how many."""
    if form["outcome"].data != DecisionOutcome.GO.value or not still_open or form["confirm_open"].data:
        return False
    if still_open == 1:
        message = _("There is still 1 open question in phase 1. Confirm that you want to record a go anyway.")
    else:
        message = _(
            "There are still %(n)d open questions in phase 1. Confirm that you want to record a go anyway.",
            n=still_open,
        )
    form["confirm_open"].errors = [message]
    return True
