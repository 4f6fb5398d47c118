from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, IntegerField, StringField, TextAreaField
from wtforms.validators import NumberRange, Optional

from tracker.evaluations.forms import MultiCheckboxField
from tracker.forms import BaseForm, ChoiceField, DutchDateField, max_length, required, required_input
from tracker.models.enums import choices
from tracker.models.network import Perception, Relation, ResultKind
from tracker.models.workshop import NoteCategory


class PartnerForm(BaseForm):
    version = HiddenField()
    organisation_id = ChoiceField(_l("Organisation"), validators=[required()])
    contribution = TextAreaField(
        _l("Current contribution for the target group"), validators=[Optional(), max_length(5000)]
    )
    ambition = TextAreaField(_l("Ambition for the target group"), validators=[Optional(), max_length(5000)])
    perception = ChoiceField(
        _l("Shares the problem perception"),
        choices=[("", _l("Not known yet"))] + choices(Perception),
        validators=[Optional()],
    )
    direction = TextAreaField(
        _l("Which way it is moving (collaboration, funding, …)"), validators=[Optional(), max_length(5000)]
    )
    relation = ChoiceField(
        _l("Current relation"),
        choices=[("", _l("Not known yet"))] + choices(Relation),
        validators=[Optional()],
    )
    contact_id = ChoiceField(_l("Who in our organisation holds the contact"), validators=[Optional()])


class MeetingForm(BaseForm):
    version = HiddenField()
    held_on = DutchDateField(_l("Date"), validators=[required_input()])
    place = StringField(_l("Place"), validators=[Optional(), max_length(200)])
    purpose = TextAreaField(_l("Purpose"), validators=[required(), max_length(5000)])
    attendee_ids = MultiCheckboxField(_l("Members present"))
    guests = TextAreaField(
        _l("Guests"),
        validators=[Optional(), max_length(5000)],
        description=_l("One guest per line: name; organisation; layer (bestuur, management or uitvoerend)."),
    )
    outcome_bestuur = TextAreaField(
        _l("Outcome of the board (bestuur) group"), validators=[Optional(), max_length(10000)]
    )
    outcome_management = TextAreaField(
        _l("Outcome of the management group"), validators=[Optional(), max_length(10000)]
    )
    outcome_uitvoerend = TextAreaField(
        _l("Outcome of the professionals' group"), validators=[Optional(), max_length(10000)]
    )
    outcome_mixed = TextAreaField(
        _l("Outcome of the mixed round"), validators=[Optional(), max_length(10000)]
    )
    notes = TextAreaField(_l("Notes"), validators=[Optional(), max_length(20000)])


class AgreementForm(BaseForm):
    text = TextAreaField(_l("Working agreement"), validators=[required(), max_length(2000)])
    owner_id = ChoiceField(_l("Owner"), validators=[required()])
    due_date = DutchDateField(_l("Due date"), validators=[required_input()])


class StepForm(BaseForm):
    version = HiddenField()
    title = StringField(
        _l("Step"),
        validators=[required(), max_length(200)],
        description=_l("For example: signalering, toeleiding, hulp, nazorg."),
    )
    function = TextAreaField(
        _l("What happens in this step (the function)"), validators=[Optional(), max_length(5000)]
    )
    organisation_ids = MultiCheckboxField(_l("Which organisation(s) do it"))
    gap = BooleanField(_l("Gap (hiaat)"))
    overlap = BooleanField(_l("Overlap"))
    waiting = BooleanField(_l("Waiting time (wachttijd)"))
    handover = BooleanField(_l("Faltering handover (haperende overdracht)"))
    bottleneck = TextAreaField(_l("Description of the bottleneck"), validators=[Optional(), max_length(5000)])
    solution = TextAreaField(
        _l("What and who is needed to solve it"), validators=[Optional(), max_length(5000)]
    )


class ClientGoalsForm(BaseForm):
    version = HiddenField()
    client_goals = ChoiceField(
        _l("Do parents and children pursue the same goals as the partners?"),
        choices=[("", _l("Not known yet"))] + choices(Perception),
        validators=[Optional()],
    )
    client_goals_note = TextAreaField(_l("Explanation"), validators=[Optional(), max_length(5000)])


class AmbitionForm(BaseForm):
    version = HiddenField()
    title = StringField(_l("Shared ambition"), validators=[required(), max_length(300)])
    result_kind = ChoiceField(
        _l("The result for children and youth is"), choices=choices(ResultKind), validators=[required()]
    )
    result = TextAreaField(_l("The result for children and youth"), validators=[required(), max_length(5000)])
    active = BooleanField(_l("Active"), default=True)


class ObjectiveForm(BaseForm):
    text = TextAreaField(_l("Concrete objective"), validators=[required(), max_length(2000)])


class WorkshopForm(BaseForm):
    title = StringField(_l("Title"), validators=[required(), max_length(200)])
    held_on = DutchDateField(_l("Date"), validators=[required_input()])


class ParticipantForm(BaseForm):
    membership_id = ChoiceField(_l("Participant"), validators=[required()])
    role = StringField(_l("Role"), validators=[Optional(), max_length(200)])


class NoteForm(BaseForm):
    participant_id = ChoiceField(_l("Participant"), validators=[required()])
    category = ChoiceField(_l("Category"), choices=choices(NoteCategory), validators=[required()])
    text = TextAreaField(_l("Note"), validators=[required(), max_length(2000)])


class GradeForm(BaseForm):
    version = HiddenField()
    grade = IntegerField(
        _l("Grade for the collaboration now (1–10)"),
        validators=[Optional(), NumberRange(min=1, max=10, message=_l("A grade from 1 to 10."))],
    )
    first_step = TextAreaField(_l("First step (en nu)"), validators=[Optional(), max_length(2000)])


class PhotoForm(BaseForm):
    photo = FileField(_l("Photo of the paper sheet"))
