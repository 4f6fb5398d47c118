from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import HiddenField, IntegerField, StringField, TextAreaField
from wtforms.validators import NumberRange, Optional

from tracker.forms import BaseForm, ChoiceField, DutchDateField, max_length, required, required_input
from tracker.models.enums import choices
from tracker.models.workshop import Instrument, NoteCategory


class WorkshopForm(BaseForm):
    """A new session: which document guides it, a title (the document's name when left empty), the date."""

    instrument = ChoiceField(_l("Guided by"), choices=choices(Instrument), validators=[required()])
    title = StringField(_l("Title"), validators=[Optional(), max_length(200)])
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
