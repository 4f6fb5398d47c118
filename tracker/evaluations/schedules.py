"""Evaluation schedules and the rounds they plan: the dates, the stored round once it is needed,
an extra round opened by hand. Writes flush; views commit."""

from __future__ import annotations

import calendar
import functools
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from babel import dates as babel_dates
from flask import current_app, has_app_context
from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from tracker.content import default_framework, frameworks
from tracker.extensions import db
from tracker.models import (
    CADENCE_MONTHS,
    Cadence,
    EvaluationRound,
    EvaluationSchedule,
    Layer,
    RoundState,
    Trajectory,
)
from tracker.models.evaluation import round_state


class ScheduleError(ValueError):
    pass


def add_months(d: date, months: int) -> date:
    month = d.month - 1 + months
    year = d.year + month // 12
    month = month % 12 + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def period_name(d: date, cadence: Cadence) -> str:
    """The name of a scheduled round ("2027 K1", "maart 2027"). A name is data: it is made in the
    installation's default language, so a round keeps one name from planned to stored, whoever
    looks at it; quarter and month names come from the locale data (CLDR)."""
    locale = (current_app.config.get("BABEL_DEFAULT_LOCALE") if has_app_context() else None) or "nl"
    return _period_name(d, cadence, locale)


@functools.lru_cache(maxsize=4096)
def _period_name(d: date, cadence: Cadence, locale: str) -> str:
    """:func:`period_name` for one locale: the same for the same date everywhere (a schedule's
    rounds are named again on every page that shows them)."""
    if cadence == Cadence.KWARTAAL:
        return babel_dates.format_date(d, "y QQQ", locale=locale)
    if cadence == Cadence.HALFJAAR:
        return f"{d.year} H{(d.month - 1) // 6 + 1}"
    if cadence == Cadence.JAAR:
        return str(d.year)
    return babel_dates.format_date(d, "LLLL y", locale=locale)


def validate_schedule(cadence: Cadence, open_days: int, remind_days: int) -> str | None:
    """Why this schedule is refused (rounds would overlap), or None."""
    shortest = {Cadence.MAAND: 28, Cadence.KWARTAAL: 89, Cadence.HALFJAAR: 181, Cadence.JAAR: 365}[cadence]
    if open_days < 1:
        return "open_days_min"
    if open_days >= shortest:
        return "overlap"
    if remind_days >= open_days:
        return "remind"
    return None


@dataclass
class PlannedRound:
    """A round as the schedule defines it; ``round`` is the stored row once it exists."""

    name: str
    opens_on: date
    closes_on: date
    remind_on: date | None
    round: EvaluationRound | None = None
    framework: str = ""  # the schedule's framework and cadence, for the texts that name them
    cadence: Cadence | None = None

    def state(self, today: date) -> RoundState:
        return round_state(self.opens_on, self.closes_on, today)


def planned_rounds(schedule: EvaluationSchedule, until: date) -> list[PlannedRound]:
    return [
        PlannedRound(name, opens, closes, remind, framework=schedule.framework, cadence=schedule.cadence)
        for name, opens, closes, remind in _round_dates(schedule, until)
    ]


RoundDates = tuple[str, date, date, date | None]


def _round_dates(schedule: EvaluationSchedule, until: date) -> tuple[RoundDates, ...]:
    """Name, opening, closing and reminder date of each round of the schedule up to ``until``."""
    locale = (current_app.config.get("BABEL_DEFAULT_LOCALE") if has_app_context() else None) or "nl"
    return _dates_of(
        schedule.first_date, schedule.cadence, schedule.open_days, schedule.remind_days_before, until, locale
    )


@functools.lru_cache(maxsize=1024)
def _dates_of(
    first: date, cadence: Cadence, open_days: int, remind_before: int | None, until: date, locale: str
) -> tuple[RoundDates, ...]:
    """:func:`_round_dates` from the schedule's fields: the same for the same fields (the overview
    and "Mijn werk" work out every schedule's rounds again on each view)."""
    rounds: list[RoundDates] = []
    months = CADENCE_MONTHS[cadence]
    for k in range(1201):  # a hundred years of monthly rounds: a guard, not a limit anyone meets
        opens = add_months(first, k * months)
        if opens > until:
            break
        closes = opens + timedelta(days=open_days - 1)
        remind = closes - timedelta(days=remind_before) if remind_before else None
        rounds.append((_period_name(opens, cadence, locale), opens, closes, remind))
    return tuple(rounds)


def current_planned(schedule: EvaluationSchedule, today: date) -> PlannedRound | None:
    """The open round of the schedule today, else the next one; derived from the dates alone."""
    until = add_months(today, CADENCE_MONTHS[schedule.cadence] + 1)
    for name, opens, closes, remind in _round_dates(schedule, until):
        if closes >= today:
            framework, cadence = schedule.framework, schedule.cadence
            return PlannedRound(name, opens, closes, remind, framework=framework, cadence=cadence)
    return None


def materialise(schedule: EvaluationSchedule, planned: PlannedRound) -> EvaluationRound:
    """The stored round for a planned one (created when first needed; safe under concurrency)."""
    existing = db.session.scalar(
        sa.select(EvaluationRound).where(
            EvaluationRound.trajectory_id == schedule.trajectory_id,
            EvaluationRound.opens_on == planned.opens_on,
        )
    )
    if existing:
        return existing
    framework = frameworks()[schedule.framework]
    evaluation_round = EvaluationRound(
        trajectory_id=schedule.trajectory_id,
        schedule_id=schedule.id,
        name=planned.name,
        framework=schedule.framework,
        factors=factor_snapshot(framework),
        opens_on=planned.opens_on,
        closes_on=planned.closes_on,
        remind_on=planned.remind_on,
        layers=schedule.layers,
        anonymous=schedule.anonymous,
    )
    try:
        with db.session.begin_nested():
            db.session.add(evaluation_round)
    except IntegrityError:  # stored at the same moment by another request: that round
        return db.session.scalars(
            sa.select(EvaluationRound).where(
                EvaluationRound.trajectory_id == schedule.trajectory_id,
                EvaluationRound.opens_on == planned.opens_on,
            )
        ).one()
    return evaluation_round


def factor_snapshot(framework: dict[str, Any]) -> list[dict[str, Any]]:
    """The framework's factors as the round keeps them (a later change of the framework leaves
    stored rounds as they were)."""
    return [
        {"key": f["key"], "title": f["title"], "questions": list(f["questions"])}
        for f in framework["factors"]
    ]


def open_manual_round(trajectory: Trajectory, today: date) -> EvaluationRound:
    schedule = schedule_of(trajectory)
    framework_key = schedule.framework if schedule else default_framework()
    open_days = schedule.open_days if schedule else 14
    closes = today + timedelta(days=open_days - 1)
    overlapping = db.session.scalar(
        sa.select(EvaluationRound.id).where(
            EvaluationRound.trajectory_id == trajectory.id,
            EvaluationRound.opens_on <= closes,
            EvaluationRound.closes_on >= today,
        )
    )
    if overlapping or (schedule and _planned_overlap(schedule, today, closes)):
        raise ScheduleError("overlap")
    evaluation_round = EvaluationRound(
        trajectory_id=trajectory.id,
        schedule_id=None,
        name=_("Extra round %(date)s", date=format_date(today, "short")),
        framework=framework_key,
        factors=factor_snapshot(frameworks()[framework_key]),
        opens_on=today,
        closes_on=closes,
        remind_on=closes - timedelta(days=schedule.remind_days_before) if schedule else None,
        layers=schedule.layers if schedule else "",
        anonymous=schedule.anonymous if schedule else False,
    )
    db.session.add(evaluation_round)
    db.session.flush()
    return evaluation_round


def _planned_overlap(schedule: EvaluationSchedule, start: date, end: date) -> bool:
    return any(p.opens_on <= end and p.closes_on >= start for p in planned_rounds(schedule, end))


def schedule_of(trajectory: Trajectory) -> EvaluationSchedule | None:
    return db.session.scalar(
        sa.select(EvaluationSchedule).where(EvaluationSchedule.trajectory_id == trajectory.id)
    )


@dataclass(frozen=True)
class ScheduleSettings:
    """What a project lead sets for a trajectory's evaluation schedule."""

    framework: str
    cadence: Cadence
    first_date: date
    open_days: int
    remind_days_before: int
    layers: list[Layer] = field(default_factory=list)  # empty: every member is asked
    anonymous: bool = False


def save_schedule(trajectory: Trajectory, settings: ScheduleSettings) -> EvaluationSchedule:
    schedule = schedule_of(trajectory) or EvaluationSchedule(trajectory_id=trajectory.id)
    schedule.framework = settings.framework
    schedule.cadence = settings.cadence
    schedule.first_date = settings.first_date
    schedule.open_days = settings.open_days
    schedule.remind_days_before = settings.remind_days_before
    schedule.layers = ",".join(layer.value for layer in settings.layers)
    schedule.anonymous = settings.anonymous
    schedule.active = True
    db.session.add(schedule)
    db.session.flush()
    return schedule


def next_rounds(trajectory_ids: list[int], today: date) -> dict[int, PlannedRound]:
    """The open or next evaluation round per trajectory (from the schedules), for the overview."""
    result = {}
    for schedule in db.session.scalars(
        sa.select(EvaluationSchedule).where(
            EvaluationSchedule.trajectory_id.in_(trajectory_ids), EvaluationSchedule.active.is_(True)
        )
    ):
        planned = current_planned(schedule, today)
        if planned:
            result[schedule.trajectory_id] = planned
    return result
