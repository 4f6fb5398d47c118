"""The search page: GET /zoeken?q=...&pagina=N, across the trajectories the user may view."""

from __future__ import annotations

from flask import render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from tracker.access import signed_in, trajectory_blueprint
from tracker.ids import arg_id
from tracker.models import SearchKind
from tracker.pagecache import cached_page
from tracker.search import services
from tracker.search.forms import SearchForm
from tracker.search.services import Hit

bp = trajectory_blueprint("search", __name__)

# The page that shows each kind of result (every one of them reads with ``can_view``).
PAGES = {
    SearchKind.ITEM: lambda h: url_for(
        "phases.phase", trajectory_id=h.trajectory_id, number=h.page_id, _anchor=f"item-{h.record_id}"
    ),
    SearchKind.ACTION: lambda h: url_for(
        "actions.view", trajectory_id=h.trajectory_id, action_id=h.record_id
    ),
    SearchKind.MILESTONE: lambda h: url_for(
        "plans.plan", trajectory_id=h.trajectory_id, plan_id=h.page_id, _anchor=f"mijlpaal-{h.record_id}"
    ),
    SearchKind.MEETING: lambda h: url_for(
        "meetings.meeting", trajectory_id=h.trajectory_id, meeting_id=h.page_id
    ),
    SearchKind.AGREEMENT: lambda h: url_for(
        "meetings.meeting", trajectory_id=h.trajectory_id, meeting_id=h.page_id, _anchor="afspraken"
    ),
    SearchKind.AMBITION: lambda h: url_for(
        "ambitions.ambitions", trajectory_id=h.trajectory_id, _anchor=f"ambitie-{h.page_id}"
    ),
    SearchKind.OBJECTIVE: lambda h: url_for(
        "ambitions.ambitions", trajectory_id=h.trajectory_id, _anchor=f"ambitie-{h.page_id}"
    ),
    SearchKind.WORKSHOP_NOTE: lambda h: url_for(
        "workshops.workshop", trajectory_id=h.trajectory_id, workshop_id=h.page_id, _anchor="notities"
    ),
}


# What a result's context names.
CONTEXTS = {
    SearchKind.ITEM: _l("Section"),
    SearchKind.AGREEMENT: _l("Network meeting"),
    SearchKind.OBJECTIVE: _l("Shared ambition"),
    SearchKind.WORKSHOP_NOTE: _l("Workshop"),
}


def url_of(hit: Hit) -> str:
    return PAGES[hit.kind](hit)


@bp.route("/zoeken")
@signed_in
@cached_page
def search():
    form = SearchForm(formdata=request.args)
    results = None
    if form.q.data and form.validate():
        page = arg_id(request.args, "pagina") or 1
        results = services.search(current_user, services.terms_of(form.q.data), page)
    return render_template(
        "search/results.html",
        form=form,
        results=results,
        url_of=url_of,
        contexts=CONTEXTS,
        highlight=services.highlight,
        snippet=services.snippet,
    )
