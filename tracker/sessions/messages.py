"""What a refused session input says to the user, per :class:`SessionError` reason."""

from __future__ import annotations

from flask_babel import gettext as _

from tracker.plans.forms import NO_PLAN
from tracker.sessions.services import SessionError


def refusal(error: SessionError) -> str:
    reason = str(error)
    messages = {
        "out_of_order": _(
            "This input belongs to another step than the one the session is at now; nothing was saved."
        ),
        "paused": _("The session is paused: resume it first. Nothing was saved."),
        "finished": _("This session has already been put into the work; nothing was changed."),
        "not_optional": _("Only a step the document marks as optional can be skipped."),
        "not_reached": _("That step has not been reached yet: take the steps in order."),
        "too_many": _("This session already has three shared ambitions, the most it can have."),
        "too_many_in_trajectory": _(
            "The trajectory cannot take these shared ambitions: it may have at most three active "
            "ambitions. Make an ambition inactive on the ambitions page first; nothing was changed."
        ),
        "no_plan": str(NO_PLAN),
        "not_a_member": _("Only members of the trajectory can add notes here."),
    }
    return messages.get(reason, _("Nothing was saved."))
