"""The start reflection page: read by every member, filled in by those who may edit."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy.orm.exc import StaleDataError

from tracker.access import can_edit, rule, trajectory_blueprint
from tracker.content import handreiking
from tracker.extensions import db
from tracker.forms import redisplay_on_csrf_failure
from tracker.models import StartReflection, Trajectory
from tracker.models.enums import label
from tracker.reflection import services
from tracker.reflection.forms import ReflectionForm

bp = trajectory_blueprint("reflection", __name__)


def _stored_form(reflections: list[StartReflection]) -> ReflectionForm:
    return ReflectionForm(
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


def _save(trajectory: Trajectory, form: ReflectionForm) -> list[StartReflection]:
    """Save the reflection unless someone else saved an aspect meanwhile; the conflicting aspects."""
    entries = form.to_entries()
    conflicts = services.stale_reflections(trajectory, entries)
    if conflicts:
        return conflicts
    try:
        services.update_reflection(trajectory, entries)
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        return list(trajectory.reflections)
    return []


@bp.route("/trajecten/<id:trajectory_id>/startreflectie", methods=["GET"])
@rule()
def index(trajectory: Trajectory):
    return render_template(
        "reflection/index.html",
        trajectory=trajectory,
        reflections=trajectory.reflections,
        five_vs=handreiking()["five_vs"],
        intro=handreiking()["reflection"]["intro"],
    )


@bp.route("/trajecten/<id:trajectory_id>/startreflectie", methods=["POST"])
@bp.route("/trajecten/<id:trajectory_id>/startreflectie/bewerken", methods=["GET", "POST"])
@rule(read=can_edit, write=can_edit)
@redisplay_on_csrf_failure
def edit(trajectory: Trajectory):
    """The reflection's form; the page's own URL still takes the posted form."""
    reflections = trajectory.reflections
    form = ReflectionForm() if request.method == "POST" else None
    status = 200
    if form is not None and form.aspects.too_many:
        # More aspects than the page shows: refused before any of them is looked at.
        flash(_("Not saved: the form contained more aspects than the start reflection has."), "error")
        form, status = None, 400
    if form is None:
        form = _stored_form(reflections)
    conflicts: list[StartReflection] = []
    if status == 200 and form.validate_on_submit():
        conflicts = _save(trajectory, form)
        if not conflicts:
            flash(_("The start reflection has been saved."), "success")
            return redirect(url_for("reflection.index", trajectory_id=trajectory.id))
        # Keep the typed text; carry the current versions so that saving again replaces theirs.
        current = {r.aspect_key: r for r in trajectory.reflections}
        for sub in form.aspects:
            if sub.aspect_key.data in current:
                sub.version.data = str(current[sub.aspect_key.data].version)
    return render_template(
        "reflection/edit.html",
        trajectory=trajectory,
        conflicts=conflicts,
        conflict_pairs=[(r.title, " — ".join(filter(None, [label(r.movement), r.note]))) for r in conflicts],
        form=form,
        rows=list(zip(reflections, form.aspects, strict=False)),
        five_vs=handreiking()["five_vs"],
        intro=handreiking()["reflection"]["intro"],
    ), status
