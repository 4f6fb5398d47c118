"""Shared ambitions (at most three active) and their concrete objectives."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from tracker.access import can_edit, get_in_trajectory_or_404, rule, trajectory_blueprint
from tracker.ambitions import quality, services
from tracker.ambitions.forms import AmbitionForm, ObjectiveForm
from tracker.concurrency import save_unless_stale
from tracker.content import kwaliteitskompas
from tracker.extensions import db
from tracker.forms import redisplay_on_csrf_failure
from tracker.models import Ambition, Trajectory

bp = trajectory_blueprint("ambitions", __name__)
bp.add_app_template_global(kwaliteitskompas, "kwaliteitskompas")
bp.add_app_template_global(quality.system_words, "ambition_system_words")


@bp.route("/trajecten/<id:trajectory_id>/ambities", methods=["GET", "POST"])
@bp.route("/trajecten/<id:trajectory_id>/ambities/<id:ambition_id>", methods=["GET"])
@rule()
@redisplay_on_csrf_failure
def ambitions(trajectory: Trajectory, ambition_id: int | None = None):
    """The shared ambitions to read; an ambition's own URL shows the same page, and the page's URL
    still takes a posted new ambition."""
    if ambition_id is not None:
        get_in_trajectory_or_404(Ambition, trajectory, ambition_id)
    if request.method == "POST":
        return _ambition_form(trajectory, None)
    return render_template(
        "ambitions/ambitions.html",
        trajectory=trajectory,
        ambitions=services.ambitions_of(trajectory),
        actions=services.actions_by_objective(trajectory),
    )


@bp.route("/trajecten/<id:trajectory_id>/ambities/<id:ambition_id>", methods=["POST"])
@bp.route("/trajecten/<id:trajectory_id>/ambities/nieuw", methods=["GET", "POST"])
@bp.route("/trajecten/<id:trajectory_id>/ambities/<id:ambition_id>/bewerken", methods=["GET", "POST"])
@rule(read=can_edit, write=can_edit)
@redisplay_on_csrf_failure
def ambition_edit(trajectory: Trajectory, ambition_id: int | None = None):
    """Add an ambition, or change one and add its objectives; its own URL still takes both forms."""
    ambition = get_in_trajectory_or_404(Ambition, trajectory, ambition_id) if ambition_id else None
    return _ambition_form(trajectory, ambition)


def _ambition_form(trajectory: Trajectory, ambition: Ambition | None):
    form = AmbitionForm(obj=ambition)
    if request.method == "GET" and ambition is None:
        form.active.data = True
    objective_form = ObjectiveForm(prefix="doel")
    if request.method == "POST" and ambition is not None and "doel-text" in request.form:
        if objective_form.validate_on_submit():
            services.add_objective(ambition, objective_form.text.data)
            db.session.commit()
            flash(_("The objective has been added."), "success")
            return redirect(
                url_for("ambitions.ambitions", trajectory_id=trajectory.id, _anchor=f"ambitie-{ambition.id}")
            )
    elif form.validate_on_submit() and not form.why_words():
        try:
            saved = save_unless_stale(
                form, ambition, lambda: services.save_ambition(trajectory, ambition, form.to_values())
            )
        except services.AmbitionError:
            db.session.rollback()
            form.title.errors.append(
                _("A trajectory has at most three active shared ambitions. Make one inactive first.")
            )
        else:
            if saved:
                flash(_("The shared ambition has been saved."), "success")
                return redirect(url_for("ambitions.ambitions", trajectory_id=trajectory.id))
            flash(_("Someone else saved this ambition in the meantime; your input is kept below."), "error")
    return render_template(
        "ambitions/ambition_form.html",
        trajectory=trajectory,
        form=form,
        why=form.why_words() if request.method == "POST" and "doel-text" not in request.form else [],
        ambition=ambition,
        objective_form=ObjectiveForm(prefix="doel", formdata=None) if ambition is None else objective_form,
    )
