"""Trajectories: list, create, the phase path, settings, members, layers, decisions, reflection."""

from __future__ import annotations

import json
from datetime import date

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm.exc import StaleDataError

from tracker.access import can_edit, can_manage, can_view, get_membership_or_404, load_trajectory
from tracker.actions import lists as action_lists
from tracker.admin.services import list_organisations
from tracker.concurrency import save_unless_stale
from tracker.content import handreiking, tabel1_for_layer, tabel1_grid
from tracker.evaluations import services as evaluation_services
from tracker.extensions import db
from tracker.forms import redisplay_on_csrf_failure
from tracker.ids import arg_id, parse_id
from tracker.invitations import routes as invitation_routes
from tracker.invitations import services as invitation_services
from tracker.models import DecisionKind, DecisionOutcome, Layer, Organisation, utcnow
from tracker.models.audit import audited_models
from tracker.models.enums import label
from tracker.trajectories import services
from tracker.trajectories.forms import (
    MemberAddForm,
    MemberEditForm,
    Phase1DecisionForm,
    Phase4DecisionForm,
    ReflectionForm,
    TrajectoryCreateForm,
    TrajectoryEditForm,
)
from tracker.transfer import export_trajectory

bp = Blueprint("trajectories", __name__)


def organisation_choices() -> list[tuple[str, str]]:
    return [("", _("Choose an organisation"))] + [(str(o.id), o.name) for o in list_organisations()]


def _organisation(form_value: str) -> Organisation:
    org_id = parse_id(form_value)
    org = db.session.get(Organisation, org_id) if org_id else None
    if org is None:  # the choice was validated; a vanished row is a 404, not a 500
        abort(404)
    return org


@bp.route("/")
@login_required
def home():
    return redirect(url_for("trajectories.index"))


@bp.route("/trajecten")
@login_required
def index():
    trajectories = services.visible_trajectories(current_user)
    ids = [t.id for t in trajectories]
    return render_template(
        "trajectories/index.html",
        trajectories=trajectories,
        progress=services.progress_for(ids),
        decisions={t.id: services.current_decisions(t) for t in trajectories},
        actions=action_lists.summaries(ids),
        rounds=evaluation_services.next_rounds(ids, date.today()),
        phases=handreiking()["phases"],
        today=date.today(),
    )


@bp.route("/trajecten/nieuw", methods=["GET", "POST"])
@login_required
@redisplay_on_csrf_failure
def create():
    form = TrajectoryCreateForm()
    form.organisation_id.choices = organisation_choices()
    if request.method == "GET":
        form.start_date.data = date.today()
    if form.validate_on_submit():
        trajectory = services.create_trajectory(
            form.data,
            creator=current_user,
            organisation=_organisation(form.organisation_id.data),
            layer=Layer(form.layer.data),
        )
        db.session.commit()
        flash(_("Trajectory %(name)s has been started.", name=trajectory.name), "success")
        return redirect(url_for("trajectories.detail", trajectory_id=trajectory.id))
    return render_template("trajectories/create.html", form=form)


@bp.route("/trajecten/<id:trajectory_id>")
@login_required
def detail(trajectory_id: int):
    trajectory = load_trajectory(trajectory_id)
    progress = services.progress_for([trajectory.id])[trajectory.id]
    return render_template(
        "trajectories/detail.html",
        trajectory=trajectory,
        progress=progress,
        decisions=services.current_decisions(trajectory),
        ownership=services.ownership_by_layer(trajectory),
        phases=handreiking()["phases"],
        layers=list(Layer),
    )


@bp.route("/trajecten/<id:trajectory_id>/bewerken", methods=["GET", "POST"])
@login_required
@redisplay_on_csrf_failure
def edit(trajectory_id: int):
    trajectory = load_trajectory(trajectory_id, can_manage)
    form = TrajectoryEditForm(obj=trajectory)
    form.coordinator_id.choices = [("", _("No coordinator"))] + [
        (str(m.user_id), m.display_name) for m in trajectory.memberships
    ]
    if request.method == "GET":
        form.coordinator_id.data = str(trajectory.coordinator_id or "")
    conflict = False
    if form.validate_on_submit():
        if save_unless_stale(form, trajectory, lambda: services.update_trajectory(trajectory, form.data)):
            flash(_("The trajectory has been saved."), "success")
            return redirect(url_for("trajectories.detail", trajectory_id=trajectory.id))
        conflict = True
    return render_template("trajectories/edit.html", form=form, trajectory=trajectory, conflict=conflict)


# --- members --------------------------------------------------------------------------------


@bp.route("/trajecten/<id:trajectory_id>/leden", methods=["GET", "POST"])
@login_required
@redisplay_on_csrf_failure
def members(trajectory_id: int):
    trajectory = load_trajectory(trajectory_id, can_manage if request.method == "POST" else can_view)
    form = MemberAddForm()
    form.organisation_id.choices = organisation_choices()
    if current_user.is_admin:
        form.email.description = _(
            "An existing account is added at once; anyone else receives an invitation by email."
        )
    if request.method == "POST" and form.validate_on_submit():
        if invitation_routes.add_or_invite(trajectory, form, _organisation(form.organisation_id.data)):
            return redirect(url_for("trajectories.members", trajectory_id=trajectory.id))
    pending = invitation_services.pending(trajectory) if can_manage(current_user, trajectory) else []
    return render_template(
        "trajectories/members.html", trajectory=trajectory, form=form, invitations=pending, now=utcnow()
    )


@bp.route("/trajecten/<id:trajectory_id>/leden/<id:membership_id>", methods=["GET", "POST"])
@login_required
@redisplay_on_csrf_failure
def member_edit(trajectory_id: int, membership_id: int):
    trajectory = load_trajectory(trajectory_id, can_manage)
    membership = get_membership_or_404(trajectory, membership_id)
    form = MemberEditForm(obj=membership)
    form.organisation_id.choices = organisation_choices()
    if request.method == "GET":
        form.organisation_id.data = str(membership.organisation_id)
    conflict = False
    if form.validate_on_submit():

        def apply():
            services.update_member(
                membership, _organisation(form.organisation_id.data), form.layer.data, form.role.data
            )

        try:
            if save_unless_stale(form, membership, apply):
                flash(_("The membership of %(name)s has been saved.", name=membership.user.name), "success")
                return redirect(url_for("trajectories.members", trajectory_id=trajectory.id))
            conflict = True
        except services.MembershipError:
            db.session.rollback()
            form.role.errors.append(_("A trajectory needs at least one project lead."))
    return render_template(
        "trajectories/member_edit.html",
        trajectory=trajectory,
        membership=membership,
        form=form,
        conflict=conflict,
    )


# --- layers ---------------------------------------------------------------------------------


@bp.route("/trajecten/<id:trajectory_id>/lagen/<layer>")
@login_required
def layer_view(trajectory_id: int, layer: str):
    trajectory = load_trajectory(trajectory_id)
    try:
        the_layer = Layer(layer)
    except ValueError:
        abort(404)
    items = services.items_for_layer(trajectory, the_layer)
    return render_template(
        "trajectories/layer.html",
        trajectory=trajectory,
        layer=the_layer,
        layers=list(Layer),
        guidance=tabel1_for_layer(the_layer.value),
        items=items,
        members=[m for m in trajectory.memberships if m.layer == the_layer],
        phases=handreiking()["phases"],
        today=date.today(),
    )


@bp.route("/trajecten/<id:trajectory_id>/tabel-1")
@login_required
def tabel1(trajectory_id: int):
    trajectory = load_trajectory(trajectory_id)
    return render_template(
        "trajectories/tabel1.html",
        trajectory=trajectory,
        grid=tabel1_grid(),
        columns=handreiking()["tabel1"]["columns"],
        caption=handreiking()["tabel1"]["caption"],
    )


# --- start reflection -----------------------------------------------------------------------


@bp.route("/trajecten/<id:trajectory_id>/startreflectie", methods=["GET", "POST"])
@login_required
@redisplay_on_csrf_failure
def reflection(trajectory_id: int):
    trajectory = load_trajectory(trajectory_id, can_edit if request.method == "POST" else can_view)
    reflections = trajectory.reflections
    form = ReflectionForm() if request.method == "POST" else None
    if form is not None and form.aspects.too_many:
        # More aspects than the page shows: refused before any of them is looked at.
        flash(_("Not saved: the form contained more aspects than the start reflection has."), "error")
        form = None
        status = 400
    else:
        status = 200
    if form is None:
        form = ReflectionForm(
            formdata=None,
            data={
                "aspects": [
                    {
                        "aspect_key": r.aspect_key,
                        "version": str(r.version),
                        "movement": r.movement.value if r.movement else "",
                        "note": r.note,
                    }
                    for r in reflections
                ]
            },
        )
    conflicts = []
    if status == 200 and form.validate_on_submit():
        conflicts = services.stale_reflections(trajectory, form.aspects.data)
        if not conflicts:
            try:
                services.update_reflection(trajectory, form.aspects.data)
                db.session.commit()
            except StaleDataError:
                db.session.rollback()
                conflicts = list(trajectory.reflections)
            else:
                flash(_("The start reflection has been saved."), "success")
                return redirect(url_for("trajectories.reflection", trajectory_id=trajectory.id))
        # Keep the typed text; carry the current versions so that saving again replaces theirs.
        current = {r.aspect_key: r for r in trajectory.reflections}
        for sub in form.aspects:
            if sub.aspect_key.data in current:
                sub.version.data = str(current[sub.aspect_key.data].version)
    return render_template(
        "trajectories/reflection.html",
        trajectory=trajectory,
        conflicts=conflicts,
        conflict_pairs=[(r.title, " — ".join(filter(None, [label(r.movement), r.note]))) for r in conflicts],
        form=form,
        rows=list(zip(reflections, form.aspects, strict=False)),
        five_vs=handreiking()["five_vs"],
        intro=handreiking()["reflection"]["intro"],
    ), status


# --- decisions ------------------------------------------------------------------------------

DECISION_FORMS = {DecisionKind.PHASE1: Phase1DecisionForm, DecisionKind.PHASE4: Phase4DecisionForm}


@bp.route("/trajecten/<id:trajectory_id>/besluiten")
@login_required
def decisions(trajectory_id: int):
    trajectory = load_trajectory(trajectory_id)
    return render_template("trajectories/decisions.html", trajectory=trajectory)


@bp.route("/trajecten/<id:trajectory_id>/besluiten/<kind>/nieuw", methods=["GET", "POST"])
@login_required
@redisplay_on_csrf_failure
def decision_new(trajectory_id: int, kind: str):
    trajectory = load_trajectory(trajectory_id, can_manage)
    try:
        decision_kind = DecisionKind(kind)
    except ValueError:
        abort(404)
    form = DECISION_FORMS[decision_kind]()
    if request.method == "GET":
        form.decided_on.data = date.today()
    open_questions = services.open_questions(trajectory, 1) if decision_kind == DecisionKind.PHASE1 else 0
    if form.validate_on_submit() and not _go_unconfirmed(form, open_questions):
        services.record_decision(trajectory, decision_kind, form.data, by=current_user)
        db.session.commit()
        flash(_("The decision has been recorded."), "success")
        return redirect(url_for("trajectories.detail", trajectory_id=trajectory.id))
    return render_template(
        "trajectories/decision_form.html",
        trajectory=trajectory,
        form=form,
        kind=decision_kind,
        phase=trajectory.phases[0 if decision_kind == DecisionKind.PHASE1 else 3],
        open_questions=open_questions,
    )


def _go_unconfirmed(form, open_questions: int) -> bool:
    """A go on phase 1 with open questions needs its confirmation; the message says how many."""
    if form.outcome.data != DecisionOutcome.GO.value or not open_questions or form.confirm_open.data:
        return False
    if open_questions == 1:
        message = _("There is still 1 open question in phase 1. Confirm that you want to record a go anyway.")
    else:
        message = _(
            "There are still %(n)d open questions in phase 1. Confirm that you want to record a go anyway.",
            n=open_questions,
        )
    form.confirm_open.errors = [message]
    return True


# --- export ---------------------------------------------------------------------------------


@bp.route("/trajecten/<id:trajectory_id>/export.json")
@login_required
def export(trajectory_id: int):
    trajectory = load_trajectory(trajectory_id)
    data = export_trajectory(trajectory)
    response = current_app.response_class(
        json.dumps(data, ensure_ascii=False, indent=2), mimetype="application/json"
    )
    response.headers["Content-Disposition"] = f'attachment; filename="traject-{trajectory.id}.json"'
    return response


# --- history --------------------------------------------------------------------------------


@bp.route("/trajecten/<id:trajectory_id>/geschiedenis")
@login_required
def history(trajectory_id: int):
    trajectory = load_trajectory(trajectory_id)
    entity = request.args.get("soort")
    if entity not in audited_models():
        entity = None
    entity_id = arg_id(request.args, "id")
    before = arg_id(request.args, "voor")
    events = services.history(trajectory, entity=entity, entity_id=entity_id, before=before)
    return render_template(
        "trajectories/history.html",
        trajectory=trajectory,
        events=events,
        entity=entity,
        entity_id=entity_id,
        more=len(events) == services.HISTORY_PAGE,
        members={m.id: m.user.name for m in trajectory.memberships},
    )


# --- my work --------------------------------------------------------------------------------


@bp.route("/mijn-werk")
@login_required
def my_work():
    include_done = request.args.get("alles") == "1"
    items = services.my_items(current_user, include_done=include_done)
    my_actions = action_lists.filtered_actions(
        current_user, action_lists.ActionFilter(owner_user_id=current_user.id)
    )
    if not include_done:
        my_actions = [a for a in my_actions if a.is_open]
    return render_template(
        "trajectories/my_work.html",
        items=items,
        actions=my_actions,
        include_done=include_done,
        today=date.today(),
    )
