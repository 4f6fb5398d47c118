from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, IntegerField, SelectMultipleField
from wtforms.validators import InputRequired, NumberRange, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from tracker.content import frameworks
from tracker.evaluations.services import validate_schedule
from tracker.forms import REQUIRED, BaseForm, ChoiceField, DutchDateField, required, required_input
from tracker.models import Cadence
from tracker.models.enums import Layer, choices


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form):
        values = {str(v) for v, _ in self.choices}
        # Bounded by what the page shows: each option at most once.
        if len(self.data or []) > len(values) or any(d not in values for d in (self.data or [])):
            raise ValidationError(_l("Choose one of the options."))


class ScheduleForm(BaseForm):
    version = HiddenField()
    framework = ChoiceField(_l("Framework"), validators=[required()])
    cadence = ChoiceField(_l("Cadence"), choices=choices(Cadence), validators=[required()])
    first_date = DutchDateField(_l("First round opens on"), validators=[required_input()])
    open_days = IntegerField(
        _l("A round stays open for (days)"),
        validators=[
            InputRequired(message=REQUIRED),
            NumberRange(min=1, max=365, message=_l("Between 1 and 365 days.")),
        ],
    )
    remind_days_before = IntegerField(
        _l("Reminder, days before closing (0: none)"),
        validators=[
            InputRequired(message=REQUIRED),
            NumberRange(min=0, max=364, message=_l("Between 0 and 364 days.")),
        ],
    )
    layers = MultiCheckboxField(
        _l("Who is asked"),
        choices=choices(Layer),
        description=_l("Tick nothing to ask all members (observers never vote)."),
    )
    anonymous = BooleanField(_l("Anonymous results (nobody sees who voted what)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.framework.choices = [(k, f["title"]) for k, f in frameworks().items()]

    def validate_open_days(self, field):
        if field.data is None or self.cadence.data not in {c.value for c in Cadence}:
            return
        problem = validate_schedule(Cadence(self.cadence.data), field.data, self.remind_days_before.data or 0)
        if problem == "overlap":
            raise ValidationError(_l("A round must close before the next one opens; choose fewer days."))

    def validate_remind_days_before(self, field):
        if field.data is not None and self.open_days.data and field.data >= self.open_days.data:
            raise ValidationError(_l("The reminder must fall while the round is open."))
