"""The API's records as marshmallow schemas: they turn models into JSON and describe that JSON
in the OpenAPI document (through apispec). Enum fields list their values; dates are ISO 8601."""

from __future__ import annotations

from marshmallow import Schema, fields

from tracker.models import (
    ActionStatus,
    DecisionKind,
    DecisionOutcome,
    ItemStatus,
    Layer,
    PdcaStage,
    PlanKind,
    PlanStatus,
    Role,
    TrajectoryStatus,
)

Id = fields.Integer
Text = fields.String


def enum(cls, **kwargs):
    return fields.Enum(cls, by_value=True, **kwargs)


class MemberSchema(Schema):
    id = Id(metadata={"description": "The membership's id (owners refer to it)"})
    user_id = Id()
    name = Text(attribute="user.name")
    organisation = Text(attribute="organisation.name")
    layer = enum(Layer)
    role = enum(Role)


class PhaseProgressSchema(Schema):
    number = Id()
    applicable = Id(metadata={"description": "Items that apply (not 'not applicable')"})
    done = Id()
    in_progress = Id()
    overdue = Id()
    percent = Id()
    state = Text(metadata={"enum": ["not_started", "in_progress", "done"]})
    planned_start = fields.Date(allow_none=True)
    target_date = fields.Date(allow_none=True)
    behind = fields.Boolean()


class DecisionSchema(Schema):
    id = Id()
    kind = enum(DecisionKind)
    outcome = enum(DecisionOutcome)
    rationale = Text()
    decided_on = fields.Date()
    decided_by = Text()


class TrajectorySchema(Schema):
    id = Id()
    name = Text()
    theme = Text()
    area = Text()
    focus_layer = enum(Layer)
    status = enum(TrajectoryStatus)
    start_date = fields.Date()
    version = Id()


class TrajectoryDetailSchema(TrajectorySchema):
    target_groups = Text()
    members = fields.List(fields.Nested(MemberSchema), attribute="memberships")
    phases = fields.List(fields.Nested(PhaseProgressSchema))
    decisions = fields.List(fields.Nested(DecisionSchema), metadata={"description": "Newest first"})


class ItemSchema(Schema):
    id = Id()
    phase = Id(attribute="section.phase.number")
    section = Text(attribute="section.code")
    text = Text()
    is_custom = fields.Boolean()
    status = enum(ItemStatus)
    owner_id = Id(allow_none=True, metadata={"description": "Membership id of the owner"})
    owner_name = Text(attribute="owner.user.name", allow_none=True)
    accountable_layer = enum(Layer, allow_none=True)
    due_date = fields.Date(allow_none=True)
    answer = Text()
    archived = fields.Function(lambda item: item.archived_at is not None, metadata={"type": "boolean"})
    version = Id()


class ItemChangeSchema(Schema):
    """What a PATCH of a checklist item may set; fields left out keep their value."""

    status = enum(ItemStatus)
    owner_id = Id(allow_none=True)
    accountable_layer = enum(Layer, allow_none=True)
    due_date = fields.Date(allow_none=True)
    answer = Text(metadata={"maxLength": 20000})
    text = Text(metadata={"description": "Only for the trajectory's own items", "maxLength": 2000})


class ActionSchema(Schema):
    id = Id()
    plan_id = Id()
    cycle_id = Id()
    title = Text()
    description = Text()
    owner_id = Id(allow_none=True, metadata={"description": "Membership id of the owner"})
    owner_name = Text(attribute="owner.user.name", allow_none=True)
    layer = enum(Layer, attribute="owner.layer", allow_none=True)
    status = enum(ActionStatus)
    stage = enum(PdcaStage)
    due_date = fields.Date(allow_none=True)
    milestone_id = Id(allow_none=True)
    objective_id = Id(allow_none=True)
    result = Text()
    version = Id()


class ActionChangeSchema(Schema):
    """What a PATCH of an action may set; fields left out keep their value. ``title`` and
    ``owner_id`` are required on POST."""

    plan_id = Id()
    title = Text(metadata={"maxLength": 300})
    description = Text(metadata={"maxLength": 10000})
    owner_id = Id()
    status = enum(ActionStatus)
    stage = enum(PdcaStage)
    due_date = fields.Date(allow_none=True)
    milestone_id = Id(allow_none=True)
    objective_id = Id(allow_none=True)
    result = Text(metadata={"maxLength": 10000})


class CycleSchema(Schema):
    id = Id()
    number = Id()
    start_date = fields.Date()
    end_date = fields.Date()
    stage = enum(PdcaStage)
    closed = fields.Function(lambda cycle: cycle.closed_at is not None, metadata={"type": "boolean"})


class MilestoneSchema(Schema):
    id = Id()
    plan_id = Id()
    title = Text()
    target_date = fields.Date()
    expected_result = Text()
    achieved_on = fields.Date(allow_none=True)
    actual_result = Text()
    version = Id()


class PlanSchema(Schema):
    id = Id()
    kind = enum(PlanKind)
    title = Text()
    status = enum(PlanStatus)
    purpose = Text()
    organisation = Text(attribute="organisation.name", allow_none=True)
    responsible_id = Id(allow_none=True)
    cycles = fields.List(fields.Nested(CycleSchema))
    version = Id()


class AgreementSchema(Schema):
    id = Id()
    text = Text()
    owner_id = Id(allow_none=True)
    due_date = fields.Date()
    action_id = Id(allow_none=True)


class MeetingSchema(Schema):
    id = Id()
    held_on = fields.Date()
    place = Text()
    purpose = Text()
    notes = Text()
    agreements = fields.List(fields.Nested(AgreementSchema))
    version = Id()


class ObjectiveSchema(Schema):
    id = Id()
    text = Text()


class AmbitionSchema(Schema):
    id = Id()
    title = Text()
    result_kind = Text()
    result = Text()
    active = fields.Boolean()
    objectives = fields.List(fields.Nested(ObjectiveSchema))
    version = Id()


class CountsSchema(Schema):
    groen = Id()
    oranje = Id()
    rood = Id()


class GroupCountsSchema(CountsSchema):
    group = Text(metadata={"description": "A layer, or an organisation's name"})


class CommentSchema(Schema):
    who = Text(allow_none=True, metadata={"description": "Never given in anonymous rounds"})
    text = Text()


class FactorResultSchema(Schema):
    key = Text()
    title = Text()
    counts = fields.Nested(CountsSchema)
    score = fields.Float(allow_none=True)
    band = Text()
    disagreement = fields.Boolean()
    by_layer = fields.List(fields.Nested(GroupCountsSchema))
    by_organisation = fields.List(fields.Nested(GroupCountsSchema))
    comments = fields.List(fields.Nested(CommentSchema))


class RoundSchema(Schema):
    id = Id()
    name = Text()
    framework = Text()
    opens_on = fields.Date()
    closes_on = fields.Date()
    anonymous = fields.Boolean()
    state = Text(metadata={"enum": ["gepland", "open", "gesloten"]})


class RoundDetailSchema(RoundSchema):
    results = fields.List(
        fields.Nested(FactorResultSchema),
        allow_none=True,
        metadata={"description": "Only once the round has closed; null before"},
    )


class ProblemSchema(Schema):
    type = Text()
    title = Text()
    status = Id()
    detail = Text()
    errors = fields.Dict(
        keys=Text(), values=fields.List(Text()), metadata={"description": "422: the messages per field"}
    )
    current = fields.Dict(metadata={"description": "409: the current record"})
