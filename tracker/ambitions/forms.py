from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, StringField, TextAreaField

from tracker.ambitions import quality
from tracker.ambitions.services import AmbitionValues
from tracker.forms import BaseForm, ChoiceField, max_length, required
from tracker.models.enums import choices
from tracker.models.network import ResultKind


class AmbitionForm(BaseForm):
    version = HiddenField()
    title = StringField(_l("Shared ambition"), validators=[required(), max_length(300)])
    result_kind = ChoiceField(
        _l("The result for children and youth is"), choices=choices(ResultKind), validators=[required()]
    )
    result = TextAreaField(_l("The result for children and youth"), validators=[required(), max_length(5000)])
    active = BooleanField(_l("Active"), default=True)
    confirm_why = quality.confirm_field()

    def why_words(self) -> list[str]:
        """What to ask "waarom?" about before saving (Kwaliteitskompas)."""
        return quality.why_prompt(
            f"{self.title.data or ''}\n{self.result.data or ''}", bool(self.confirm_why.data)
        )

    def to_values(self) -> AmbitionValues:
        return AmbitionValues(
            title=self.title.data,
            result_kind=ResultKind(self.result_kind.data),
            result=self.result.data,
            active=self.active.data,
        )


class ObjectiveForm(BaseForm):
    text = TextAreaField(_l("Concrete objective"), validators=[required(), max_length(2000)])
