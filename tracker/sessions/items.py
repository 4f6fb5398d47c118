"""Changing or removing a shared ambition or a joint step a session has added, as long as the
session is not yet put into the work (then it is refused and nothing changes)."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from tracker.access import can_edit, get_in_trajectory_or_404, rule
from tracker.extensions import db
from tracker.forms import BaseForm, ErrorItem, chosen_member, member_choices, redisplay_on_csrf_failure
from tracker.models import Trajectory, Workshop, WorkshopAmbition, WorkshopJointStep
from tracker.sessions import forms, services
from tracker.sessions.blueprint import bp
from tracker.sessions.messages import refusal
from tracker.sessions.services import SessionError

SESSION = "/trajecten/<id:trajectory_id>/werksessies/<id:workshop_id>/sessie"
AMBITION = SESSION + "/ambities/<id:shared_id>"
JOINT_STEP = SESSION + "/stappen/<id:joint_id>"


def _load(model: Any, trajectory: Trajectory, workshop_id: int, item_id: int) -> Any:
    """The session's item; one of another session or trajectory is not found."""
    item = get_in_trajectory_or_404(model, trajectory, item_id, lambda i: i.workshop.trajectory_id)
    if item.workshop_id != workshop_id:
        abort(404)
    return item


def _back(trajectory: Trajectory, workshop: Workshop, anchor: str) -> str:
    return url_for("sessions.step", trajectory_id=trajectory.id, workshop_id=workshop.id, _anchor=anchor)


def _edit(trajectory: Trajectory, item: Any, form: BaseForm, save: Any, anchor: str) -> Any:
    """The small page that changes an item: saved, or shown again with the message (422)."""
    error_items: list[ErrorItem] = []
    if form.validate_on_submit():
        try:
            save()
        except SessionError as error:
            db.session.rollback()
            error_items.append(ErrorItem(None, _("Session"), refusal(error)))
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(_back(trajectory, item.workshop, anchor))
    status = 422 if form.is_submitted() else 200
    page = render_template(
        "sessions/item.html",
        trajectory=trajectory,
        workshop=item.workshop,
        item=item,
        form=form,
        error_items=error_items,
        back=_back(trajectory, item.workshop, anchor),
    )
    return page, status


def _remove(trajectory: Trajectory, item: Any, anchor: str) -> Response:
    workshop = item.workshop
    if BaseForm().validate_on_submit():
        try:
            services.remove_item(item)
        except SessionError as error:
            db.session.rollback()
            flash(refusal(error), "error")
        else:
            db.session.commit()
            flash(_("Removed."), "success")
    return redirect(_back(trajectory, workshop, anchor))


@bp.route(AMBITION, methods=["GET", "POST"])
@rule(read=can_edit, write=can_edit)
@redisplay_on_csrf_failure
def edit_ambition(trajectory: Trajectory, workshop_id: int, shared_id: int):
    shared = _load(WorkshopAmbition, trajectory, workshop_id, shared_id)
    form = forms.AmbitionTitleForm(title=shared.title)
    return _edit(
        trajectory, shared, form, lambda: services.edit_ambition(shared, form.title.data), "ambities"
    )


@bp.route(AMBITION + "/verwijderen", methods=["POST"])
@rule(read=can_edit, write=can_edit)
def remove_ambition(trajectory: Trajectory, workshop_id: int, shared_id: int):
    return _remove(trajectory, _load(WorkshopAmbition, trajectory, workshop_id, shared_id), "ambities")


@bp.route(JOINT_STEP, methods=["GET", "POST"])
@rule(read=can_edit, write=can_edit)
@redisplay_on_csrf_failure
def edit_joint_step(trajectory: Trajectory, workshop_id: int, joint_id: int):
    joint = _load(WorkshopJointStep, trajectory, workshop_id, joint_id)
    form = forms.JointStepForm(title=joint.title, owner_id=str(joint.owner_id or ""), due_date=joint.due_date)
    form.owner_id.choices = member_choices(trajectory)  # type: ignore[attr-defined]

    def save() -> None:
        owner = chosen_member(trajectory, form.owner_id.data)
        assert owner is not None  # a validated choice
        services.edit_joint_step(joint, form.title.data, owner, form.due_date.data)

    return _edit(trajectory, joint, form, save, "gezamenlijke-stappen")


@bp.route(JOINT_STEP + "/verwijderen", methods=["POST"])
@rule(read=can_edit, write=can_edit)
def remove_joint_step(trajectory: Trajectory, workshop_id: int, joint_id: int):
    return _remove(
        trajectory, _load(WorkshopJointStep, trajectory, workshop_id, joint_id), "gezamenlijke-stappen"
    )
