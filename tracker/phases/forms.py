from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, TextAreaField
from wtforms.validators import Optional

from tracker.forms import BaseForm, ChoiceField, DutchDateField, max_length, required
from tracker.models.enums import ItemStatus, Layer, choices


class ItemFieldsMixin:
    status = ChoiceField(_l("Status"), choices=choices(ItemStatus), validators=[required()])
    owner_id = ChoiceField(_l("Owner"), validators=[Optional()])
    accountable_layer = ChoiceField(
        _l("Accountable layer"), choices=[("", _l("No layer"))] + choices(Layer), validators=[Optional()]
    )
    due_date = DutchDateField(_l("Due date"), validators=[Optional()])
    answer = TextAreaField(_l("Answer"), validators=[Optional(), max_length(20000)])


class ItemForm(ItemFieldsMixin, BaseForm):
    version = HiddenField()
    text = TextAreaField(_l("Question or point of attention"), validators=[Optional(), max_length(2000)])


class NewItemForm(ItemFieldsMixin, BaseForm):
    text = TextAreaField(_l("Question or point of attention"), validators=[required(), max_length(2000)])
