"""Access matrix generated from the app's url_map: every route and method for every role."""

from __future__ import annotations

import pytest

from tracker import access
from tracker.extensions import db
from tracker.models import Layer, Membership, Role

from .fixtures_urls import fill_rule
from .fixtures_world import PASSWORD

# What each declared rule means, role by role: the one table this test keeps. Which rule a view has
# is read from the view itself (tracker/access.py: @rule, @signed_in, @public, @admin_required).
ROLES = ["anonymous", "outsider", "meekijker", "teamlid", "manager", "projectleider", "admin"]
LEVEL = {"outsider": 0, "meekijker": 1, "teamlid": 2, "manager": 2, "projectleider": 3, "admin": 4}
CHECK_LEVEL = {access.can_view: 1, access.can_edit: 2, access.can_manage: 3, access.can_vote: "vote"}

# Views that check more than their declaration, on the object they load (each says so in its code):
# the invitation link is for its holder while logged out; adding an organisation needs an editing
# role somewhere (the matrix's "outsider" leads trajectory B, the meekijker of A edits nowhere); the
# empty form for a new milestone or meeting needs edit rights though its URL's GET is for viewers;
# logging out, or a code page without a pending login, ends on the login page.
INVITATION_LINK = "invitations.accept"
ADD_ORGANISATION = "admin.organisation_new"
NEW_NEEDS_EDIT = {"plans.milestone_form", "meetings.meeting"}
# A plan is run by a project lead or its own responsible member (an editor): in the test world the
# responsible member is the project lead, so running it needs the lead's level.
RUNS_PLAN = {"plans.plan_edit", "plans.cycle_close"}
ENDS_ON_LOGIN = {"auth.logout", "auth.login_code"}


def declared(app, endpoint: str):
    return getattr(app.view_functions[endpoint], "access_rule", None)


def needed_level(app, endpoint: str, method: str, rule: str = "") -> int | str:
    """0: any logged-in user; 1: view; 2: edit; 3: manage; 'vote'; 'admin'; 'public'."""
    declaration = declared(app, endpoint)
    if endpoint == INVITATION_LINK:
        return "invitation"
    if endpoint == ADD_ORGANISATION:
        return "add_organisation"
    if declaration == access.PUBLIC:
        return "public"
    if declaration == access.ADMIN:
        return "admin"
    if declaration == access.SIGNED_IN:
        return 0
    assert isinstance(declaration, access.AccessRule), f"{endpoint} declares no access rule"
    if "<id:trajectory_id>" not in rule:
        assert declaration.optional, f"{endpoint} answers outside a trajectory but is not optional"
        return 0
    if endpoint in NEW_NEEDS_EDIT and method == "GET" and rule.endswith("/nieuw"):
        return 2
    check = declaration.read if method == "GET" else declaration.write
    return 3 if endpoint in RUNS_PLAN else CHECK_LEVEL[check]


def expected(app, role: str, endpoint: str, method: str, rule: str = "") -> str:
    need = needed_level(app, endpoint, method, rule)
    if endpoint in ENDS_ON_LOGIN:
        return "login"
    if need == "public":
        return "ok"
    if need == "invitation":
        return "ok" if role == "anonymous" else "forbidden"
    if role == "anonymous":
        return "login"
    if need == "admin":
        return "ok" if role == "admin" else "forbidden"
    if need == "add_organisation":
        return "forbidden" if role == "meekijker" else "ok"
    if need == "vote":
        return "ok" if role in ("teamlid", "manager", "projectleider") else "forbidden"
    return "ok" if LEVEL[role] >= need else "forbidden"


def _token_only(app, endpoint: str) -> bool:
    """The API's views answer a token, never the session: tests/test_api_access.py tries them with
    the same rules and roles, with tokens."""
    return endpoint.startswith("api.") and declared(app, endpoint) != access.PUBLIC


def all_routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or _token_only(app, rule.endpoint):
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method


def test_every_route_declares_its_access_rule(app):
    for rule, method in all_routes(app):
        needed_level(app, rule.endpoint, method, rule.rule)


def test_the_app_refuses_to_start_with_an_undeclared_view(app):
    from flask import Flask

    from tracker.access import check_declarations

    bare = Flask("bare")
    bare.url_map.converters["id"] = app.url_map.converters["id"]
    bare.add_url_rule("/trajecten/<id:trajectory_id>/x", "x", lambda trajectory_id: "")
    with pytest.raises(RuntimeError, match="declares no access rule"):
        check_declarations(bare)


def fresh_membership(world, role: str) -> Membership:
    from tracker.auth.services import create_user
    from tracker.members.services import add_member

    user = create_user(f"te-verwijderen-{role}@example.org", "Te verwijderen", PASSWORD)
    a = world["a"]
    membership = add_member(a, user, a.memberships[0].organisation, Layer.UITVOEREND, Role.TEAMLID)
    db.session.commit()
    return membership


def fresh_session_items(world, args: dict[str, object]) -> dict[str, object]:
    """Removing is destructive: a shared ambition and a joint step of their own for every role."""
    from datetime import date

    from tracker.models import ResultKind, WorkshopAmbition, WorkshopJointStep

    workshop = world["workshop"]
    shared = WorkshopAmbition(workshop=workshop, title="Weg", result_kind=ResultKind.PROBLEEM)
    joint = WorkshopJointStep(workshop=workshop, title="Weg", due_date=date.today())
    db.session.add_all([shared, joint])
    db.session.commit()
    return args | {"shared_id": shared.id, "joint_id": joint.id}


def classify(response) -> str:
    if response.status_code == 302 and "/inloggen" in response.headers.get("Location", ""):
        return "login"
    if response.status_code == 403:
        return "forbidden"
    if response.status_code < 400 or response.status_code == 422:
        return "ok"
    return f"unexpected {response.status_code}"


def route_cases():
    from tracker import create_app

    app = create_app("test")
    return [
        pytest.param(rule.rule, rule.endpoint, method, id=f"{method} {rule.rule}")
        for rule, method in all_routes(app)
    ]


@pytest.mark.parametrize(("rule", "endpoint", "method"), route_cases())
def test_access_matrix(app, world, url_args, rule, endpoint, method):
    args = url_args
    url = fill_rule(rule, args)
    outcomes = {}
    for role in ROLES:
        if endpoint == "members.remove":
            # Removing is destructive: give every role a member of its own to try to remove.
            url = rule.replace("<id:trajectory_id>", str(args["trajectory_id"])).replace(
                "<id:membership_id>", str(fresh_membership(world, role).id)
            )
        if endpoint in ("sessions.remove_ambition", "sessions.remove_joint_step"):
            url = fill_rule(rule, fresh_session_items(world, args))
        client = app.test_client()
        if role != "anonymous":
            user = world["users"][role]
            assert (
                client.post("/inloggen", data={"email": user.email, "password": PASSWORD}).status_code == 302
            )
        response = client.open(url, method=method, data={})
        outcomes[role] = classify(response)
    wanted = {role: expected(app, role, endpoint, method, rule) for role in ROLES}
    assert outcomes == wanted


def test_outsider_cannot_reach_another_trajectorys_item_through_their_own(client, login, world):
    """Swapping an id into one's own trajectory's path finds nothing (404), changes nothing."""
    a, b = world["a"], world["b"]
    item = a.items[0]
    login(world["users"]["outsider"])
    url = f"/trajecten/{b.id}/items/{item.id}"
    assert client.get(url).status_code == 404
    response = client.post(url, data={"answer": "gekaapt", "status": "afgerond", "version": "1"})
    assert response.status_code == 404
    db.session.refresh(item)
    assert item.answer == ""
    assert client.post(f"/trajecten/{b.id}/items/{item.id}/archiveren").status_code == 404


def test_extra_form_fields_for_role_and_trajectory_are_ignored(client, login, world):
    a = world["a"]
    teamlid = world["users"]["teamlid"]
    item = a.items[0]
    login(teamlid)
    response = client.post(
        f"/trajecten/{a.id}/items/{item.id}",
        data={
            "answer": "Antwoord",
            "status": "open",
            "version": str(item.version),
            "role": "projectleider",
            "trajectory_id": str(world["b"].id),
            "user_id": str(world["users"]["admin"].id),
        },
    )
    assert response.status_code == 302
    db.session.refresh(item)
    assert item.trajectory_id == a.id and item.answer == "Antwoord"
    m = db.session.scalar(db.select(Membership).where(Membership.user_id == teamlid.id))
    assert m.role == Role.TEAMLID


def test_outsider_sees_no_trace_of_the_other_trajectory_in_lists(client, login, world):
    login(world["users"]["outsider"])
    body = client.get("/trajecten").get_data(as_text=True)
    assert "Traject B" in body and "Traject A" not in body
    assert "Traject A" not in client.get("/mijn-werk").get_data(as_text=True)


def test_forbidden_and_missing_pages_use_the_app_layout(client, login, world):
    login(world["users"]["outsider"])
    forbidden = client.get(f"/trajecten/{world['a'].id}")
    assert forbidden.status_code == 403 and "Geen toegang" in forbidden.get_data(as_text=True)
    missing = client.get("/trajecten/999999")
    assert missing.status_code == 404 and "Pagina niet gevonden" in missing.get_data(as_text=True)
    assert "Hoofdnavigatie" in missing.get_data(as_text=True)
