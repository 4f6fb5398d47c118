"""Access matrix generated from the app's url_map: every route and method for every role."""

from __future__ import annotations

import pytest

from tracker.extensions import db
from tracker.invitations.services import invite
from tracker.models import ChecklistItem, Layer, Membership, Role

from .conftest import PASSWORD

PUBLIC = {"auth.login", "auth.login_code", "plans.calendar_feed"}
# The invitation link: open to its holder while logged out; a logged-in user with another address is refused.
INVITATION_LINK = "invitations.accept"
ANY_USER = {
    "trajectories.home",
    "trajectories.index",
    "trajectories.my_work",
    "trajectories.create",
    "auth.account",
    "auth.logout",
    "auth.totp_setup",
    "auth.totp_disable",
    "plans.calendar_renew",
    "admin.organisations",
}
# Adding an organisation: administrators and people who may edit some trajectory. The matrix's
# "outsider" leads trajectory B, so may; the meekijker of A has no editing role anywhere.
ADD_ORGANISATION = {"admin.organisation_new"}
ADMIN_ONLY = {
    "mail.outbox",
    "admin.settings",
    "admin.users",
    "admin.user_new",
    "admin.user_edit",
    "admin.organisation_edit",
}
VIEW = {
    "network.meetings",
    "evaluations.index",
    "evaluations.results_export",
    "trajectories.history",
    "trajectories.export",
    "trajectories.detail",
    "trajectories.layer_view",
    "trajectories.tabel1",
    "decisions.index",
    "phases.phase",
}
# Endpoints whose GET is for viewers and whose POST needs more.
VIEW_GET_EDIT_POST = {
    "reflection.index",
    "phases.item_edit",
    "plans.plan",
    "plans.action_edit",
    "network.partners",
    "network.process",
    "network.ambitions",
    "network.workshops",
    "network.workshop",
    "network.workshop_photo",
}
VIEW_GET_MANAGE_POST = {"members.index", "plans.index"}
EDIT = {
    "network.agreement_new",
    "network.step_move",
    "network.step_action",
    "phases.item_new",
    "phases.item_move",
    "phases.item_archive",
    "phases.item_restore",
    "plans.action_new",
    "plans.action_archive",
    "plans.action_restore",
}
# Lists that exist across all trajectories (any user, own data) and per trajectory (members).
GLOBAL_OR_TRAJECTORY = {"plans.actions", "plans.actions_export", "plans.milestones_export"}
# Voting: members who are asked (every role but the read-only observer); admins are not members.
VIEW_GET_VOTE_POST = {"evaluations.planned_view", "evaluations.round_view"}
MANAGE = {
    "evaluations.schedule",
    "evaluations.open_now",
    "plans.plan_edit",
    "plans.cycle_close",
    "trajectories.edit",
    "members.edit",
    "members.remove",
    "decisions.new",
    "invitations.resend",
    "invitations.revoke",
}
ROLES = ["anonymous", "outsider", "meekijker", "teamlid", "manager", "projectleider", "admin"]
LEVEL = {"outsider": 0, "meekijker": 1, "teamlid": 2, "manager": 2, "projectleider": 3, "admin": 4}


def needed_level(endpoint: str, method: str, rule: str = "") -> int | str:
    """0: any logged-in user; 1: view; 2: edit; 3: manage; 'admin'; 'public'."""
    if endpoint in VIEW_GET_VOTE_POST:
        return 1 if method == "GET" else "vote"
    if endpoint in GLOBAL_OR_TRAJECTORY:
        return 1 if "trajectory_id" in rule else 0
    if endpoint in ("plans.milestone_form", "network.meeting"):
        return 2 if (method == "POST" or rule.endswith("/nieuw")) else 1
    if endpoint in PUBLIC:
        return "public"
    if endpoint == INVITATION_LINK:
        return "invitation"
    if endpoint in ANY_USER:
        return 0
    if endpoint in ADD_ORGANISATION:
        return "add_organisation"
    if endpoint in ADMIN_ONLY:
        return "admin"
    if endpoint in VIEW:
        return 1
    if endpoint in VIEW_GET_EDIT_POST:
        return 1 if method == "GET" else 2
    if endpoint in VIEW_GET_MANAGE_POST:
        return 1 if method == "GET" else 3
    if endpoint in EDIT:
        return 2
    if endpoint in MANAGE:
        return 3
    raise AssertionError(f"endpoint {endpoint} is missing from the access table")


def expected(role: str, endpoint: str, method: str, rule: str = "") -> str:
    need = needed_level(endpoint, method, rule)
    if endpoint in ("auth.logout", "auth.login_code"):
        return "login"  # logging out, or a code page without a pending login, ends on the login page
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


def all_routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method


def test_every_route_is_in_the_access_table(app):
    for rule, method in all_routes(app):
        needed_level(rule.endpoint, method, rule.rule)


def url_args(world) -> dict:
    a = world["a"]
    item = db.session.scalar(db.select(ChecklistItem).where(ChecklistItem.trajectory_id == a.id).limit(1))
    teamlid = next(m for m in a.memberships if m.role == Role.TEAMLID)
    invitation, invite_token = invite(
        a,
        "uitgenodigd@example.org",
        teamlid.organisation,
        Layer.UITVOEREND,
        Role.TEAMLID,
        by=world["users"]["projectleider"],
    )
    db.session.commit()
    return {
        "trajectory_id": a.id,
        "item_id": item.id,
        "section_id": item.section_id,
        "membership_id": teamlid.id,
        "number": 1,
        "layer": "bestuur",
        "kind": "fase1",
        "user_id": world["users"]["teamlid"].id,
        "organisation_id": teamlid.organisation_id,
        "plan_id": world["plan"].id,
        "cycle_id": world["plan"].cycles[0].id,
        "action_id": world["action"].id,
        "milestone_id": world["milestone"].id,
        "fmt": "csv",
        "round_id": world["round"].id,
        "opens": world["schedule"].first_date.isoformat(),
        "partner_id": world["partner"].id,
        "meeting_id": world["meeting"].id,
        "step_id": world["step"].id,
        "ambition_id": world["ambition"].id,
        "workshop_id": world["workshop"].id,
        "token": world["users"]["teamlid"].calendar_token,
        "invitation_id": invitation.id,
        "invite_token": invite_token,
    }


def fresh_membership(world, role: str) -> Membership:
    from tracker.auth.services import create_user
    from tracker.members.services import add_member

    user = create_user(f"te-verwijderen-{role}@example.org", "Te verwijderen", PASSWORD)
    a = world["a"]
    membership = add_member(a, user, a.memberships[0].organisation, Layer.UITVOEREND, Role.TEAMLID)
    db.session.commit()
    return membership


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
def test_access_matrix(app, world, rule, endpoint, method):
    args = url_args(world)
    url = rule
    for name, value in args.items():
        url = url.replace(f"<id:{name}>", str(value)).replace(f"<{name}>", str(value))
    outcomes = {}
    for role in ROLES:
        if endpoint == "members.remove":
            # Removing is destructive: give every role a member of its own to try to remove.
            url = rule.replace("<id:trajectory_id>", str(args["trajectory_id"])).replace(
                "<id:membership_id>", str(fresh_membership(world, role).id)
            )
        client = app.test_client()
        if role != "anonymous":
            user = world["users"][role]
            assert (
                client.post("/inloggen", data={"email": user.email, "password": PASSWORD}).status_code == 302
            )
        response = client.open(url, method=method, data={})
        outcomes[role] = classify(response)
    wanted = {role: expected(role, endpoint, method, rule) for role in ROLES}
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
