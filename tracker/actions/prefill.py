"""A new action made from something: a checklist item (``?punt=``), a red card of a closed
evaluation round (``?kaart=<round>&factor=<key>``), an objective (``?doel=``) or a plan (``?plan=``).
The form starts filled in from it, and the action remembers where it came from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import abort
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from tracker.access import get_in_trajectory_or_404, get_item_or_404, require, results_visible
from tracker.actions.forms import ActionForm
from tracker.actions.sources import Origin, link_to
from tracker.evaluations import results as evaluation_results
from tracker.ids import arg_id, parse_id
from tracker.models import ActionSource, ChecklistItem, EvaluationRound, Membership, Plan, Trajectory


@dataclass(frozen=True)
class RedCard:
    """A factor of a closed evaluation round with its cards, which an action is made for."""

    round: EvaluationRound
    factor: dict
    result: Any  # the factor's result: counts and comments


@dataclass(frozen=True)
class Source:
    """Where the new action comes from: the item, or the red card (which wins when both are given)."""

    item: ChecklistItem | None
    red_card: RedCard | None

    def reference(self) -> tuple[ActionSource, int] | None:
        if self.red_card is not None:
            return ActionSource.RED_CARD, self.red_card.round.id
        if self.item is not None:
            return ActionSource.CHECKLIST_ITEM, self.item.id
        return None

    def key(self) -> str | None:
        return self.red_card.factor["key"] if self.red_card is not None else None

    def origins(self, trajectory: Trajectory) -> list[Origin]:
        links = []
        if self.item is not None:
            links.append(link_to(trajectory, ActionSource.CHECKLIST_ITEM, self.item))
        if self.red_card is not None:
            links.append(
                link_to(trajectory, ActionSource.RED_CARD, self.red_card.round, self.red_card.factor["key"])
            )
        return [link for link in links if link is not None]


def source_of(trajectory: Trajectory, args: MultiDict, form: ActionForm) -> Source:
    """The item and red card named in the query string (or, for the item, in the posted form)."""
    item_id = arg_id(args, "punt") or (
        parse_id(form.source_id.data) if form.source_type.data == ActionSource.CHECKLIST_ITEM else None
    )
    item = get_item_or_404(trajectory, item_id) if item_id else None
    return Source(item, _red_card(trajectory, args))


def _red_card(trajectory: Trajectory, args: MultiDict) -> RedCard | None:
    round_id = arg_id(args, "kaart")
    if not round_id:
        return None
    evaluation_round = get_in_trajectory_or_404(EvaluationRound, trajectory, round_id)
    require(results_visible(evaluation_round))  # the form is prefilled with the round's cards and comments
    factor = next((f for f in evaluation_round.factors if f["key"] == args.get("factor")), None)
    if factor is None:
        abort(404)
    result = next(r for r in evaluation_results.results(evaluation_round) if r.key == factor["key"])
    return RedCard(evaluation_round, factor, result)


def prefill(
    form: ActionForm, plans: list[Plan], args: MultiDict, source: Source, mine: Membership | None
) -> None:
    """The new action's form as first shown: in the external plan, planned, owned by the item's
    owner or by the user, and described by its source."""
    external = next((p for p in plans if p.kind.value == "extern"), plans[0])
    form.plan_id.data = str(arg_id(args, "plan") or external.id)
    form.objective_id.data = str(arg_id(args, "doel") or "")
    form.status.data, form.stage.data = "gepland", "plan"
    item = source.item
    form.owner_id.data = str(item.owner_id) if item and item.owner_id else (str(mine.id) if mine else "")
    if item is not None:
        form.title.data = item.text[:300]
        form.description.data = item.answer
        # The item's due date, unless it has passed: a form must not start with a deadline it refuses.
        form.due_date.data = item.due_date if item.due_date and item.due_date >= date.today() else None
        form.source_type.data, form.source_id.data = ActionSource.CHECKLIST_ITEM, str(item.id)
    if source.red_card is not None:
        _describe_red_card(form, source.red_card)


def _describe_red_card(form: ActionForm, red_card: RedCard) -> None:
    evaluation_round, factor, result = red_card.round, red_card.factor, red_card.result
    form.title.data = _(
        "Action on ‘%(factor)s’ (evaluation %(round)s)", factor=factor["title"], round=evaluation_round.name
    )[:300]
    form.description.data = _(
        "Cards in round %(name)s: %(red)d red, %(orange)d orange, %(green)d green.",
        name=evaluation_round.name,
        red=result.counts["rood"],
        orange=result.counts["oranje"],
        green=result.counts["groen"],
    )
    comments = [c for _w, c in result.comments]
    if comments:
        form.description.data += "\n" + "\n".join(f"– {c}" for c in comments)
