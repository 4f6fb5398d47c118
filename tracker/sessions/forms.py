"""The forms of a guided session: one per kind of input a step collects (tracker/content/sessions.toml),
the grades and first steps of all participants in one form each, and a participant's own note."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, IntegerField, StringField, TextAreaField
from wtforms.validators import NumberRange, Optional, ValidationError

from tracker.forms import (
    REQUIRED,
    BaseForm,
    ChoiceField,
    DutchDateField,
    max_length,
    required,
    required_input,
)
from tracker.models import ResultKind, WorkshopParticipant
from tracker.models.enums import choices

GRADE_RANGE = _l("Give a grade from 1 to 10.")


class ParticipantForm(BaseForm):
    membership_id = ChoiceField(_l("Participant"), validators=[required()])
    role = StringField(_l("Role"), validators=[Optional(), max_length(200)])


class NoteForm(BaseForm):
    participant_id = ChoiceField(_l("Participant"), validators=[required()])
    text = TextAreaField(_l("Note"), validators=[required(), max_length(2000)])


class OwnNoteForm(BaseForm):
    """A participant's own note, from their phone; ``stap`` is the step the page showed."""

    stap = HiddenField()
    text = TextAreaField(_l("Your note"), validators=[required(), max_length(2000)])


class AmbitionForm(BaseForm):
    """A new shared ambition, or one the trajectory already has (``existing``: nothing new is made)."""

    existing = ChoiceField(_l("Already an ambition of the trajectory?"), validators=[Optional()])
    title = StringField(_l("Shared ambition"), validators=[max_length(300)])
    result_kind = ChoiceField(
        _l("The result for children and youth is"),
        choices=[("", "—"), *choices(ResultKind)],
        validators=[Optional()],
    )

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if not self.existing.data:
            for f in (self.title, self.result_kind):
                if not f.data and not f.errors:
                    f.errors = [str(REQUIRED)]
                    valid = False
        return valid


class AmbitionTitleForm(BaseForm):
    """Changing the words of a shared ambition already added."""

    title = StringField(_l("Shared ambition"), validators=[required(), max_length(300)])


class JointStepForm(BaseForm):
    title = StringField(_l("Joint step"), validators=[required(), max_length(300)])
    owner_id = ChoiceField(_l("Who takes it"), validators=[required()])
    due_date = DutchDateField(_l("Done by"), validators=[required_input()])


class EvaluationForm(BaseForm):
    how = TextAreaField(_l("How"), validators=[required(), max_length(2000)])
    on = DutchDateField(_l("When"), validators=[required_input()])
    owner_id = ChoiceField(_l("Who takes it up"), validators=[required()])


class FocusForm(BaseForm):
    focus = TextAreaField(
        _l("The expectations we come back to at the end"), validators=[required(), max_length(4000)]
    )


class LookBackForm(BaseForm):
    look_back = TextAreaField(
        _l("What became of the contract questions and the focus"), validators=[required(), max_length(4000)]
    )


class _PerParticipant(BaseForm):
    participants: list[WorkshopParticipant] = []


def grades_form(participants: list[WorkshopParticipant], formdata: Any) -> _PerParticipant:
    """A grade (1-10) and the answer to the follow-up question for every participant."""

    class GradesForm(_PerParticipant):
        pass

    for p in participants:
        grade = IntegerField(
            _l("Grade of %(name)s", name=p.display_name),
            default=p.grade,
            validators=[Optional(), NumberRange(min=1, max=10, message=GRADE_RANGE)],
        )
        setattr(GradesForm, f"grade_{p.id}", grade)
        setattr(
            GradesForm, f"plus_{p.id}", TextAreaField(default=p.grade_plus_one, validators=[max_length(2000)])
        )
    form = GradesForm(prefix="cijfers", formdata=formdata)
    form.participants = participants
    return form


def _due_with_step(text_field: str):
    def check(form, field) -> None:
        if form[text_field].data and field.data is None and not field.errors:
            raise ValidationError(_l("Give a due date for this step."))

    return check


def first_steps_form(participants: list[WorkshopParticipant], formdata: Any) -> _PerParticipant:
    """Every participant's own first step, with its due date (required with a step)."""

    class FirstStepsForm(_PerParticipant):
        pass

    for p in participants:
        step = TextAreaField(
            _l("First step of %(name)s", name=p.display_name),
            default=p.first_step,
            validators=[max_length(300)],
        )
        due = DutchDateField(
            _l("Due date for %(name)s", name=p.display_name),
            default=p.first_step_due,
            validators=[_due_with_step(f"step_{p.id}")],
        )
        setattr(FirstStepsForm, f"step_{p.id}", step)
        setattr(FirstStepsForm, f"due_{p.id}", due)
    form = FirstStepsForm(prefix="stappen", formdata=formdata)
    form.participants = participants
    return form


def grade_values(form: _PerParticipant) -> dict[int, tuple[int | None, str]]:
    return {p.id: (form[f"grade_{p.id}"].data, form[f"plus_{p.id}"].data or "") for p in form.participants}


def first_step_values(form: _PerParticipant) -> dict[int, tuple[str, date | None]]:
    return {p.id: (form[f"step_{p.id}"].data or "", form[f"due_{p.id}"].data) for p in form.participants}
