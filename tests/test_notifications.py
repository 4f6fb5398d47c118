"""Notifications by mail (through a real SMTP server): work assigned by someone else, evaluation
rounds, and the weekly overview, each direct, weekly or not at all as the user chooses; sent by
the idempotent ``flask notifications send-due``, one mail per user per run."""

from __future__ import annotations

import re
from datetime import date, timedelta
from email import message_from_string
from email import policy as email_policy

import sqlalchemy as sa

from tracker.extensions import db
from tracker.models import (
    Action,
    ActionStatus,
    ChecklistItem,
    DigestMarker,
    Notification,
    NotificationKind,
    NotificationMode,
    OutboxMessage,
    Role,
)
from tracker.notifications import preferences
from tracker.notifications.sending import send_due

from .smtp_server import plain_server

PUBLIC = "https://betersamen.example.org"
LINKS = re.compile(r"https?://[^\s\"<>]+")
# A Wednesday after the world's action's due date (1 February 2026), and the days around it.
TUESDAY, WEDNESDAY = date(2026, 3, 3), date(2026, 3, 4)


def _member(world, role: Role):
    return next(m for m in world["a"].memberships if m.role == role)


def _action_data(world, owner_id: int, **overrides) -> dict[str, str]:
    data = {
        "plan_id": str(world["plan"].id),
        "title": "Ouders uitnodigen",
        "owner_id": str(owner_id),
        "due_date": (date.today() + timedelta(days=90)).isoformat(),
        "status": "gepland",
        "stage": "plan",
        "milestone_id": "",
        "result": "",
    }
    data.update(overrides)
    return data


def _new_action(client, world, owner_id: int, **overrides) -> Action:
    a = world["a"]
    response = client.post(f"/trajecten/{a.id}/acties/nieuw", data=_action_data(world, owner_id, **overrides))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return db.session.scalars(sa.select(Action).order_by(Action.id.desc())).first()


def _notifications() -> list[Notification]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Notification).order_by(Notification.id)))


def _send_direct(app):
    """A run on a day before the weekly overview's day: only the direct mails."""
    app.config["NOTIFICATIONS_DIGEST_WEEKDAY"] = 7
    return send_due(today=TUESDAY)


def _mails(server) -> list:
    return [message_from_string(content, policy=email_policy.default) for _rcpts, content in server.received]


def _parts(message) -> tuple[str, str]:
    return message.get_body(("plain",)).get_content(), message.get_body(("html",)).get_content()


def test_assign_an_action_to_a_manager_and_find_the_notification(app, client, login, world, servers, runner):
    server = plain_server(app, servers)
    app.config["PUBLIC_URL"] = PUBLIC
    manager = world["users"]["manager"]
    login(world["users"]["projectleider"])
    action = _new_action(client, world, _member(world, Role.MANAGER).id)

    [notification] = _notifications()
    assert (notification.user_id, notification.kind, notification.subject_kind, notification.subject_id) == (
        manager.id,
        NotificationKind.ASSIGNMENT,
        "action",
        action.id,
    )
    assert notification.sent_at is None and not notification.digest

    result = runner.invoke(args=["notifications", "send-due"])
    assert result.exit_code == 0 and "Meldingen klaargezet: 1" in result.output, result.output
    to_manager = [m for m in _mails(server) if m["To"] == manager.email]
    assert len(to_manager) == 1
    message = to_manager[0]
    assert message["Subject"] == "Aan u toegewezen: Ouders uitnodigen"
    assert message["Date"].datetime is not None
    assert message["Message-ID"].strip("<>").endswith("@betersamen.example.org")
    assert message["Auto-Submitted"] == "auto-generated"
    assert message.get_content_type() == "multipart/alternative"
    text, html = _parts(message)
    action_link = f"{PUBLIC}/trajecten/{world['a'].id}/acties/{action.id}"
    settings_link = f"{PUBLIC}/account/meldingen"
    assert text.startswith("Beste Manon Manager,")
    assert "Ouders uitnodigen" in text and "toegewezen door Pia Projectleider" in text
    assert action_link in text and settings_link in text
    assert f'href="{action_link}"' in html and f'href="{settings_link}"' in html and 'lang="nl"' in html
    assert all(link.startswith(PUBLIC) for link in LINKS.findall(text))
    assert _notifications()[0].sent_at is not None


def test_a_burst_of_assignments_makes_one_mail(app, client, login, world, servers):
    server = plain_server(app, servers)
    a = world["a"]
    manager = _member(world, Role.MANAGER)
    items = db.session.scalars(
        sa.select(ChecklistItem).where(ChecklistItem.trajectory_id == a.id).order_by(ChecklistItem.id)
    ).all()[:5]
    login(world["users"]["projectleider"])
    client.post(
        f"/trajecten/{a.id}/fasen/1/toewijzen",
        data={"items": [str(i.id) for i in items], "bulk-owner_id": str(manager.id)},
    )
    assert len(_notifications()) == 5

    report = _send_direct(app)
    assert (report.batches, report.sent) == (1, 1)
    [message] = _mails(server)
    assert message["To"] == world["users"]["manager"].email
    assert message["Subject"] == "5 punten en acties aan u toegewezen"
    text, _html = _parts(message)
    for item in items:
        assert f"/trajecten/{a.id}/items/{item.id}" in text


def test_running_send_due_twice_sends_nothing_more(app, client, login, world, servers):
    server = plain_server(app, servers)
    login(world["users"]["projectleider"])
    _new_action(client, world, _member(world, Role.MANAGER).id)
    assert _send_direct(app).sent == 1
    again = _send_direct(app)
    assert (again.batches, again.sent) == (0, 0)
    assert len(server.received) == 1
    assert db.session.scalar(sa.select(sa.func.count(OutboxMessage.id))) == 1


def test_without_a_mail_server_the_mail_waits_in_the_outbox_and_goes_on_the_next_run(
    app, client, login, world, servers
):
    login(world["users"]["projectleider"])
    _new_action(client, world, _member(world, Role.MANAGER).id)
    assert _send_direct(app).batches == 1
    [queued] = db.session.scalars(sa.select(OutboxMessage)).all()
    assert queued.kind == "notification" and queued.sent_at is None
    assert queued.to_email == world["users"]["manager"].email and "Ouders uitnodigen" in queued.body

    server = plain_server(app, servers)
    report = _send_direct(app)
    assert (report.batches, report.sent) == (0, 1)
    assert len(server.received) == 1


def test_assigning_work_to_yourself_or_keeping_the_owner_notifies_nobody(app, client, login, world):
    lead = _member(world, Role.PROJECTLEIDER)
    login(world["users"]["projectleider"])
    _new_action(client, world, lead.id)
    action = world["action"]  # owned by the lead; the lead edits it and keeps the owner
    response = client.post(
        f"/trajecten/{world['a'].id}/acties/{action.id}",
        data=_action_data(world, lead.id, title="Nieuwe titel", version=str(action.version)),
    )
    assert response.status_code == 302
    assert _notifications() == []


def test_work_given_to_someone_else_before_the_run_is_not_mailed(app, client, login, world, servers):
    server = plain_server(app, servers)
    login(world["users"]["projectleider"])
    action = _new_action(client, world, _member(world, Role.MANAGER).id)
    client.post(
        f"/trajecten/{world['a'].id}/acties/{action.id}",
        data=_action_data(world, _member(world, Role.TEAMLID).id, version=str(action.version)),
    )
    assert len(_notifications()) == 2
    _send_direct(app)
    assert [m["To"] for m in _mails(server)] == [world["users"]["teamlid"].email]


def test_mode_none_gives_nothing(app, client, login, world, servers):
    server = plain_server(app, servers)
    login(world["users"]["manager"])
    response = client.post(
        "/account/meldingen", data={"assignment": "none", "round_opened": "direct", "due_work": "digest"}
    )
    assert response.status_code == 302
    client.post("/uitloggen")
    login(world["users"]["projectleider"])
    _new_action(client, world, _member(world, Role.MANAGER).id)
    assert _notifications() == []
    _send_direct(app)
    assert server.received == []


def test_the_settings_page_shows_the_defaults_saves_and_refuses_a_mode_a_kind_does_not_have(
    client, login, world
):
    user = world["users"]["teamlid"]
    login(user)
    assert 'href="/account/meldingen"' in client.get("/account").get_data(as_text=True)
    page = client.get("/account/meldingen").get_data(as_text=True)
    assert "Iemand anders wijst mij een punt of actie toe" in page
    assert '<option selected value="direct">Direct</option>' in page
    assert '<option selected value="digest">Wekelijks overzicht</option>' in page
    assert "Het wekelijks overzicht komt op maandag" in page
    due_work = page[page.index('name="due_work"') :]
    assert 'value="direct"' not in due_work[: due_work.index("</select>")]

    refused = client.post(
        "/account/meldingen", data={"assignment": "digest", "round_opened": "none", "due_work": "direct"}
    )
    assert refused.status_code == 200 and "Kies een van de mogelijkheden." in refused.get_data(as_text=True)
    assert preferences.mode_for(user.id, NotificationKind.ASSIGNMENT) == NotificationMode.DIRECT

    saved = client.post(
        "/account/meldingen",
        data={"assignment": "digest", "round_opened": "none", "due_work": "none"},
        follow_redirects=True,
    )
    assert "Uw instellingen voor meldingen zijn opgeslagen." in saved.get_data(as_text=True)
    assert preferences.settings_of(user) == {
        NotificationKind.ASSIGNMENT: NotificationMode.DIGEST,
        NotificationKind.ROUND_OPENED: NotificationMode.NONE,
        NotificationKind.DUE_WORK: NotificationMode.NONE,
    }


def test_the_weekly_overview_lists_overdue_work_on_its_day_once_a_week(app, client, login, world, servers):
    server = plain_server(app, servers)
    app.config.update(PUBLIC_URL=PUBLIC, NOTIFICATIONS_DIGEST_WEEKDAY=3)  # Wednesday
    lead = _member(world, Role.PROJECTLEIDER)
    soon = Action(
        trajectory_id=world["a"].id,
        plan=world["plan"],
        cycle=world["plan"].current_cycle,
        title="Verslag rondsturen",
        owner_id=lead.id,
        due_date=WEDNESDAY + timedelta(days=10),
        status=ActionStatus.BEZIG,
    )
    later = Action(
        trajectory_id=world["a"].id,
        plan=world["plan"],
        cycle=world["plan"].current_cycle,
        title="Evaluatie plannen",
        owner_id=lead.id,
        due_date=WEDNESDAY + timedelta(days=40),
    )
    db.session.add_all([soon, later])
    db.session.commit()

    assert send_due(today=TUESDAY).digests == 0
    assert server.received == []
    report = send_due(today=WEDNESDAY)
    assert (report.digests, report.sent) == (1, 1)
    [message] = _mails(server)
    assert message["To"] == world["users"]["projectleider"].email
    assert message["Subject"] == "Uw weekoverzicht van BETER SAMEN"
    assert message["Auto-Submitted"] == "auto-generated"
    text, html = _parts(message)
    overdue, due_soon = text.index("Te laat:"), text.index("Deadline binnen twee weken:")
    assert overdue < text.index("Bijeenkomst organiseren") < due_soon < text.index("Verslag rondsturen")
    assert "Evaluatie plannen" not in text
    assert f"{PUBLIC}/trajecten/{world['a'].id}/acties/{world['action'].id}" in text
    assert f'href="{PUBLIC}/account/meldingen"' in html and "Traject A" in html

    assert send_due(today=WEDNESDAY).digests == 0
    assert send_due(today=WEDNESDAY + timedelta(days=2)).digests == 0
    assert len(server.received) == 1
    assert send_due(today=WEDNESDAY + timedelta(days=7)).digests == 1  # the next week
    assert len(server.received) == 2
    assert db.session.scalar(sa.select(sa.func.count(DigestMarker.id))) == 2 * 6  # every active user


def test_weekly_mode_keeps_assignments_for_the_overview(app, client, login, world, servers):
    server = plain_server(app, servers)
    manager = world["users"]["manager"]
    preferences.save(manager, {NotificationKind.ASSIGNMENT: NotificationMode.DIGEST})
    db.session.commit()
    login(world["users"]["projectleider"])
    _new_action(client, world, _member(world, Role.MANAGER).id)
    [notification] = _notifications()
    assert notification.digest
    _send_direct(app)
    assert server.received == []

    app.config["NOTIFICATIONS_DIGEST_WEEKDAY"] = 1
    send_due(today=WEDNESDAY)
    [message] = [m for m in _mails(server) if m["To"] == manager.email]
    text, _html = _parts(message)
    assert "Aan u toegewezen sinds het vorige overzicht:" in text and "Ouders uitnodigen" in text


def test_an_english_user_gets_english(app, client, login, world, servers):
    server = plain_server(app, servers)
    manager = world["users"]["manager"]
    manager.locale = "en"
    db.session.commit()
    login(world["users"]["projectleider"])
    _new_action(client, world, _member(world, Role.MANAGER).id)
    _send_direct(app)
    [message] = _mails(server)
    assert message["Subject"] == "Assigned to you: Ouders uitnodigen"
    text, html = _parts(message)
    assert text.startswith("Dear Manon Manager,") and "This work has been assigned to you" in text
    assert "assigned by Pia Projectleider" in text and "Change them here" in text
    assert 'lang="en"' in html and "Change your notification settings" in html
    assert "toegewezen" not in text


def test_an_opening_round_follows_each_members_choice(app, world):
    from tracker.evaluations.tasks import run_due

    manager, teamlid = world["users"]["manager"], world["users"]["teamlid"]
    preferences.save(manager, {NotificationKind.ROUND_OPENED: NotificationMode.DIGEST})
    preferences.save(teamlid, {NotificationKind.ROUND_OPENED: NotificationMode.NONE})
    db.session.commit()
    run_due()
    run_due()
    invited = set(
        db.session.scalars(sa.select(OutboxMessage.to_email).where(OutboxMessage.kind == "invitation"))
    )
    assert world["users"]["projectleider"].email in invited
    assert manager.email not in invited and teamlid.email not in invited
    [noted] = _notifications()
    assert (noted.user_id, noted.kind, noted.subject_kind, noted.digest) == (
        manager.id,
        NotificationKind.ROUND_OPENED,
        "round",
        True,
    )

    send_due(today=date.today())
    db.session.expire_all()
    [overview] = db.session.scalars(
        sa.select(OutboxMessage).where(
            OutboxMessage.kind == "digest", OutboxMessage.to_email == manager.email
        )
    ).all()
    assert "Evaluatierondes die voor u open staan:" in overview.body
    assert f"/trajecten/{world['a'].id}/evaluaties/" in overview.body


def test_the_overview_day_comes_from_the_environment_and_a_wrong_day_is_refused():
    import pytest

    from config import ConfigError, from_environment

    assert from_environment({"NOTIFICATIONS_DIGEST_WEEKDAY": "5"}) == {"NOTIFICATIONS_DIGEST_WEEKDAY": 5}
    for wrong in ("0", "8", "maandag"):
        with pytest.raises(ConfigError, match="NOTIFICATIONS_DIGEST_WEEKDAY"):
            from_environment({"NOTIFICATIONS_DIGEST_WEEKDAY": wrong})
