"""Quick changes: a status changed from a list row returns to that list; project leads assign
items in bulk; archiving first says what will happen."""

from __future__ import annotations

import html
from datetime import date

import sqlalchemy as sa

from tracker.extensions import db
from tracker.models import (
    Action,
    ActionStatus,
    AuditEvent,
    ChecklistItem,
    ItemStatus,
    Layer,
    Role,
)


def _events(entity: str, entity_id: int) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            sa.select(AuditEvent)
            .where(AuditEvent.entity == entity, AuditEvent.entity_id == entity_id)
            .order_by(AuditEvent.id)
        )
    )


def _phase1_items(trajectory) -> list[ChecklistItem]:
    return sorted(
        (i for i in trajectory.items if i.section.phase.number == 1 and i.archived_at is None),
        key=lambda i: i.id,
    )


# --- status from a list row ---------------------------------------------------------------------


def test_status_from_the_actions_list_returns_to_the_same_filtered_list(client, login, world):
    a, action = world["a"], world["action"]
    login(world["users"]["teamlid"])
    listing = f"/trajecten/{a.id}/acties?status=gepland&plan={world['plan'].id}"
    page = client.get(listing).get_data(as_text=True)
    assert f'action="/trajecten/{a.id}/acties/{action.id}/status"' in page
    assert f'value="{html.escape(listing)}"' in page  # the way back, filters included
    assert f'id="actie-{action.id}"' in page
    before = (action.title, action.owner_id, action.due_date, action.stage, action.milestone_id)
    events = len(_events("Action", action.id))

    response = client.post(
        f"/trajecten/{a.id}/acties/{action.id}/status",
        data={"status": "bezig", "version": str(action.version), "next": listing},
    )

    assert response.status_code == 302
    assert response.headers["Location"] == f"{listing}#actie-{action.id}"
    db.session.expire_all()
    changed = db.session.get(Action, action.id)
    assert changed.status == ActionStatus.BEZIG
    assert (changed.title, changed.owner_id, changed.due_date, changed.stage, changed.milestone_id) == before
    new_events = _events("Action", action.id)[events:]
    assert [e.changes for e in new_events] == [{"status": ["gepland", "bezig"]}]
    assert "Bijeenkomst organiseren’ is nu: Bezig." in client.get(listing).get_data(as_text=True)


def test_a_stale_version_gives_the_conflict_message_and_changes_nothing(client, login, world):
    a, action = world["a"], world["action"]
    login(world["users"]["teamlid"])
    shown = action.version
    action.title = "Door iemand anders gewijzigd"
    db.session.commit()
    response = client.post(
        f"/trajecten/{a.id}/acties/{action.id}/status",
        data={"status": "gereed", "version": str(shown), "next": f"/trajecten/{a.id}/acties"},
        follow_redirects=True,
    )
    assert "Iemand anders heeft dit net gewijzigd" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Action, action.id).status == ActionStatus.GEPLAND


def test_a_meekijker_cannot_change_a_status_and_sees_no_row_form(client, login, world):
    a, action = world["a"], world["action"]
    item = _phase1_items(a)[0]
    login(world["users"]["meekijker"])
    assert "/status" not in client.get(f"/trajecten/{a.id}/acties").get_data(as_text=True)
    assert "/status" not in client.get(f"/trajecten/{a.id}/fasen/1").get_data(as_text=True)
    for url, version in (
        (f"/trajecten/{a.id}/acties/{action.id}/status", action.version),
        (f"/trajecten/{a.id}/items/{item.id}/status", item.version),
    ):
        assert client.post(url, data={"status": "gereed", "version": str(version)}).status_code == 403
    db.session.expire_all()
    assert db.session.get(Action, action.id).status == ActionStatus.GEPLAND
    assert db.session.get(ChecklistItem, item.id).status == ItemStatus.OPEN


def test_a_next_to_another_site_is_ignored(client, login, world):
    a, action = world["a"], world["action"]
    login(world["users"]["teamlid"])
    plan_page = f"/trajecten/{a.id}/plannen/{world['plan'].id}#actie-{action.id}"
    for target in ("https://evil.example/acties", "//evil.example/acties", "/\\evil.example", "javascript:x"):
        db.session.expire_all()
        response = client.post(
            f"/trajecten/{a.id}/acties/{action.id}/status",
            data={
                "status": "bezig",
                "version": str(db.session.get(Action, action.id).version),
                "next": target,
            },
        )
        assert response.headers["Location"] == plan_page, target


def test_an_invalid_status_changes_nothing(client, login, world):
    a, action = world["a"], world["action"]
    login(world["users"]["teamlid"])
    response = client.post(
        f"/trajecten/{a.id}/acties/{action.id}/status",
        data={"status": "<b>klaar</b>", "version": str(action.version)},
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "De status is niet gewijzigd" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Action, action.id).status == ActionStatus.GEPLAND


def test_item_status_from_my_work_and_the_layer_view_returns_there(client, login, world):
    a = world["a"]
    me = next(m for m in a.memberships if m.role == Role.TEAMLID)
    first, second = _phase1_items(a)[:2]
    first.owner_id = me.id
    second.accountable_layer = Layer.BESTUUR
    db.session.commit()
    login(world["users"]["teamlid"])

    assert f'action="/trajecten/{a.id}/items/{first.id}/status"' in client.get("/mijn-werk?alles=1").get_data(
        as_text=True
    )
    response = client.post(
        f"/trajecten/{a.id}/items/{first.id}/status",
        data={"status": "in_behandeling", "version": str(first.version), "next": "/mijn-werk?alles=1"},
    )
    assert response.headers["Location"] == f"/mijn-werk?alles=1#item-{first.id}"

    layer_view = f"/trajecten/{a.id}/lagen/bestuur"
    assert f'action="/trajecten/{a.id}/items/{second.id}/status"' in client.get(layer_view).get_data(
        as_text=True
    )
    response = client.post(
        f"/trajecten/{a.id}/items/{second.id}/status",
        data={"status": "afgerond", "version": str(second.version), "next": layer_view},
    )
    assert response.headers["Location"] == f"{layer_view}#item-{second.id}"
    db.session.expire_all()
    assert db.session.get(ChecklistItem, first.id).status == ItemStatus.IN_BEHANDELING
    assert db.session.get(ChecklistItem, second.id).status == ItemStatus.AFGEROND
    assert _events("ChecklistItem", second.id)[-1].changes == {"status": ["open", "afgerond"]}


def test_the_plan_page_shows_the_row_form_and_returns_to_the_row(client, login, world):
    a, action = world["a"], world["action"]
    login(world["users"]["teamlid"])
    plan_page = f"/trajecten/{a.id}/plannen/{world['plan'].id}"
    assert f'action="/trajecten/{a.id}/acties/{action.id}/status"' in client.get(plan_page).get_data(
        as_text=True
    )
    response = client.post(
        f"/trajecten/{a.id}/acties/{action.id}/status",
        data={"status": "gereed", "version": str(action.version), "next": plan_page},
    )
    assert response.headers["Location"] == f"{plan_page}#actie-{action.id}"


# --- bulk assignment on the phase page ----------------------------------------------------------


def test_bulk_assign_changes_exactly_the_selected_items(client, login, world):
    a = world["a"]
    manager = next(m for m in a.memberships if m.role == Role.MANAGER)
    items = _phase1_items(a)
    chosen, untouched = items[:3], items[3:]
    before = {i.id: (i.owner_id, i.accountable_layer, i.due_date, i.status) for i in untouched}
    login(world["users"]["projectleider"])
    page = client.get(f"/trajecten/{a.id}/fasen/1").get_data(as_text=True)
    assert 'form="bulk-assign" name="items"' in page and "Niet wijzigen" in page

    response = client.post(
        f"/trajecten/{a.id}/fasen/1/toewijzen",
        data={
            "items": [str(i.id) for i in chosen],
            "bulk-owner_id": str(manager.id),
            "bulk-accountable_layer": "management",
            "bulk-due_date": "2026-06-01",
        },
        follow_redirects=True,
    )
    assert "3 punten zijn toegewezen." in response.get_data(as_text=True)
    db.session.expire_all()
    for item in chosen:
        item = db.session.get(ChecklistItem, item.id)
        assert (item.owner_id, item.accountable_layer, item.due_date) == (
            manager.id,
            Layer.MANAGEMENT,
            date(2026, 6, 1),
        )
        assert item.status == ItemStatus.OPEN
        assert set(_events("ChecklistItem", item.id)[-1].changes) == {
            "owner_id",
            "accountable_layer",
            "due_date",
        }
    for item in untouched:
        item = db.session.get(ChecklistItem, item.id)
        assert (item.owner_id, item.accountable_layer, item.due_date, item.status) == before[item.id]


def test_bulk_assign_leaves_unchosen_fields_alone(client, login, world):
    a = world["a"]
    item = _phase1_items(a)[0]
    item.accountable_layer, item.due_date = Layer.BESTUUR, date(2026, 5, 1)
    db.session.commit()
    login(world["users"]["projectleider"])
    client.post(
        f"/trajecten/{a.id}/fasen/1/toewijzen",
        data={
            "items": [str(item.id)],
            "bulk-owner_id": "geen",
            "bulk-accountable_layer": "",
            "bulk-due_date": "",
        },
    )
    db.session.expire_all()
    item = db.session.get(ChecklistItem, item.id)
    assert (item.owner_id, item.accountable_layer, item.due_date) == (None, Layer.BESTUUR, date(2026, 5, 1))


def test_bulk_assign_refuses_items_of_another_trajectory(client, login, world):
    a, b = world["a"], world["b"]
    mine = _phase1_items(a)[0]
    theirs = _phase1_items(b)[0]
    login(world["users"]["projectleider"])
    response = client.post(
        f"/trajecten/{a.id}/fasen/1/toewijzen",
        data={"items": [str(mine.id), str(theirs.id)], "bulk-accountable_layer": "bestuur"},
    )
    assert response.status_code == 404
    db.session.expire_all()
    assert db.session.get(ChecklistItem, mine.id).accountable_layer is None
    assert db.session.get(ChecklistItem, theirs.id).accountable_layer is None


def test_bulk_assign_with_nothing_selected_or_nothing_chosen_says_so(client, login, world):
    a = world["a"]
    item = _phase1_items(a)[0]
    login(world["users"]["projectleider"])
    url = f"/trajecten/{a.id}/fasen/1/toewijzen"
    page = client.post(url, data={"bulk-accountable_layer": "bestuur"}, follow_redirects=True)
    assert "vink eerst de punten aan die u wilt toewijzen" in page.get_data(as_text=True)
    page = client.post(url, data={"items": [str(item.id)]}, follow_redirects=True)
    assert "kies een eigenaar, een laag of een deadline" in page.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(ChecklistItem, item.id).accountable_layer is None


def test_bulk_assign_is_for_project_leads(client, login, world):
    a = world["a"]
    item = _phase1_items(a)[0]
    login(world["users"]["teamlid"])
    assert 'name="items"' not in client.get(f"/trajecten/{a.id}/fasen/1").get_data(as_text=True)
    response = client.post(
        f"/trajecten/{a.id}/fasen/1/toewijzen",
        data={"items": [str(item.id)], "bulk-accountable_layer": "bestuur"},
    )
    assert response.status_code == 403


# --- archiving asks first -----------------------------------------------------------------------


def test_archiving_an_action_first_says_what_will_happen(client, login, world):
    a, action = world["a"], world["action"]
    login(world["users"]["teamlid"])
    url = f"/trajecten/{a.id}/acties/{action.id}/archiveren"
    assert f'href="{url}"' in client.get(f"/trajecten/{a.id}/acties/{action.id}").get_data(as_text=True)
    page = client.get(url).get_data(as_text=True)
    assert "Wat gebeurt er" in page and "kan worden teruggezet" in page and "Ja, actie archiveren" in page
    db.session.expire_all()
    assert db.session.get(Action, action.id).archived_at is None
    assert client.post(url).status_code == 302
    db.session.expire_all()
    assert db.session.get(Action, action.id).archived_at is not None


def test_archiving_an_item_first_says_what_will_happen(client, login, world):
    a = world["a"]
    item = _phase1_items(a)[0]
    login(world["users"]["teamlid"])
    url = f"/trajecten/{a.id}/items/{item.id}/archiveren"
    assert f'href="{url}"' in client.get(f"/trajecten/{a.id}/fasen/1").get_data(as_text=True)
    page = client.get(url).get_data(as_text=True)
    assert "Wat gebeurt er" in page and "Gearchiveerde punten" in page and "Ja, punt archiveren" in page
    db.session.expire_all()
    assert db.session.get(ChecklistItem, item.id).archived_at is None
    client.post(url)
    db.session.expire_all()
    assert db.session.get(ChecklistItem, item.id).archived_at is not None


def test_removing_an_empty_own_item_says_it_is_gone_for_good(client, login, world):
    a = world["a"]
    section = _phase1_items(a)[0].section
    own = ChecklistItem(trajectory=a, section=section, position=99, text="Eigen punt", is_custom=True)
    db.session.add(own)
    db.session.commit()
    own_id = own.id
    login(world["users"]["teamlid"])
    url = f"/trajecten/{a.id}/items/{own_id}/archiveren"
    page = client.get(url).get_data(as_text=True)
    assert "definitief verwijderd" in page and "Ja, punt verwijderen" in page
    client.post(url)
    db.session.expire_all()
    assert db.session.get(ChecklistItem, own_id) is None


def test_the_confirm_pages_are_for_editors(client, login, world):
    a, action = world["a"], world["action"]
    item = _phase1_items(a)[0]
    login(world["users"]["meekijker"])
    assert client.get(f"/trajecten/{a.id}/acties/{action.id}/archiveren").status_code == 403
    assert client.get(f"/trajecten/{a.id}/items/{item.id}/archiveren").status_code == 403
