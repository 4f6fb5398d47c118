"""The personal iCalendar feed: action due dates and milestones, at a secret URL, streamed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from tracker.evaluations.schedules import planned_rounds
from tracker.extensions import db
from tracker.models import (
    OPEN_ACTION_STATUSES,
    Action,
    EvaluationSchedule,
    Meeting,
    Membership,
    Milestone,
    Plan,
    User,
    utcnow,
)
from tracker.textsafe import clean_text, installation_host

if TYPE_CHECKING:
    from icalendar import Event


def _event(uid: str, stamp, start, end, summary: str, description: str = "", url: str = "") -> Event:
    """An all-day event from ``start`` up to (not including) ``end``. The UID carries this
    installation's host, so events of two installations never collide in one calendar; text
    loses the control characters RFC 5545 does not allow."""
    # Imported where used: only the feed needs icalendar, not every worker at start.
    from icalendar import Event

    event = Event()
    event.add("uid", f"{uid}@{installation_host(current_app.config)}")
    event.add("dtstamp", stamp)
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", clean_text(summary))
    description = clean_text(description)
    if description:
        event.add("description", description)
    if url:
        event.add("url", url)
    return event


def feed(user: User, base_url: str) -> Iterator[bytes]:
    """The feed in the user's language (it is fetched without a login, so not the request's),
    written event by event while it is sent: the calendar's header, each event, its end."""
    from icalendar import Calendar

    with force_locale(user.locale or current_app.config.get("BABEL_DEFAULT_LOCALE") or "nl"):
        calendar = Calendar()
        calendar.add("prodid", "-//BETER SAMEN tracker//NL")
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("x-wr-calname", clean_text(f"BETER SAMEN — {user.name}"))
        head, _end = calendar.to_ical().split(b"END:VCALENDAR")
        yield head
        now = utcnow()
        trajectory_ids = sa.select(Membership.trajectory_id).where(Membership.user_id == user.id)
        for events in (
            _actions(user, now, base_url),
            _milestones(trajectory_ids, now),
            _meetings(trajectory_ids, now),
            _rounds(trajectory_ids, now),
        ):
            for event in events:
                yield event.to_ical()
        yield b"END:VCALENDAR\r\n"


def _actions(user: User, now, base_url: str) -> Iterator[Event]:
    actions = db.session.scalars(
        sa.select(Action)
        .join(Membership, Action.owner_id == Membership.id)
        .where(
            Membership.user_id == user.id,
            Action.archived_at.is_(None),
            Action.due_date.is_not(None),
            Action.status.in_(OPEN_ACTION_STATUSES),
        )
        .options(joinedload(Action.plan).joinedload(Plan.trajectory))
        .execution_options(yield_per=500)
    )
    for action in actions:
        if action.due_date is None:  # excluded by the query
            continue
        yield (
            _event(
                f"action-{action.id}",
                now,
                action.due_date,
                action.due_date + timedelta(days=1),
                _("Action: %(title)s", title=action.title),
                f"{action.plan.trajectory.name} — {action.plan.title}\n{action.description}",
                f"{base_url}/trajecten/{action.trajectory_id}/acties/{action.id}",
            )
        )


def _milestones(trajectory_ids: sa.Select, now) -> Iterator[Event]:
    milestones = db.session.scalars(
        sa.select(Milestone)
        .where(Milestone.trajectory_id.in_(trajectory_ids))
        .options(joinedload(Milestone.plan).joinedload(Plan.trajectory))
    )
    for milestone in milestones:
        yield (
            _event(
                f"milestone-{milestone.id}",
                now,
                milestone.target_date,
                milestone.target_date + timedelta(days=1),
                _("Milestone: %(title)s (achieved)", title=milestone.title)
                if milestone.achieved_on
                else _("Milestone: %(title)s", title=milestone.title),
                f"{milestone.plan.trajectory.name} — {milestone.plan.title}\n{milestone.expected_result}",
            )
        )


def _meetings(trajectory_ids: sa.Select, now) -> Iterator[Event]:
    for meeting in db.session.scalars(
        sa.select(Meeting).where(Meeting.trajectory_id.in_(trajectory_ids), Meeting.held_on >= now.date())
    ):
        yield (
            _event(
                f"meeting-{meeting.id}",
                now,
                meeting.held_on,
                meeting.held_on + timedelta(days=1),
                _("Network meeting: %(place)s", place=meeting.place)
                if meeting.place
                else _("Network meeting"),
                meeting.purpose,
            )
        )


def _rounds(trajectory_ids: sa.Select, now) -> Iterator[Event]:
    horizon = now.date() + timedelta(days=400)
    for schedule in db.session.scalars(
        sa.select(EvaluationSchedule)
        .where(EvaluationSchedule.trajectory_id.in_(trajectory_ids), EvaluationSchedule.active.is_(True))
        .options(joinedload(EvaluationSchedule.trajectory))
    ):
        for planned in planned_rounds(schedule, horizon):
            if planned.closes_on < now.date() - timedelta(days=400):
                continue
            yield (
                _event(
                    f"round-{schedule.trajectory_id}-{planned.opens_on.isoformat()}",
                    now,
                    planned.opens_on,
                    planned.closes_on + timedelta(days=1),
                    _(
                        "Evaluation round %(name)s: %(trajectory)s",
                        name=planned.name,
                        trajectory=schedule.trajectory.name,
                    ),
                )
            )
