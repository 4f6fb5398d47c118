"""The phase pages: checklists with owners, layers, statuses, due dates and answers."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from markupsafe import Markup

from tracker.access import (
    can_edit,
    can_manage,
    get_in_trajectory_or_404,
    get_item_or_404,
    rule,
    trajectory_blueprint,
)
from tracker.actions.services import actions_from_item
from tracker.concurrency import commit_or_conflict, save_unless_stale
from tracker.content import handreiking, phase_tools, tabel1_for_phase
from tracker.extensions import db
from tracker.forms import redisplay_on_csrf_failure
from tracker.ids import parse_id
from tracker.models import ChecklistItem, DecisionKind, ItemStatus, Section, Trajectory
from tracker.navigation import pages
from tracker.pagecache import cached_page
from tracker.phases import services
from tracker.phases.forms import BulkAssignForm, ItemForm, NewItemForm, PhasePlanForm
from tracker.quick import back_to, change_status
from tracker.trajectories.services import current_decisions, progress_for

bp = trajectory_blueprint("phases", __name__)


def _owner_choices(trajectory) -> list[tuple[str, str]]:
    return [("", _("No owner"))] + [(str(m.id), m.display_name) for m in trajectory.memberships]


def translated(choices: list) -> list:
    """A select's choices with their labels translated once (markup, as a lazy label renders), for
    a page that shows the same select many times."""
    # A lazy label is our own translation catalogue's text, rendered as Jinja renders it (its
    # ``__html__``), so the page stays the same; no user input goes into these labels.
    return [
        (value, Markup(text.__html__()) if hasattr(text, "__html__") else text)  # nosec B704
        for value, text in choices
    ]


def _phase_url(item: ChecklistItem) -> str:
    return url_for(
        "phases.phase",
        trajectory_id=item.trajectory_id,
        number=item.section.phase.number,
        _anchor=f"item-{item.id}",
    )


@bp.route("/trajecten/<id:trajectory_id>/fasen/<id:number>")
@rule()
@cached_page
def phase(trajectory: Trajectory, number: int):
    phase = services.phase_with_items(trajectory, number) or abort(404)
    new_forms = {}
    owners = _owner_choices(trajectory)
    shared: dict[str, list] = {}  # each section's form offers the same options
    for section in phase.sections:
        # A new item starts open; the status select still offers its empty first option.
        form = NewItemForm(prefix=f"new-{section.id}", formdata=None, data={"status": ItemStatus.OPEN.value})
        form.owner_id.choices = owners
        for field in (form.status, form.accountable_layer):
            if field.name not in shared:
                shared[field.name] = translated(field.choices)
            field.choices = shared[field.name]
        new_forms[section.id] = form
    bulk_form = BulkAssignForm(prefix="bulk", formdata=None)
    bulk_form.prepare(trajectory)
    return render_template(
        "phases/phase.html",
        trajectory=trajectory,
        phase=phase,
        progress=progress_for([trajectory.id])[trajectory.id].phase(number),
        guidance=tabel1_for_phase(number),
        tools=pages(phase_tools().get(number, [])),
        decisions=current_decisions(trajectory),
        new_forms=new_forms,
        bulk_form=bulk_form,
        phases=handreiking()["phases"],
        today=date.today(),
        DecisionKind=DecisionKind,
    )


@bp.route("/trajecten/<id:trajectory_id>/fasen/<id:number>/planning", methods=["GET", "POST"])
@rule(read=can_manage, write=can_manage)
@redisplay_on_csrf_failure
def plan(trajectory: Trajectory, number: int):
    """The planned start and target date of one phase, for project leads."""
    phase = next((p for p in trajectory.phases if p.number == number), None) or abort(404)
    form = PhasePlanForm()
    if request.method == "GET":
        form.show(phase)
        form.version.data = str(trajectory.version)
    conflict = False
    if form.validate_on_submit():
        if save_unless_stale(
            form, trajectory, lambda: services.plan_phases(trajectory, {number: form.to_plan()})
        ):
            flash(_("The planning of phase %(n)d has been saved.", n=number), "success")
            return redirect(url_for("phases.phase", trajectory_id=trajectory.id, number=number))
        conflict = True
    return render_template(
        "phases/plan.html", trajectory=trajectory, phase=phase, form=form, conflict=conflict
    )


@bp.route("/trajecten/<id:trajectory_id>/items/<id:item_id>", methods=["GET"])
@rule()
@cached_page
def item(trajectory: Trajectory, item_id: int):
    item = get_item_or_404(trajectory, item_id)
    return render_template(
        "phases/item.html", trajectory=trajectory, item=item, actions=actions_from_item(item)
    )


@bp.route("/trajecten/<id:trajectory_id>/items/<id:item_id>", methods=["POST"])
@bp.route("/trajecten/<id:trajectory_id>/items/<id:item_id>/bewerken", methods=["GET", "POST"])
@rule(read=can_edit, write=can_edit)
@redisplay_on_csrf_failure
def item_edit(trajectory: Trajectory, item_id: int):
    """The item's form; the item's own URL still takes the posted form."""
    item = get_item_or_404(trajectory, item_id)
    form = ItemForm(obj=item)
    form.owner_id.choices = _owner_choices(trajectory)
    conflict = None
    if request.method == "GET":
        form.owner_id.data = str(item.owner_id or "")
        form.version.data = str(item.version)
    if form.validate_on_submit():
        if save_unless_stale(form, item, lambda: services.update_item(item, form.to_values(trajectory))):
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
        item = services.add_item(section, trajectory, form.to_values(trajectory))
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


@bp.route("/trajecten/<id:trajectory_id>/items/<id:item_id>/status", methods=["POST"])
@rule(write=can_edit)
def item_status(trajectory: Trajectory, item_id: int):
    """The status changed from a row of a list; back to that list, at the row."""
    item = get_item_or_404(trajectory, item_id)
    change_status(
        item,
        ItemStatus,
        lambda status: services.set_status(item, status),
        lambda: _("The item is now: %(status)s.", status=item.status.label),
    )
    return redirect(back_to(_phase_url(item), f"item-{item.id}"))


@bp.route("/trajecten/<id:trajectory_id>/fasen/<id:number>/toewijzen", methods=["POST"])
@rule(write=can_manage)
def bulk_assign(trajectory: Trajectory, number: int):
    """Owner, layer and due date for the ticked items of the phase page, in one transaction."""
    url = url_for("phases.phase", trajectory_id=trajectory.id, number=number)
    ids = [parse_id(value) for value in request.form.getlist("items")]
    if None in ids:
        abort(404)
    form = BulkAssignForm(prefix="bulk")
    form.prepare(trajectory)
    if not ids:
        flash(_("Nothing has been changed: first tick the items you want to assign."), "error")
    elif not form.validate_on_submit():
        flash(_("Nothing has been changed: choose one of the options and enter a valid date."), "error")
    elif not (assignment := form.to_assignment()).changes_anything:
        flash(_("Nothing has been changed: choose an owner, a layer or a due date."), "error")
    else:
        items = services.items_by_id(trajectory, {i for i in ids if i is not None})
        if len(items) != len(set(ids)):
            abort(404)  # an item of another trajectory, or one that does not exist
        with commit_or_conflict() as outcome:
            services.assign(items, assignment)
        if outcome.saved:
            flash(_("%(n)d items have been assigned.", n=len(items)), "success")
    return redirect(url)


@bp.route("/trajecten/<id:trajectory_id>/items/<id:item_id>/archiveren", methods=["GET", "POST"])
@rule(read=can_edit, write=can_edit)
def item_archive(trajectory: Trajectory, item_id: int):
    """First a page that says what will happen (archived, or removed for good); its confirmation
    does it."""
    item = get_item_or_404(trajectory, item_id)
    url = url_for("phases.phase", trajectory_id=trajectory.id, number=item.section.phase.number)
    if request.method == "GET" and item.archived_at is None:
        return render_template(
            "phases/item_archive.html",
            trajectory=trajectory,
            item=item,
            removes=services.removed_for_good(item),
            cancel=_phase_url(item),
        )
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
