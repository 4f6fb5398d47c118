from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import Optional, ValidationError

from tracker.evaluations.forms import MultiCheckboxField
from tracker.forms import BaseForm, ChoiceField, DutchDateField, max_length, required, required_input
from tracker.meetings.services import MeetingError, MeetingValues, parse_guests
from tracker.models import Trajectory


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

    def validate_guests(self, field) -> None:
        try:
            parse_guests(field.data or "")
        except MeetingError:
            raise ValidationError(
                _l("Write each guest as: name; organisation; layer (bestuur, management or uitvoerend).")
            ) from None

    def to_values(self, trajectory: Trajectory) -> MeetingValues:
        present = set(self.attendee_ids.data or [])
        return MeetingValues(
            held_on=self.held_on.data,
            purpose=self.purpose.data or "",
            place=self.place.data or "",
            outcome_bestuur=self.outcome_bestuur.data or "",
            outcome_management=self.outcome_management.data or "",
            outcome_uitvoerend=self.outcome_uitvoerend.data or "",
            outcome_mixed=self.outcome_mixed.data or "",
            notes=self.notes.data or "",
            attendees=tuple(m for m in trajectory.memberships if str(m.id) in present),
            guests=parse_guests(self.guests.data or ""),
        )


class AgreementForm(BaseForm):
    text = TextAreaField(_l("Working agreement"), validators=[required(), max_length(2000)])
    owner_id = ChoiceField(_l("Owner"), validators=[required()])
    due_date = DutchDateField(_l("Due date"), validators=[required_input()])
