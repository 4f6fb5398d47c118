"""Evaluation rounds: schedule, vote, results, heatmap, follow-up, exports."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user

from tracker.access import (
    can_edit,
    can_manage,
    can_vote,
    get_in_trajectory_or_404,
    may_vote,
    membership_of,
    require,
    results_visible,
    rule,
    trajectory_blueprint,
)
from tracker.actions import exports
from tracker.concurrency import save_unless_stale
from tracker.content import default_framework, frameworks
from tracker.evaluations import heatmap, results, schedules, voting, wording
from tracker.evaluations.forms import ScheduleForm, read_cards
from tracker.evaluations.schedules import PlannedRound
from tracker.extensions import db
from tracker.forms import redisplay_on_csrf_failure
from tracker.models import Cadence, EvaluationRound, EvaluationSchedule, Layer, RoundState, Trajectory
from tracker.pagecache import cached_page

bp = trajectory_blueprint("evaluations", __name__)
for global_name, function in wording.TEMPLATE_GLOBALS.items():
    bp.add_app_template_global(function, global_name)


def _round_on(trajectory: Trajectory, opens_on: date) -> EvaluationRound | None:
    return db.session.scalar(
        sa.select(EvaluationRound)
        .where(EvaluationRound.trajectory_id == trajectory.id, EvaluationRound.opens_on == opens_on)
        .order_by(EvaluationRound.id)
        .limit(1)
    )


@bp.route("/trajecten/<id:trajectory_id>/evaluaties")
@rule()
@cached_page
def index(trajectory: Trajectory):
    today = date.today()
    schedule = schedules.schedule_of(trajectory)
    planned = schedules.current_planned(schedule, today) if schedule and schedule.active else None
    if planned:
        planned.round = _round_on(trajectory, planned.opens_on)
    rounds = heatmap.rounds_page(trajectory)
    # Results are shown once a round has closed, so that early votes do not steer later ones.
    return render_template(
        "evaluations/index.html",
        trajectory=trajectory,
        schedule=schedule,
        planned=planned,
        rounds=rounds,
        ballots=heatmap.ballot_counts(r.id for r in rounds),
        series=heatmap.heatmap(trajectory, today),
        factors=heatmap.factors_shown(schedule, trajectory),
        today=today,
        frameworks=frameworks(),
        default_framework=default_framework(),
    )


@bp.route("/trajecten/<id:trajectory_id>/evaluaties/schema", methods=["GET", "POST"])
@rule(read=can_manage, write=can_manage)
@redisplay_on_csrf_failure
def schedule(trajectory: Trajectory):
    current = schedules.schedule_of(trajectory)
    form = ScheduleForm(obj=current)
    if request.method == "GET":
        if current:
            form.layers.data = [x for x in current.layers.split(",") if x]
        else:
            form.framework.data, form.cadence.data = default_framework(), Cadence.KWARTAAL.value
            form.open_days.data, form.remind_days_before.data = 14, 3
            form.first_date.data = date.today()
    if form.validate_on_submit():
        if save_unless_stale(form, current, lambda: schedules.save_schedule(trajectory, form.to_settings())):
            flash(_("The evaluation schedule has been saved."), "success")
            return redirect(url_for("evaluations.index", trajectory_id=trajectory.id))
        flash(_("Someone else changed the schedule in the meantime; check it and save again."), "error")
    return render_template("evaluations/schedule.html", trajectory=trajectory, form=form)


@bp.route("/trajecten/<id:trajectory_id>/evaluaties/nu-openen", methods=["POST"])
@rule(write=can_manage)
def open_now(trajectory: Trajectory):
    try:
        evaluation_round = schedules.open_manual_round(trajectory, date.today())
    except schedules.ScheduleError:
        flash(_("A round is already open or planned in this period; no extra round was opened."), "error")
        return redirect(url_for("evaluations.index", trajectory_id=trajectory.id))
    db.session.commit()
    flash(_("Round %(name)s is open.", name=evaluation_round.name), "success")
    return redirect(
        url_for("evaluations.round_view", trajectory_id=trajectory.id, round_id=evaluation_round.id)
    )


def _planned_or_404(trajectory: Trajectory, opens: str) -> tuple[EvaluationSchedule, PlannedRound, date]:
    """The schedule's round that opens on the date in the URL (no schedule: no planned round)."""
    schedule = schedules.schedule_of(trajectory)
    try:
        opens_on = date.fromisoformat(opens)
    except ValueError:
        abort(404)
    planned = (
        next((p for p in schedules.planned_rounds(schedule, opens_on) if p.opens_on == opens_on), None)
        if schedule
        else None
    )
    if planned is None or schedule is None:
        abort(404)
    return schedule, planned, opens_on


@bp.route("/trajecten/<id:trajectory_id>/evaluaties/gepland/<opens>", methods=["GET", "POST"])
@rule(write=can_vote)
def planned_view(trajectory: Trajectory, opens: str):
    """The schedule's round for a date, before anything stored it: voting creates it."""
    schedule, planned, opens_on = _planned_or_404(trajectory, opens)
    stored = db.session.scalar(
        sa.select(EvaluationRound).where(
            EvaluationRound.trajectory_id == trajectory.id, EvaluationRound.opens_on == opens_on
        )
    )
    if request.method == "GET" and stored is not None:
        return redirect(url_for("evaluations.round_view", trajectory_id=trajectory.id, round_id=stored.id))
    mine = membership_of(current_user, trajectory)
    if request.method == "POST":
        require(may_vote(mine, schedule.layers))
        if planned.state(date.today()) != RoundState.OPEN:
            return _closed_message(trajectory, planned)
        evaluation_round = stored or schedules.materialise(schedule, planned)
        db.session.flush()
        return _vote(trajectory, evaluation_round)
    return render_template(
        "evaluations/round.html",
        trajectory=trajectory,
        round=None,
        planned=planned,
        factors=frameworks()[schedule.framework]["factors"],
        state=planned.state(date.today()),
        ballot=None,
        errors={},
        may_vote=may_vote(mine, schedule.layers),
        form_values={},
        anonymous=schedule.anonymous,
        today=date.today(),
        earlier_actions=results.open_follow_up_actions(trajectory, before=planned.opens_on),
        vote_url=url_for("evaluations.planned_view", trajectory_id=trajectory.id, opens=opens),
    )


def _closed_message(trajectory: Trajectory, evaluation_round: EvaluationRound | PlannedRound):
    flash(
        _(
            "This round is not open for voting (it runs from %(start)s to %(end)s). Nothing was saved.",
            start=format_date(evaluation_round.opens_on, "short"),
            end=format_date(evaluation_round.closes_on, "short"),
        ),
        "error",
    )
    return redirect(url_for("evaluations.index", trajectory_id=trajectory.id))


def _vote(trajectory: Trajectory, evaluation_round: EvaluationRound):
    mine = membership_of(current_user, trajectory)
    if mine is None:  # the callers allowed the vote, so never: only members vote
        abort(403)
    read = read_cards(evaluation_round.factors, request.form)
    if read.errors:
        return render_template(
            "evaluations/round.html",
            trajectory=trajectory,
            round=evaluation_round,
            planned=None,
            factors=evaluation_round.factors,
            state=evaluation_round.state(date.today()),
            ballot=None,
            errors=read.errors,
            error_items=read.error_items(evaluation_round.factors, evaluation_round.framework),
            may_vote=True,
            form_values=read.values,
            anonymous=evaluation_round.anonymous,
            today=date.today(),
            vote_url=request.path,
            voted=heatmap.ballot_counts([evaluation_round.id]).get(evaluation_round.id, 0),
            invited=len(voting.invited_members(evaluation_round, trajectory)),
        ), 422
    voting.cast_ballot(evaluation_round, mine, read.cards)
    db.session.commit()
    flash(_("Thank you: your cards have been saved. You can change them until the round closes."), "success")
    return redirect(
        url_for("evaluations.round_view", trajectory_id=trajectory.id, round_id=evaluation_round.id)
    )


def _results_context(trajectory: Trajectory, evaluation_round: EvaluationRound, today: date) -> dict:
    """What the round page shows of the results: nothing until the round has closed."""
    factor_results: list[results.FactorResult] = []
    follow_up: list[results.FactorResult] = []
    shown_layers: list[Layer] = []
    shown_orgs: list[int] = []
    if results_visible(evaluation_round, today):
        names = {m.id: m.user.name for m in trajectory.memberships}
        factor_results = results.results(evaluation_round, names)
        follow_up = results.follow_up(evaluation_round, factor_results)
        shown_layers, shown_orgs = results.shown_groups(evaluation_round)
    return {
        "results": factor_results,
        "follow_up": follow_up,
        "shown_layers": shown_layers,
        "shown_orgs": shown_orgs,
        "org_names": results.organisation_names(shown_orgs),
    }


@bp.route("/trajecten/<id:trajectory_id>/evaluaties/<id:round_id>", methods=["GET", "POST"])
@rule(write=can_vote)
@cached_page
def round_view(trajectory: Trajectory, round_id: int):
    evaluation_round = get_in_trajectory_or_404(EvaluationRound, trajectory, round_id)
    today = date.today()
    mine = membership_of(current_user, trajectory)
    if request.method == "POST":
        require(may_vote(mine, evaluation_round.layers))
        if evaluation_round.state(today) != RoundState.OPEN:
            return _closed_message(trajectory, evaluation_round)
        return _vote(trajectory, evaluation_round)
    ballot = voting.ballot_of(evaluation_round, mine) if mine else None
    return render_template(
        "evaluations/round.html",
        trajectory=trajectory,
        round=evaluation_round,
        planned=None,
        factors=evaluation_round.factors,
        state=evaluation_round.state(today),
        ballot=ballot,
        errors={},
        may_vote=may_vote(mine, evaluation_round.layers),
        form_values={v.factor: (v.color.value, v.comment) for v in ballot.votes} if ballot else {},
        anonymous=evaluation_round.anonymous,
        today=today,
        vote_url=request.path,
        earlier_actions=results.open_follow_up_actions(trajectory, before=evaluation_round.opens_on),
        voted=heatmap.ballot_counts([evaluation_round.id]).get(evaluation_round.id, 0),
        invited=len(voting.invited_members(evaluation_round, trajectory)),
        min_group=results.MIN_GROUP_FOR_ANONYMOUS,
        can_act=can_edit(current_user, trajectory),
        my_cards=voting.my_cards(evaluation_round, ballot),
        editing=request.args.get("wijzigen") == "1",
        **_results_context(trajectory, evaluation_round, today),
    )


@bp.route("/trajecten/<id:trajectory_id>/evaluaties/<id:round_id>/resultaten.<fmt>")
@rule()
def results_export(trajectory: Trajectory, round_id: int, fmt: str):
    evaluation_round = get_in_trajectory_or_404(EvaluationRound, trajectory, round_id)
    require(results_visible(evaluation_round))
    header = [_("Round"), _("Factor"), _("Green"), _("Orange"), _("Red"), _("Divided"), _("Comments")]
    rows = [
        [
            evaluation_round.name,
            r.title,
            r.counts["groen"],
            r.counts["oranje"],
            r.counts["rood"],
            _("yes") if r.disagreement else "",
            " | ".join(c for _, c in r.comments),
        ]
        for r in results.results(evaluation_round)
    ]
    return exports.download(
        fmt, header, rows, f"{_('evaluation')}-{evaluation_round.name.replace(' ', '-')}", _("Results")
    )
