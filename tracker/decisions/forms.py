"""The decision forms of phase 1 (go / no-go) and phase 4 (form of the collaboration)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import ValidationError

from tracker.ambitions import quality
from tracker.decisions.services import TEXT_FIELDS, DecisionDraft
from tracker.forms import BaseForm, ChoiceField, DutchDateField, max_length, required, required_input
from tracker.models.enums import DecisionOutcome, choices


def _required_when(outcome: DecisionOutcome, message):
    def check(form, field):
        if form.outcome.data == outcome.value and not (field.data or "").strip():
            raise ValidationError(message)

    return check


class DecisionForm(BaseForm):
    """What both kinds of decision share; the subclasses add the texts their kind asks."""

    def to_draft(self) -> DecisionDraft:
        return DecisionDraft(
            outcome=DecisionOutcome(self["outcome"].data),
            decided_on=self["decided_on"].data,
            **{name: self[name].data or "" for name in TEXT_FIELDS if name in self},
        )

    def why_words(self) -> list[str]:
        """What to ask "waarom?" about before recording (only the phase-1 go records an ambition)."""
        return []


class Phase1DecisionForm(DecisionForm):
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
    confirm_why = quality.confirm_field()

    def why_words(self) -> list[str]:
        """The shared ambition of a go gets the same question as every ambition (Kwaliteitskompas)."""
        if self.outcome.data != DecisionOutcome.GO.value:
            return []
        return quality.why_prompt(self.shared_ambition.data or "", bool(self.confirm_why.data))


def _formal(message):
    return _required_when(DecisionOutcome.FORMAL, message)


class Phase4DecisionForm(DecisionForm):
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
