from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, Form, FormField, HiddenField, StringField, TextAreaField
from wtforms.validators import Optional, ValidationError

from tracker.auth.forms import email_validator
from tracker.forms import (
    BaseForm,
    BoundedFieldList,
    ChoiceField,
    DutchDateField,
    max_length,
    required,
    required_input,
)
from tracker.models.enums import (
    DecisionOutcome,
    Layer,
    Movement,
    Role,
    TrajectoryStatus,
    choices,
)


class TrajectoryForm(BaseForm):
    name = StringField(_l("Name"), validators=[required(), max_length(200)])
    theme = StringField(
        _l("Theme"),
        validators=[required(), max_length(200)],
        description=_l("For example: Preventie van pesten"),
    )
    target_groups = TextAreaField(_l("Target group(s)"), validators=[Optional(), max_length(2000)])
    area = StringField(_l("Area (municipality / neighbourhood)"), validators=[Optional(), max_length(200)])
    focus_layer = ChoiceField(
        _l("Centre of gravity of the collaboration"),
        choices=choices(Layer),
        validators=[required()],
        description=_l("The layer where the collaboration mainly takes place."),
    )
    start_date = DutchDateField(_l("Start date"), validators=[required_input()])


class TrajectoryCreateForm(TrajectoryForm):
    organisation_id = ChoiceField(_l("Your organisation"), validators=[required()])
    layer = ChoiceField(_l("Your layer"), choices=choices(Layer), validators=[required()])


class TrajectoryEditForm(TrajectoryForm):
    version = HiddenField()
    status = ChoiceField(_l("Status"), choices=choices(TrajectoryStatus), validators=[required()])
    coordinator_id = ChoiceField(_l("Coordinator"), validators=[Optional()])


class MemberAddForm(BaseForm):
    email = EmailField(
        _l("Email address"),
        validators=[required(), email_validator(), max_length(254)],
        description=_l("The person receives an invitation by email with a link to join the trajectory."),
    )
    organisation_id = ChoiceField(_l("Organisation"), validators=[required()])
    layer = ChoiceField(_l("Layer"), choices=choices(Layer), validators=[required()])
    # No role is preselected: the lead chooses one deliberately.
    role = ChoiceField(
        _l("Role in the trajectory"),
        choices=[("", _l("Choose a role")), *choices(Role)],
        validators=[required()],
    )


class MemberEditForm(BaseForm):
    version = HiddenField()
    organisation_id = ChoiceField(_l("Organisation"), validators=[required()])
    layer = ChoiceField(_l("Layer"), choices=choices(Layer), validators=[required()])
    role = ChoiceField(_l("Role in the trajectory"), choices=choices(Role), validators=[required()])


def _required_when(outcome: DecisionOutcome, message):
    def check(form, field):
        if form.outcome.data == outcome.value and not (field.data or "").strip():
            raise ValidationError(message)

    return check


class Phase1DecisionForm(BaseForm):
    outcome = ChoiceField(
        _l("Decision"),
        choices=choices(
            DecisionOutcome, [DecisionOutcome.GO, DecisionOutcome.PAUSE, DecisionOutcome.INVESTIGATE]
        ),
        validators=[required()],
    )
    rationale = TextAreaField(_l("Rationale"), validators=[required(), max_length(10000)])
    decided_by = StringField(
        _l("Decided by"),
        validators=[required(), max_length(300)],
        description=_l("Who took the decision, for example the partners' meeting."),
    )
    decided_on = DutchDateField(_l("Decided on"), validators=[required_input()])
    open_questions = TextAreaField(
        _l("Open questions to investigate first"),
        validators=[
            _required_when(
                DecisionOutcome.INVESTIGATE, _l("List the questions that must be investigated first.")
            ),
            max_length(10000),
        ],
    )
    shared_vision = TextAreaField(
        _l("Shared vision"),
        validators=[
            _required_when(DecisionOutcome.GO, _l("A go records the shared vision.")),
            max_length(10000),
        ],
    )
    shared_ambition = TextAreaField(
        _l("Shared ambition"),
        validators=[
            _required_when(DecisionOutcome.GO, _l("A go records the shared ambition.")),
            max_length(10000),
        ],
    )
    confirm_open = BooleanField(_l("Record the go although questions of phase 1 are still open"))


def _formal(message):
    return _required_when(DecisionOutcome.FORMAL, message)


class Phase4DecisionForm(BaseForm):
    outcome = ChoiceField(
        _l("Form of the collaboration"),
        choices=choices(DecisionOutcome, [DecisionOutcome.INFORMAL, DecisionOutcome.FORMAL]),
        validators=[required()],
    )
    rationale = TextAreaField(_l("Rationale"), validators=[required(), max_length(10000)])
    decided_by = StringField(_l("Decided by"), validators=[required(), max_length(300)])
    decided_on = DutchDateField(_l("Decided on"), validators=[required_input()])
    agreement_goal = TextAreaField(
        _l("Goal of the collaboration"),
        validators=[_formal(_l("A formal agreement names its goal.")), max_length(10000)],
    )
    agreement_target_groups = TextAreaField(
        _l("Target group(s)"),
        validators=[_formal(_l("A formal agreement names its target group(s).")), max_length(10000)],
    )
    agreement_consists_of = TextAreaField(
        _l("What the collaboration consists of"),
        validators=[
            _formal(_l("A formal agreement describes what the collaboration consists of.")),
            max_length(10000),
        ],
    )
    agreement_direction = TextAreaField(
        _l("Who directs the collaboration (regie)"),
        validators=[_formal(_l("A formal agreement names who directs it.")), max_length(10000)],
    )
    agreement_accountability = TextAreaField(
        _l("What partners hold each other accountable for"),
        validators=[
            _formal(_l("A formal agreement says what partners may hold each other to.")),
            max_length(10000),
        ],
    )


MAX_ASPECTS = 50


class AspectForm(Form):
    aspect_key = HiddenField()
    version = HiddenField()
    movement = ChoiceField(
        _l("How far are we in motion?"),
        choices=[("", _l("Not assessed yet")), *choices(Movement)],
    )
    note = TextAreaField(_l("Reflection"), validators=[Optional(), max_length(10000)])


class ReflectionForm(BaseForm):
    # Bounded by what the page can show: one entry per aspect (the handreiking has ten; imported
    # or older trajectories keep their own list, so leave room).
    aspects = BoundedFieldList(FormField(AspectForm), min_entries=0, max_entries=MAX_ASPECTS)
