"""The schedule form, and reading the cards of a ballot from the voting page."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, IntegerField, SelectMultipleField
from wtforms.validators import InputRequired, NumberRange, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from tracker.content import frameworks
from tracker.evaluations.schedules import ScheduleSettings, validate_schedule
from tracker.evaluations.voting import Cards
from tracker.evaluations.wording import factor_heading
from tracker.forms import REQUIRED, BaseForm, ChoiceField, DutchDateField, ErrorItem, required, required_input
from tracker.models import Cadence, Color
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

    def to_settings(self) -> ScheduleSettings:
        return ScheduleSettings(
            framework=self.framework.data,
            cadence=Cadence(self.cadence.data),
            first_date=self.first_date.data,
            open_days=self.open_days.data,
            remind_days_before=self.remind_days_before.data,
            layers=[Layer(value) for value in self.layers.data or []],
            anonymous=bool(self.anonymous.data),
        )

    def validate_open_days(self, field):
        if field.data is None or self.cadence.data not in {c.value for c in Cadence}:
            return
        problem = validate_schedule(Cadence(self.cadence.data), field.data, self.remind_days_before.data or 0)
        if problem == "overlap":
            raise ValidationError(_l("A round must close before the next one opens; choose fewer days."))

    def validate_remind_days_before(self, field):
        if field.data is not None and self.open_days.data and field.data >= self.open_days.data:
            raise ValidationError(_l("The reminder must fall while the round is open."))


COLORS = {color.value: color for color in (Color.GROEN, Color.ORANJE, Color.ROOD)}
MAX_COMMENT = 2000


@dataclass
class CardsInput:
    """The cards read from the voting page: what is valid, the problems per factor, and what was
    typed (to show the page again)."""

    cards: Cards = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    values: dict[str, tuple[str, str]] = field(default_factory=dict)

    def error_items(self, factors: list[dict[str, Any]], framework: str) -> list[ErrorItem]:
        """The error summary of the ballot: each factor still without a valid card, by the number
        its document gives it and its title, linking to its first colour."""
        return [
            ErrorItem(f"kleur-{f['key']}-groen", factor_heading(framework, f), self.errors[f["key"]])
            for f in factors
            if f["key"] in self.errors
        ]


def read_cards(factors: list[dict[str, Any]], formdata) -> CardsInput:
    """A colour and a comment per factor of the round (``kleur-<key>``, ``toelichting-<key>``)."""
    read = CardsInput()
    for factor in factors:
        key = factor["key"]
        color = formdata.get(f"kleur-{key}", "")
        comment = (formdata.get(f"toelichting-{key}", "") or "").strip()
        read.values[key] = (color, comment)
        if color not in COLORS:
            read.errors[key] = _("Choose green, orange or red.")
        elif len(comment) > MAX_COMMENT or "\x00" in comment:
            read.errors[key] = _("The comment is too long or contains characters that are not allowed.")
        else:
            read.cards[key] = (COLORS[color], comment)
    return read
