"""Labels for the audit trail: field names and actions as users read them."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

FIELD_LABELS = {
    "answer": _l("Answer"),
    "status": _l("Status"),
    "owner_id": _l("Owner"),
    "accountable_layer": _l("Accountable layer"),
    "due_date": _l("Due date"),
    "archived_at": _l("Archived"),
    "position": _l("Position"),
    "text": _l("Question or point of attention"),
    "name": _l("Name"),
    "theme": _l("Theme"),
    "target_groups": _l("Target group(s)"),
    "area": _l("Area"),
    "coordinator_id": _l("Coordinator"),
    "focus_layer": _l("Centre of gravity"),
    "start_date": _l("Start date"),
    "layer": _l("Layer"),
    "role": _l("Role"),
    "organisation_id": _l("Organisation"),
    "user_id": _l("User"),
    "movement": _l("How far are we in motion?"),
    "note": _l("Reflection"),
    "outcome": _l("Decision"),
    "rationale": _l("Rationale"),
    "email": _l("Email address"),
    "expires_at": _l("Valid until"),
    "accepted_at": _l("Accepted"),
    "revoked_at": _l("Revoked"),
    "token_hash": _l("Invitation link"),
    "invited_by_id": _l("Invited by"),
}

ACTION_LABELS = {
    "create": _l("created"),
    "update": _l("changed"),
    "archive": _l("archived"),
    "restore": _l("restored"),
    "delete": _l("removed"),
}

ENTITY_LABELS = {
    "Trajectory": _l("Trajectory"),
    "Membership": _l("Member"),
    "ChecklistItem": _l("Item"),
    "Decision": _l("Decision"),
    "StartReflection": _l("Start reflection"),
    "Invitation": _l("Invitation"),
}
