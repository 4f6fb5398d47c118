"""The start reflection form: a movement and a note per aspect."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import Form, FormField, HiddenField, TextAreaField
from wtforms.validators import Optional

from tracker.forms import BaseForm, BoundedFieldList, ChoiceField, max_length
from tracker.models.enums import Movement, choices
from tracker.reflection.services import AspectEntry

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

    def to_entries(self) -> list[AspectEntry]:
        return [
            AspectEntry(
                aspect_key=entry.get("aspect_key") or "",
                version=entry.get("version") or "",
                movement=Movement(entry["movement"]) if entry.get("movement") else None,
                note=entry.get("note") or "",
            )
            for entry in self.aspects.data
        ]
