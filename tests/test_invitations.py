"""Invitations: a project lead adds people by e-mail without learning who has an account."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tracker.extensions import db
from tracker.models import AuditEvent, Invitation, Layer, Membership, OutboxMessage, Role, User, utcnow

from .fixtures_world import PASSWORD

NEW_PASSWORD = "mijn nieuwe lange zin"
LINK = re.compile(r"(https?://[^\s/]+)/uitnodiging/([A-Za-z0-9_-]+)")


def _form(org_id: int, email: str, role: str = "manager", layer: str = "bestuur") -> dict:
    return {"email": email, "organisation_id": str(org_id), "layer": layer, "role": role}


def _invite(client, trajectory, email: str, **kw):
    org_id = trajectory.memberships[0].organisation_id
    return client.post(f"/trajecten/{trajectory.id}/leden", data=_form(org_id, email, **kw))


def _token(email: str) -> str:
    """The token of the newest invitation mail to this address (from the outbox)."""
    message = db.session.scalars(
        sa.select(OutboxMessage).where(OutboxMessage.to_email == email).order_by(OutboxMessage.id.desc())
    ).first()
    return LINK.search(message.body).group(2)


@pytest.fixture
def lead(world, login):
    login(world["users"]["projectleider"])
    return world["users"]["projectleider"]


def test_a_lead_gets_the_same_answer_for_known_and_unknown_addresses(client, world, lead, make_user):
    a = world["a"]
    known = make_user("Karin Bekend", email="bekend@example.org")
    answers = {}
    for email in (known.email, "onbekend@example.org"):
        response = _invite(client, a, email)
        page = client.get(response.headers["Location"]).get_data(as_text=True)
        assert f"Uitnodiging verstuurd naar {email}" in page
        answers[email] = (
            response.status_code,
            response.headers["Location"],
            page.replace(email, "ADRES").count("ADRES"),
        )
    assert answers[known.email] == answers["onbekend@example.org"]
    assert answers[known.email][0] == 302
    assert "geen gebruiker" not in page and "beheerder" not in page
    # Nobody became a member yet: the known account must accept too.
    assert db.session.scalar(sa.select(Membership).where(Membership.user_id == known.id)) is None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Invitation)) == 2


def test_a_new_person_sets_a_password_is_logged_in_and_lands_in_the_trajectory(
    app, client, world, lead, make_org
):
    a = world["a"]
    org = make_org("Welzijn Midden-Stad")
    client.post(
        f"/trajecten/{a.id}/leden",
        data=_form(org.id, "Nieuw@Example.org", role="teamlid", layer="management"),
    )
    token = _token("nieuw@example.org")
    guest = app.test_client()
    page = guest.get(f"/uitnodiging/{token}")
    assert page.status_code == 200 and "Traject A" in page.get_data(as_text=True)
    weak = guest.post(
        f"/uitnodiging/{token}", data={"name": "Nina Nieuw", "password": "kort", "confirm": "kort"}
    )
    assert weak.status_code == 200 and "Gebruik minstens 12 tekens" in weak.get_data(as_text=True)
    assert 'value="Nina Nieuw"' in weak.get_data(as_text=True)
    assert db.session.scalar(sa.select(User).where(User.email == "nieuw@example.org")) is None
    response = guest.post(
        f"/uitnodiging/{token}",
        data={"name": "Nina Nieuw", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/trajecten/{a.id}")
    landing = guest.get(response.headers["Location"])
    assert landing.status_code == 200 and "Welkom bij Traject A" in landing.get_data(as_text=True)
    user = db.session.scalar(sa.select(User).where(User.email == "nieuw@example.org"))
    membership = db.session.scalar(sa.select(Membership).where(Membership.user_id == user.id))
    assert (membership.trajectory_id, membership.organisation_id, membership.layer, membership.role) == (
        a.id,
        org.id,
        Layer.MANAGEMENT,
        Role.TEAMLID,
    )
    # The link is used up.
    assert app.test_client().get(f"/uitnodiging/{token}").status_code == 410


def test_an_existing_account_logs_in_and_accepts(app, client, world, lead, make_user):
    a = world["a"]
    known = make_user("Karin Bekend", email="bekend@example.org")
    _invite(client, a, known.email, role="meekijker")
    token = _token(known.email)
    message = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.to_email == known.email)).one()
    assert "Log in met dit e-mailadres" in message.body
    guest = app.test_client()
    page = guest.get(f"/uitnodiging/{token}").get_data(as_text=True)
    assert "Log in met bekend@example.org" in page
    login = guest.post(
        f"/inloggen?next=/uitnodiging/{token}", data={"email": known.email, "password": PASSWORD}
    )
    assert login.headers["Location"] == f"/uitnodiging/{token}"
    assert "Uitnodiging accepteren" in guest.get(f"/uitnodiging/{token}").get_data(as_text=True)
    assert (
        db.session.scalar(sa.select(Membership).where(Membership.user_id == known.id)) is None
    )  # GET changes nothing
    response = guest.post(f"/uitnodiging/{token}")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/trajecten/{a.id}")
    membership = db.session.scalar(sa.select(Membership).where(Membership.user_id == known.id))
    assert membership.trajectory_id == a.id and membership.role == Role.MEEKIJKER


def test_a_logged_in_user_with_another_address_is_refused(app, client, world, lead):
    a = world["a"]
    _invite(client, a, "iemand@example.org")
    token = _token("iemand@example.org")
    other = app.test_client()
    other.post("/inloggen", data={"email": world["users"]["outsider"].email, "password": PASSWORD})
    for method in ("get", "post"):
        response = getattr(other, method)(f"/uitnodiging/{token}")
        assert response.status_code == 403
        assert "voor iemand anders" in response.get_data(as_text=True)
    assert (
        db.session.scalar(
            sa.select(Membership).where(
                Membership.user_id == world["users"]["outsider"].id, Membership.trajectory_id == a.id
            )
        )
        is None
    )
    assert db.session.scalar(sa.select(Invitation.accepted_at)) is None


def _state(invitation_id):
    db.session.expire_all()
    return (
        db.session.scalar(sa.select(sa.func.count()).select_from(User)),
        db.session.scalar(sa.select(sa.func.count()).select_from(Membership)),
        db.session.get(Invitation, invitation_id).version,
    )


@pytest.mark.parametrize(
    ("case", "status", "text"),
    [
        ("expired", 410, "verlopen"),
        ("revoked", 410, "ingetrokken"),
        ("used", 410, "al gebruikt"),
        ("forged", 404, "werkt niet"),
    ],
)
def test_expired_revoked_used_and_forged_links_change_nothing(app, client, world, lead, case, status, text):
    a = world["a"]
    _invite(client, a, "later@example.org")
    token = _token("later@example.org")
    invitation = db.session.scalars(sa.select(Invitation)).one()
    if case == "expired":
        invitation.expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    elif case == "revoked":
        assert client.post(f"/trajecten/{a.id}/uitnodigingen/{invitation.id}/intrekken").status_code == 302
    elif case == "used":
        app.test_client().post(
            f"/uitnodiging/{token}",
            data={"name": "Lotte Later", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
        )
    else:
        token = token[:-4] + ("aaaa" if not token.endswith("aaaa") else "bbbb")
    before = _state(invitation.id)
    guest = app.test_client()
    for response in (
        guest.get(f"/uitnodiging/{token}"),
        guest.post(
            f"/uitnodiging/{token}",
            data={"name": "Indringer", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
        ),
    ):
        assert response.status_code == status
        assert text in response.get_data(as_text=True)
    assert _state(invitation.id) == before
    assert app.test_client().get("/uitnodiging/" + "x" * 5000).status_code == 404


def test_resending_gives_a_new_link_and_kills_the_old_one(app, client, world, lead):
    a = world["a"]
    _invite(client, a, "later@example.org")
    old = _token("later@example.org")
    invitation = db.session.scalars(sa.select(Invitation)).one()
    members = client.get(f"/trajecten/{a.id}/leden").get_data(as_text=True)
    assert "Openstaande uitnodigingen" in members and "later@example.org" in members
    assert "Opnieuw versturen" in members and "Intrekken" in members
    response = client.post(f"/trajecten/{a.id}/uitnodigingen/{invitation.id}/opnieuw")
    assert response.status_code == 302
    new = _token("later@example.org")
    assert new != old
    guest = app.test_client()
    assert guest.get(f"/uitnodiging/{old}").status_code == 404
    assert guest.get(f"/uitnodiging/{new}").status_code == 200


def test_the_token_is_stored_only_as_a_hash(client, world, lead):
    a = world["a"]
    _invite(client, a, "later@example.org")
    token = _token("later@example.org")
    invitation = db.session.scalars(sa.select(Invitation)).one()
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    row = db.session.execute(sa.select(Invitation.__table__)).one()
    assert not any(token in str(value) for value in row)
    events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.entity == "Invitation")).all()
    assert [e.action for e in events] == ["create"] and events[0].trajectory_id == a.id
    assert token not in str(events[0].changes) and invitation.token_hash not in str(events[0].changes)


def test_the_mail_is_sent_through_smtp_with_an_absolute_link_and_not_kept(
    app, client, world, lead, monkeypatch
):
    from tracker.mail import services as mail

    sent = []
    app.config["MAIL_SERVER"] = "smtp.example.org"
    monkeypatch.setattr(
        mail, "send", lambda message: sent.append((message.to_email, message.subject, message.body))
    )
    _invite(client, world["a"], "later@example.org")
    assert len(sent) == 1 and sent[0][0] == "later@example.org" and "Traject A" in sent[0][1]
    link = LINK.search(sent[0][2])
    assert link and link.group(1).startswith("http")
    stored = db.session.scalars(sa.select(OutboxMessage)).one()
    assert stored.sent_at is not None and link.group(2) not in stored.body
    assert app.test_client().get(f"/uitnodiging/{link.group(2)}").status_code == 200


def test_without_smtp_the_mail_waits_in_the_outbox_with_an_absolute_link(client, world, lead):
    _invite(client, world["a"], "later@example.org")
    message = db.session.scalars(sa.select(OutboxMessage)).one()
    assert message.to_email == "later@example.org" and message.sent_at is None and message.round_id is None
    assert LINK.search(message.body).group(1).startswith("http")
    assert "Kies" in message.body or "kiezen" in message.body


@pytest.mark.parametrize("role", ["outsider", "meekijker", "teamlid", "manager"])
def test_only_project_leads_and_admins_invite(app, world, role):
    a = world["a"]
    other = app.test_client()
    other.post("/inloggen", data={"email": world["users"][role].email, "password": PASSWORD})
    response = _invite(other, a, "later@example.org")
    assert response.status_code == 403
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Invitation)) == 0


def test_only_project_leads_resend_or_revoke(app, client, world, lead):
    a = world["a"]
    _invite(client, a, "later@example.org")
    invitation = db.session.scalars(sa.select(Invitation)).one()
    other = app.test_client()
    other.post("/inloggen", data={"email": world["users"]["meekijker"].email, "password": PASSWORD})
    for action in ("opnieuw", "intrekken"):
        assert other.post(f"/trajecten/{a.id}/uitnodigingen/{invitation.id}/{action}").status_code == 403
    # An invitation of trajectory A is not found through trajectory B.
    b_lead = app.test_client()
    b_lead.post("/inloggen", data={"email": world["users"]["outsider"].email, "password": PASSWORD})
    assert (
        b_lead.post(f"/trajecten/{world['b'].id}/uitnodigingen/{invitation.id}/intrekken").status_code == 404
    )
    db.session.expire_all()
    assert db.session.get(Invitation, invitation.id).revoked_at is None


def test_an_existing_member_or_open_invitation_gets_a_message_and_changes_nothing(client, world, lead):
    a = world["a"]
    response = _invite(client, a, world["users"]["teamlid"].email.upper())
    assert response.status_code == 200 and "al lid van het traject" in response.get_data(as_text=True)
    _invite(client, a, "later@example.org")
    again = _invite(client, a, "later@example.org")
    assert again.status_code == 200 and "nog een uitnodiging open" in again.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Invitation)) == 1


def test_the_role_select_starts_empty_and_is_required(client, world, lead):
    a = world["a"]
    page = client.get(f"/trajecten/{a.id}/leden/nieuw").get_data(as_text=True)
    select = page.split('name="role"', 1)[1].split("</select>", 1)[0]
    options = re.findall(r"<option[^>]*>[^<]*</option>", select)
    assert options[0] == '<option value="">Kies een rol</option>'  # the first option, and nothing selected
    assert "selected" not in select
    response = _invite(client, a, "later@example.org", role="")
    body = response.get_data(as_text=True)
    assert (
        response.status_code == 200
        and "Dit veld is verplicht." in body
        and 'value="later@example.org"' in body
    )
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Invitation)) == 0


def test_an_admin_adds_an_existing_account_directly_and_invites_an_unknown_one(
    client, login, world, make_user
):
    a = world["a"]
    known = make_user("Karin Bekend", email="bekend@example.org")
    login(world["users"]["admin"])
    assert "Karin Bekend is toegevoegd" in client.get(
        _invite(client, a, known.email).headers["Location"]
    ).get_data(as_text=True)
    assert db.session.scalar(sa.select(Membership).where(Membership.user_id == known.id)).role == Role.MANAGER
    page = client.get(_invite(client, a, "onbekend@example.org").headers["Location"]).get_data(as_text=True)
    assert "Uitnodiging verstuurd naar onbekend@example.org" in page


def test_the_link_of_a_deleted_trajectory_is_simply_not_found(app, client, world, lead):
    a = world["a"]
    _invite(client, a, "later@example.org")
    token = _token("later@example.org")
    # Raw SQL: PostgreSQL cascades to the invitation, SQLite without foreign keys leaves it behind.
    db.session.execute(sa.text("DELETE FROM trajectories WHERE id = :id"), {"id": a.id})
    db.session.commit()
    assert app.test_client().get(f"/uitnodiging/{token}").status_code == 404


def test_the_pending_list_costs_the_same_queries_for_one_or_many(client, world, lead, make_org):
    from tracker.invitations.services import invite

    from .test_queries import queries_for

    a = world["a"]
    invite(a, "eerste@example.org", make_org(), Layer.BESTUUR, Role.TEAMLID, by=lead)
    db.session.commit()
    before = queries_for(client, f"/trajecten/{a.id}/leden")
    for i in range(8):
        invite(a, f"persoon{i}@example.org", make_org(), Layer.UITVOEREND, Role.MEEKIJKER, by=lead)
    db.session.commit()
    page = client.get(f"/trajecten/{a.id}/leden").get_data(as_text=True)
    assert "persoon7@example.org" in page
    assert queries_for(client, f"/trajecten/{a.id}/leden") == before
