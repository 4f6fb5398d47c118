"""The phase pages: checklists with owners, layers, statuses, due dates and answers."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from tracker.access import can_edit, get_in_trajectory_or_404, get_item_or_404, rule, trajectory_blueprint
from tracker.actions.services import actions_from_item
from tracker.concurrency import commit_or_conflict, save_unless_stale
from tracker.content import handreiking, phase_tools, tabel1_for_phase
from tracker.extensions import db
from tracker.forms import redisplay_on_csrf_failure
from tracker.models import ChecklistItem, DecisionKind, Section, Trajectory
from tracker.navigation import pages
from tracker.phases import services
from tracker.phases.forms import ItemForm, NewItemForm
from tracker.trajectories.services import current_decisions, progress_for

bp = trajectory_blueprint("phases", __name__)


def _owner_choices(trajectory) -> list[tuple[str, str]]:
    return [("", _("No owner"))] + [(str(m.id), m.display_name) for m in trajectory.memberships]


def _phase_url(item: ChecklistItem) -> str:
    return url_for(
        "phases.phase",
        trajectory_id=item.trajectory_id,
        number=item.section.phase.number,
        _anchor=f"item-{item.id}",
    )


@bp.route("/trajecten/<id:trajectory_id>/fasen/<id:number>")
@rule()
def phase(trajectory: Trajectory, number: int):
    phase = services.phase_with_items(trajectory, number) or abort(404)
    new_forms = {}
    for section in phase.sections:
        form = NewItemForm(prefix=f"new-{section.id}", formdata=None)
        form.owner_id.choices = _owner_choices(trajectory)
        new_forms[section.id] = form
    return render_template(
        "phases/phase.html",
        trajectory=trajectory,
        phase=phase,
        progress=progress_for([trajectory.id])[trajectory.id].phase(number),
        guidance=tabel1_for_phase(number),
        tools=pages(phase_tools().get(number, [])),
        decisions=current_decisions(trajectory),
        new_forms=new_forms,
        phases=handreiking()["phases"],
        today=date.today(),
        DecisionKind=DecisionKind,
    )


@bp.route("/trajecten/<id:trajectory_id>/items/<id:item_id>", methods=["GET", "POST"])
@rule()
@redisplay_on_csrf_failure
def item_edit(trajectory: Trajectory, item_id: int):
    item = get_item_or_404(trajectory, item_id)
    form = ItemForm(obj=item)
    form.owner_id.choices = _owner_choices(trajectory)
    conflict = None
    if request.method == "GET":
        form.owner_id.data = str(item.owner_id or "")
        form.version.data = str(item.version)
    if form.validate_on_submit():
        if save_unless_stale(form, item, lambda: services.update_item(item, form.data)):
            flash(_("The item has been saved."), "success")
            return redirect(_phase_url(item))
        conflict = item
    return render_template(
        "phases/item_edit.html",
        trajectory=trajectory,
        item=item,
        form=form,
        conflict=conflict,
        actions=actions_from_item(item),
    )


@bp.route("/trajecten/<id:trajectory_id>/secties/<id:section_id>/items", methods=["POST"])
@rule(write=can_edit)
def item_new(trajectory: Trajectory, section_id: int):
    section = get_in_trajectory_or_404(Section, trajectory, section_id, lambda s: s.phase.trajectory_id)
    form = NewItemForm(prefix=f"new-{section.id}")
    form.owner_id.choices = _owner_choices(trajectory)
    if form.validate_on_submit():
        item = services.add_item(section, trajectory, form.data)
        db.session.commit()
        flash(_("The item has been added."), "success")
        return redirect(_phase_url(item))
    return render_template("phases/item_new.html", trajectory=trajectory, section=section, form=form), 422


@bp.route("/trajecten/<id:trajectory_id>/items/<id:item_id>/verplaatsen", methods=["POST"])
@rule(write=can_edit)
def item_move(trajectory: Trajectory, item_id: int):
    item = get_item_or_404(trajectory, item_id)
    direction = -1 if request.form.get("richting") == "omhoog" else 1
    if item.archived_at is None:
        with commit_or_conflict():
            services.move_item(item, direction)
    return redirect(_phase_url(item))


@bp.route("/trajecten/<id:trajectory_id>/items/<id:item_id>/archiveren", methods=["POST"])
@rule(write=can_edit)
def item_archive(trajectory: Trajectory, item_id: int):
    item = get_item_or_404(trajectory, item_id)
    url = url_for("phases.phase", trajectory_id=trajectory.id, number=item.section.phase.number)
    if item.archived_at is None:
        with commit_or_conflict() as saved:
            outcome = services.archive_or_delete(item)
        if saved.saved and outcome == "deleted":
            flash(_("The item has been removed."), "success")
        elif saved.saved:
            flash(_("The item has been archived; it can be restored below."), "success")
    return redirect(url)


@bp.route("/trajecten/<id:trajectory_id>/items/<id:item_id>/herstellen", methods=["POST"])
@rule(write=can_edit)
def item_restore(trajectory: Trajectory, item_id: int):
    item = get_item_or_404(trajectory, item_id)
    if item.archived_at is not None:
        with commit_or_conflict() as outcome:
            services.restore(item)
        if outcome.saved:
            flash(_("The item has been restored."), "success")
    return redirect(_phase_url(item))
