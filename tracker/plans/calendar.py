"""The personal iCalendar feed: action due dates and milestones, at a secret URL."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from icalendar import Calendar, Event
from sqlalchemy.orm import joinedload

from tracker.extensions import db
from tracker.models import OPEN_ACTION_STATUSES, Action, Membership, Milestone, Plan, User, utcnow


def feed(user: User, base_url: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//BETER SAMEN tracker//NL")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"BETER SAMEN — {user.name}")
    now = utcnow()
    actions = db.session.scalars(
        sa.select(Action)
        .join(Membership, Action.owner_id == Membership.id)
        .where(Membership.user_id == user.id, Action.archived_at.is_(None), Action.due_date.is_not(None),
               Action.status.in_(OPEN_ACTION_STATUSES))
        .options(joinedload(Action.plan).joinedload(Plan.trajectory))
    )
    for action in actions:
        event = Event()
        event.add("uid", f"action-{action.id}@beter-samen")
        event.add("dtstamp", now)
        event.add("dtstart", action.due_date)
        event.add("dtend", action.due_date + timedelta(days=1))
        event.add("summary", f"Actie: {action.title}")
        event.add("description", f"{action.plan.trajectory.name} — {action.plan.title}\n{action.description}")
        event.add("url", f"{base_url}/trajecten/{action.trajectory_id}/acties/{action.id}")
        calendar.add_component(event)
    trajectory_ids = sa.select(Membership.trajectory_id).where(Membership.user_id == user.id)
    milestones = db.session.scalars(
        sa.select(Milestone).where(Milestone.trajectory_id.in_(trajectory_ids))
        .options(joinedload(Milestone.plan).joinedload(Plan.trajectory))
    )
    for milestone in milestones:
        event = Event()
        event.add("uid", f"milestone-{milestone.id}@beter-samen")
        event.add("dtstamp", now)
        event.add("dtstart", milestone.target_date)
        event.add("dtend", milestone.target_date + timedelta(days=1))
        event.add("summary", f"Mijlpaal: {milestone.title}{' (behaald)' if milestone.achieved_on else ''}")
        event.add("description", f"{milestone.plan.trajectory.name} — {milestone.plan.title}\n"
                                 f"{milestone.expected_result}")
        calendar.add_component(event)
    from tracker.evaluations.services import planned_rounds
    from tracker.models import EvaluationSchedule

    horizon = now.date() + timedelta(days=400)
    for schedule in db.session.scalars(
        sa.select(EvaluationSchedule).where(EvaluationSchedule.trajectory_id.in_(trajectory_ids),
                                            EvaluationSchedule.active.is_(True))
        .options(joinedload(EvaluationSchedule.trajectory))
    ):
        for planned in planned_rounds(schedule, horizon):
            if planned.closes_on < now.date() - timedelta(days=400):
                continue
            event = Event()
            event.add("uid", f"round-{schedule.trajectory_id}-{planned.opens_on.isoformat()}@beter-samen")
            event.add("dtstamp", now)
            event.add("dtstart", planned.opens_on)
            event.add("dtend", planned.closes_on + timedelta(days=1))
            event.add("summary", f"Evaluatieronde {planned.name}: {schedule.trajectory.name}")
            calendar.add_component(event)
    return calendar.to_ical()
