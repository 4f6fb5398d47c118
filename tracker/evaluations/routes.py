"""Evaluation rounds: schedule, vote, results, heatmap, follow-up, exports."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from tracker.access import (
    can_edit,
    can_manage,
    can_view,
    get_in_trajectory_or_404,
    load_trajectory,
    membership_of,
    require,
    results_visible,
)
from tracker.concurrency import save_unless_stale
from tracker.content import default_framework, frameworks
from tracker.evaluations import services
from tracker.evaluations.forms import ScheduleForm
from tracker.extensions import db
from tracker.forms import redisplay_on_csrf_failure
from tracker.models import Cadence, EvaluationRound, Layer, RoundState
from tracker.plans import exports

bp = Blueprint("evaluations", __name__)
COLORS = ("groen", "oranje", "rood")


@bp.route("/trajecten/<id:trajectory_id>/evaluaties")
@login_required
def index(trajectory_id: int):
    trajectory = load_trajectory(trajectory_id)
    today = date.today()
    schedule = services.schedule_of(trajectory)
    planned = services.current_planned(schedule, today) if schedule and schedule.active else None
    rounds = services.rounds_of(trajectory)
    if planned:
        planned.round = next((r for r in rounds if r.opens_on == planned.opens_on), None)
    # Results are shown once a round has closed, so that early votes do not steer later ones.
    series = services.with_trends([r for r in rounds if r.ballots and results_visible(r, today)])
    factors = (
        frameworks()[schedule.framework]["factors"]
        if schedule
        else (rounds[-1].factors if rounds else frameworks()[default_framework()]["factors"])
    )
    return render_template(
        "evaluations/index.html",
        trajectory=trajectory,
        schedule=schedule,
        planned=planned,
        rounds=rounds,
        series=series,
        factors=factors,
        today=today,
        frameworks=frameworks(),
    )


@bp.route("/trajecten/<id:trajectory_id>/evaluaties/schema", methods=["GET", "POST"])
@login_required
@redisplay_on_csrf_failure
def schedule(trajectory_id: int):
    trajectory = load_trajectory(trajectory_id, can_manage)
    current = services.schedule_of(trajectory)
    form = ScheduleForm(obj=current)
    if request.method == "GET":
        if current:
            form.layers.data = [x for x in current.layers.split(",") if x]
        else:
            form.framework.data, form.cadence.data = default_framework(), Cadence.KWARTAAL.value
            form.open_days.data, form.remind_days_before.data = 14, 3
            form.first_date.data = date.today()
    if form.validate_on_submit():
        if save_unless_stale(form, current, lambda: services.save_schedule(trajectory, form.data)):
            flash(_("The evaluation schedule has been saved."), "success")
            return redirect(url_for("evaluations.index", trajectory_id=trajectory.id))
        flash(_("Someone else changed the schedule in the meantime; check it and save again."), "error")
    return render_template("evaluations/schedule.html", trajectory=trajectory, form=form)


@bp.route("/trajecten/<id:trajectory_id>/evaluaties/nu-openen", methods=["POST"])
@login_required
def open_now(trajectory_id: int):
    trajectory = load_trajectory(trajectory_id, can_manage)
    try:
        evaluation_round = services.open_manual_round(trajectory, date.today())
    except services.ScheduleError:
        flash(_("A round is already open or planned in this period; no extra round was opened."), "error")
        return redirect(url_for("evaluations.index", trajectory_id=trajectory.id))
    db.session.commit()
    flash(_("Round %(name)s is open.", name=evaluation_round.name), "success")
    return redirect(
        url_for("evaluations.round_view", trajectory_id=trajectory.id, round_id=evaluation_round.id)
    )


@bp.route("/trajecten/<id:trajectory_id>/evaluaties/gepland/<opens>", methods=["GET", "POST"])
@login_required
def planned_view(trajectory_id: int, opens: str):
    """The schedule's round for a date, before anything stored it: voting creates it."""
    trajectory = load_trajectory(trajectory_id)
    schedule = services.schedule_of(trajectory)
    try:
        opens_on = date.fromisoformat(opens)
    except ValueError:
        abort(404)
    planned = (
        next((p for p in services.planned_rounds(schedule, opens_on) if p.opens_on == opens_on), None)
        if schedule
        else None
    )
    if planned is None or schedule is None:  # no schedule: no planned round either
        abort(404)
    stored = db.session.scalar(
        sa.select(EvaluationRound).where(
            EvaluationRound.trajectory_id == trajectory.id, EvaluationRound.opens_on == opens_on
        )
    )
    if request.method == "GET" and stored is not None:
        return redirect(url_for("evaluations.round_view", trajectory_id=trajectory.id, round_id=stored.id))
    if request.method == "POST":
        mine = membership_of(current_user, trajectory)
        require(services.may_vote(mine, planned, schedule))
        if planned.state(date.today()) != RoundState.OPEN:
            return _closed_message(trajectory, planned)
        evaluation_round = stored or services.materialise(schedule, planned)
        db.session.flush()
        return _vote(trajectory, evaluation_round)
    factors = frameworks()[schedule.framework]["factors"]
    return render_template(
        "evaluations/round.html",
        trajectory=trajectory,
        round=None,
        planned=planned,
        factors=factors,
        state=planned.state(date.today()),
        ballot=None,
        errors={},
        may_vote=services.may_vote(membership_of(current_user, trajectory), planned, schedule),
        form_values={},
        anonymous=schedule.anonymous,
        today=date.today(),
        earlier_actions=services.open_follow_up_actions(trajectory, before=planned.opens_on),
        vote_url=url_for("evaluations.planned_view", trajectory_id=trajectory.id, opens=opens),
    )


def _closed_message(trajectory, evaluation_round):
    flash(
        _(
            "This round is not open for voting (it runs from %(start)s to %(end)s). Nothing was saved.",
            start=evaluation_round.opens_on.strftime("%d-%m-%Y"),
            end=evaluation_round.closes_on.strftime("%d-%m-%Y"),
        ),
        "error",
    )
    return redirect(url_for("evaluations.index", trajectory_id=trajectory.id))


def _vote(trajectory, evaluation_round: EvaluationRound):
    mine = membership_of(current_user, trajectory)
    if mine is None:  # the callers allowed the vote, so never: only members vote
        abort(403)
    choices, errors, form_values = {}, {}, {}
    for factor in evaluation_round.factors:
        key = factor["key"]
        color = request.form.get(f"kleur-{key}", "")
        comment = (request.form.get(f"toelichting-{key}", "") or "").strip()
        form_values[key] = (color, comment)
        if color not in COLORS:
            errors[key] = _("Choose green, orange or red.")
        elif len(comment) > 2000 or "\x00" in comment:
            errors[key] = _("The comment is too long or contains characters that are not allowed.")
        else:
            choices[key] = (color, comment)
    if errors:
        return render_template(
            "evaluations/round.html",
            trajectory=trajectory,
            round=evaluation_round,
            planned=None,
            factors=evaluation_round.factors,
            state=evaluation_round.state(date.today()),
            ballot=None,
            errors=errors,
            may_vote=True,
            form_values=form_values,
            anonymous=evaluation_round.anonymous,
            today=date.today(),
            vote_url=request.path,
            voted=len(evaluation_round.ballots),
            invited=len(services.invited_members(evaluation_round, trajectory)),
        ), 422
    services.cast_ballot(evaluation_round, mine, choices)
    db.session.commit()
    flash(_("Thank you: your cards have been saved. You can change them until the round closes."), "success")
    return redirect(
        url_for("evaluations.round_view", trajectory_id=trajectory.id, round_id=evaluation_round.id)
    )


@bp.route("/trajecten/<id:trajectory_id>/evaluaties/<id:round_id>", methods=["GET", "POST"])
@login_required
def round_view(trajectory_id: int, round_id: int):
    trajectory = load_trajectory(trajectory_id)
    evaluation_round = get_in_trajectory_or_404(EvaluationRound, trajectory, round_id)
    today = date.today()
    mine = membership_of(current_user, trajectory)
    if request.method == "POST":
        require(services.may_vote(mine, evaluation_round))
        if evaluation_round.state(today) != RoundState.OPEN:
            return _closed_message(trajectory, evaluation_round)
        return _vote(trajectory, evaluation_round)
    ballot = services.ballot_of(evaluation_round, mine) if mine else None
    form_values = {v.factor: (v.color.value, v.comment) for v in ballot.votes} if ballot else {}
    state = evaluation_round.state(today)
    factor_results: list[services.FactorResult] = []
    follow_up: list[services.FactorResult] = []
    shown_layers: list[Layer] = []
    shown_orgs: list[int] = []
    if results_visible(evaluation_round, today):
        names = {m.id: m.user.name for m in trajectory.memberships}
        factor_results = services.results(evaluation_round, names)
        follow_up = services.follow_up(evaluation_round, factor_results)
        shown_layers, shown_orgs = services.shown_groups(evaluation_round)
    return render_template(
        "evaluations/round.html",
        trajectory=trajectory,
        round=evaluation_round,
        planned=None,
        factors=evaluation_round.factors,
        state=state,
        ballot=ballot,
        errors={},
        may_vote=services.may_vote(mine, evaluation_round),
        form_values=form_values,
        anonymous=evaluation_round.anonymous,
        today=today,
        vote_url=request.path,
        results=factor_results,
        follow_up=follow_up,
        earlier_actions=services.open_follow_up_actions(trajectory, before=evaluation_round.opens_on),
        voted=len(evaluation_round.ballots),
        invited=len(services.invited_members(evaluation_round, trajectory)),
        shown_layers=shown_layers,
        shown_orgs=shown_orgs,
        org_names=services.organisation_names(shown_orgs),
        min_group=services.MIN_GROUP_FOR_ANONYMOUS,
        can_act=can_edit(current_user, trajectory),
    )


@bp.route("/trajecten/<id:trajectory_id>/evaluaties/<id:round_id>/resultaten.<fmt>")
@login_required
def results_export(trajectory_id: int, round_id: int, fmt: str):
    trajectory = load_trajectory(trajectory_id, can_view)
    evaluation_round = get_in_trajectory_or_404(EvaluationRound, trajectory, round_id)
    require(results_visible(evaluation_round))
    header = ["Ronde", "Factor", "Groen", "Oranje", "Rood", "Verdeeld", "Toelichtingen"]
    rows = [
        [
            evaluation_round.name,
            r.title,
            r.counts["groen"],
            r.counts["oranje"],
            r.counts["rood"],
            "ja" if r.disagreement else "",
            " | ".join(c for _, c in r.comments),
        ]
        for r in services.results(evaluation_round)
    ]
    return exports.download(
        fmt, header, rows, f"evaluatie-{evaluation_round.name.replace(' ', '-')}", "Resultaten"
    )
