"""Trajectories: the overview, starting one, its page and settings, layers, Tabel 1, export,
history, and the user's own work across trajectories."""

from __future__ import annotations

from datetime import date

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker.access import can_manage, editable_trajectory_ids, rule, signed_in, trajectory_blueprint
from tracker.actions import lists as action_lists
from tracker.admin.services import chosen_organisation, organisation_choices
from tracker.concurrency import save_unless_stale
from tracker.content import handreiking, tabel1_for_layer, tabel1_grid
from tracker.evaluations.pending import rounds_to_vote
from tracker.evaluations.schedules import next_rounds
from tracker.extensions import db
from tracker.forms import redisplay_on_csrf_failure
from tracker.ids import arg_id
from tracker.models import Layer, Trajectory, TrajectoryStatus
from tracker.models.audit import audited_models
from tracker.pagecache import cached_page
from tracker.paging import paginate
from tracker.phases.services import plan_phases
from tracker.trajectories import services, work
from tracker.trajectories.forms import TrajectoryCreateForm, TrajectoryEditForm
from tracker.trajectories.history import HistoryFilter, history_page, history_types
from tracker.trajectories.history_values import HistoryValues
from tracker.transfer import stream_trajectory

bp = trajectory_blueprint("trajectories", __name__)


@bp.route("/")
@signed_in
def home():
    return redirect(url_for("trajectories.index"))


@bp.route("/trajecten")
@signed_in
@cached_page
def index():
    trajectories = paginate(services.visible_trajectories(current_user))
    ids = [t.id for t in trajectories]
    return render_template(
        "trajectories/index.html",
        trajectories=trajectories,
        progress=services.progress_for(ids),
        decisions={t.id: services.current_decisions(t) for t in trajectories},
        actions=action_lists.summaries(ids),
        rounds=next_rounds(ids, date.today()),
        to_vote=rounds_to_vote(current_user, date.today(), ids),
        phases=handreiking()["phases"],
        today=date.today(),
    )


@bp.route("/trajecten/nieuw", methods=["GET", "POST"])
@signed_in
@redisplay_on_csrf_failure
def create():
    form = TrajectoryCreateForm()
    form.organisation_id.choices = organisation_choices()
    if request.method == "GET":
        form.start_date.data = date.today()
    if form.validate_on_submit():
        trajectory = services.create_trajectory(
            form.to_details(),
            creator=current_user,
            organisation=chosen_organisation(form.organisation_id.data),
            layer=Layer(form.layer.data),
        )
        db.session.commit()
        flash(_("Trajectory %(name)s has been started.", name=trajectory.name), "success")
        return redirect(url_for("trajectories.detail", trajectory_id=trajectory.id))
    return render_template("trajectories/create.html", form=form)


@bp.route("/trajecten/<id:trajectory_id>")
@rule()
@cached_page
def detail(trajectory: Trajectory):
    progress = services.progress_for([trajectory.id])[trajectory.id]
    return render_template(
        "trajectories/detail.html",
        trajectory=trajectory,
        progress=progress,
        decisions=services.current_decisions(trajectory),
        ownership=services.ownership_by_layer(trajectory),
        to_vote=rounds_to_vote(current_user, date.today(), [trajectory.id]),
        phases=handreiking()["phases"],
        layers=list(Layer),
    )


@bp.route("/trajecten/<id:trajectory_id>/bewerken", methods=["GET", "POST"])
@rule(read=can_manage, write=can_manage)
@redisplay_on_csrf_failure
def edit(trajectory: Trajectory):
    form = TrajectoryEditForm(obj=trajectory)
    form.coordinator_id.choices = [("", _("No coordinator"))] + [
        (str(m.user_id), m.display_name) for m in trajectory.memberships
    ]
    if request.method == "GET":
        form.coordinator_id.data = str(trajectory.coordinator_id or "")
        form.show_plans(trajectory)
    conflict = False
    if form.validate_on_submit():

        def apply():
            services.update_trajectory(
                trajectory, form.to_details(), TrajectoryStatus(form.status.data), form.coordinator_user_id()
            )
            plan_phases(trajectory, form.phase_plans())

        if save_unless_stale(form, trajectory, apply):
            flash(_("The trajectory has been saved."), "success")
            return redirect(url_for("trajectories.detail", trajectory_id=trajectory.id))
        conflict = True
    return render_template("trajectories/edit.html", form=form, trajectory=trajectory, conflict=conflict)


# --- layers ---------------------------------------------------------------------------------


@bp.route("/trajecten/<id:trajectory_id>/lagen/<layer>")
@rule()
@cached_page
def layer_view(trajectory: Trajectory, layer: str):
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
@rule()
@cached_page
def tabel1(trajectory: Trajectory):
    return render_template(
        "trajectories/tabel1.html",
        trajectory=trajectory,
        grid=tabel1_grid(),
        columns=handreiking()["tabel1"]["columns"],
        caption=handreiking()["tabel1"]["caption"],
    )


# --- export ---------------------------------------------------------------------------------


@bp.route("/trajecten/<id:trajectory_id>/export.json")
@rule()
def export(trajectory: Trajectory):
    # Written to a spooled file while the database is read, then sent from it in chunks.
    response = current_app.response_class(stream_trajectory(trajectory), mimetype="application/json")
    response.headers["Content-Disposition"] = f'attachment; filename="traject-{trajectory.id}.json"'
    return response


# --- history --------------------------------------------------------------------------------


@bp.route("/trajecten/<id:trajectory_id>/geschiedenis")
@rule()
@cached_page
def history(trajectory: Trajectory):
    entity = request.args.get("soort")
    chosen = HistoryFilter(
        entity=entity if entity in audited_models() else None,
        entity_id=arg_id(request.args, "id"),
        before=arg_id(request.args, "voor"),
        after=arg_id(request.args, "na"),
    )
    page = history_page(trajectory, chosen)
    return render_template(
        "trajectories/history.html",
        trajectory=trajectory,
        page=page,
        chosen=chosen,
        types=history_types(trajectory, chosen.entity),
        values=HistoryValues(page.events),
    )


# --- my work --------------------------------------------------------------------------------


@bp.route("/mijn-werk")
@signed_in
@cached_page
def my_work():
    include_done = request.args.get("alles") == "1"
    today = date.today()
    return render_template(
        "trajectories/my_work.html",
        work=work.my_work(current_user, include_done=include_done, today=today),
        include_done=include_done,
        today=today,
        editable=editable_trajectory_ids(current_user),
        to_vote=rounds_to_vote(current_user, date.today()),
    )
