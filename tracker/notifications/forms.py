"""The notification settings: per kind a select of the modes that kind allows."""

from __future__ import annotations

from tracker.forms import BaseForm, ChoiceField, required
from tracker.models import NotificationKind, NotificationMode
from tracker.models.enums import choices


def _field(kind: NotificationKind) -> ChoiceField:
    return ChoiceField(
        kind.lazy_label, choices=choices(NotificationMode, kind.modes), validators=[required()]
    )


class NotificationSettingsForm(BaseForm):
    assignment = _field(NotificationKind.ASSIGNMENT)
    round_opened = _field(NotificationKind.ROUND_OPENED)
    due_work = _field(NotificationKind.DUE_WORK)

    def load(self, chosen: dict[NotificationKind, NotificationMode]) -> None:
        for kind, mode in chosen.items():
            self[kind.value].data = mode.value

    def to_values(self) -> dict[NotificationKind, NotificationMode]:
        return {kind: NotificationMode(self[kind.value].data) for kind in NotificationKind}
