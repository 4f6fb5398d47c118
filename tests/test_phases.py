"""Checklist items: answering, ownership, own items, reordering, archiving, lost-update protection."""

from __future__ import annotations

from datetime import date

from tracker.extensions import db
from tracker.models import ChecklistItem, ItemStatus, Layer, Role


def _form(item, **overrides):
    data = {
        "answer": "",
        "status": "open",
        "owner_id": "",
        "accountable_layer": "",
        "due_date": "",
        "version": str(item.version),
    }
    data.update(overrides)
    return data


def test_member_answers_an_item_with_owner_layer_status_and_date(client, login, world):
    a = world["a"]
    item = a.items[0]
    owner = next(m for m in a.memberships if m.role == Role.MANAGER)
    login(world["users"]["teamlid"])
    response = client.post(
        f"/trajecten/{a.id}/items/{item.id}",
        data=_form(
            item,
            answer="Regel 1\nRegel 2",
            status="in_behandeling",
            owner_id=str(owner.id),
            accountable_layer="management",
            due_date="2026-05-01",
        ),
    )
    assert response.status_code == 302
    db.session.refresh(item)
    assert (item.answer, item.status, item.owner_id, item.accountable_layer, item.due_date) == (
        "Regel 1\nRegel 2",
        ItemStatus.IN_BEHANDELING,
        owner.id,
        Layer.MANAGEMENT,
        date(2026, 5, 1),
    )
    page = client.get(f"/trajecten/{a.id}/fasen/1").get_data(as_text=True)
    assert "Regel 1\nRegel 2" in page and "Manon Manager" in page


def test_owner_from_another_trajectory_is_refused_and_nothing_changes(client, login, world):
    a, b = world["a"], world["b"]
    item = a.items[0]
    foreign = b.memberships[0]
    login(world["users"]["teamlid"])
    response = client.post(
        f"/trajecten/{a.id}/items/{item.id}",
        data=_form(item, answer="Nieuw antwoord", owner_id=str(foreign.id)),
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Kies een van de mogelijkheden." in body and "Nieuw antwoord" in body
    db.session.refresh(item)
    assert item.answer == "" and item.owner_id is None


def test_invalid_date_and_status_keep_the_input(client, login, world):
    a = world["a"]
    item = a.items[0]
    login(world["users"]["teamlid"])
    body = client.post(
        f"/trajecten/{a.id}/items/{item.id}",
        data=_form(item, answer="Bewaar mij", status="klaar", due_date="morgen"),
    ).get_data(as_text=True)
    assert "Vul een geldige datum in" in body and 'value="morgen"' in body and "Bewaar mij" in body
    db.session.refresh(item)
    assert item.answer == ""


def test_a_stale_save_shows_the_other_change_and_keeps_my_text(client, login, world):
    a = world["a"]
    item = a.items[0]
    stale_version = item.version
    login(world["users"]["teamlid"])
    first = client.post(
        f"/trajecten/{a.id}/items/{item.id}",
        data=_form(item, answer="Antwoord van Manon", version=str(stale_version)),
    )
    assert first.status_code == 302
    second = client.post(
        f"/trajecten/{a.id}/items/{item.id}",
        data=_form(item, answer="Mijn eigen antwoord", version=str(stale_version)),
    )
    body = second.get_data(as_text=True)
    assert second.status_code == 200
    assert "Iemand anders heeft dit punt opgeslagen" in body
    assert "Antwoord van Manon" in body and "Mijn eigen antwoord" in body
    db.session.refresh(item)
    assert item.answer == "Antwoord van Manon"
    # Saving again from the conflict page (which carries the new version) replaces it deliberately.
    third = client.post(
        f"/trajecten/{a.id}/items/{item.id}",
        data=_form(item, answer="Mijn eigen antwoord", version=str(item.version)),
    )
    assert third.status_code == 302
    db.session.refresh(item)
    assert item.answer == "Mijn eigen antwoord"


def test_interleaved_edits_never_overwrite_silently(app, world):
    """Randomised interleavings of two editors: every save either lands or is reported."""
    import random

    a = world["a"]
    item_id = a.items[0].id
    rnd = random.Random(20261123)
    clients = []
    for role in ("teamlid", "manager"):
        c = app.test_client()
        c.post(
            "/inloggen",
            data={"email": world["users"][role].email, "password": "een lange zin als wachtwoord"},
        )
        clients.append(c)
    seen = {0: None, 1: None}
    landed = []
    for step in range(40):
        who = rnd.randrange(2)
        c = clients[who]
        if seen[who] is None or rnd.random() < 0.4:
            db.session.expire_all()
            seen[who] = db.session.get(ChecklistItem, item_id).version
            continue
        text = f"editor {who} step {step}"
        r = c.post(
            f"/trajecten/{a.id}/items/{item_id}",
            data={"answer": text, "status": "open", "version": str(seen[who])},
        )
        db.session.expire_all()
        current = db.session.get(ChecklistItem, item_id)
        if r.status_code == 302:
            assert current.answer == text
            landed.append(text)
            seen[who] = current.version
        else:
            assert "Iemand anders heeft dit punt opgeslagen" in r.get_data(as_text=True)
            assert text in r.get_data(as_text=True)
            assert current.answer == (landed[-1] if landed else "")
            seen[who] = None
    assert landed


def test_members_add_their_own_item_to_a_section(client, login, world):
    a = world["a"]
    section = a.phases[1].sections[0]
    login(world["users"]["teamlid"])
    prefix = f"new-{section.id}-"
    response = client.post(
        f"/trajecten/{a.id}/secties/{section.id}/items",
        data={
            prefix + "text": "Wie kent de jongeren al?",
            prefix + "status": "open",
            prefix + "owner_id": "",
            prefix + "accountable_layer": "uitvoerend",
            prefix + "due_date": "",
        },
    )
    assert response.status_code == 302
    item = db.session.scalar(db.select(ChecklistItem).where(ChecklistItem.is_custom.is_(True)))
    assert item.section_id == section.id and item.position == 8
    empty = client.post(
        f"/trajecten/{a.id}/secties/{section.id}/items", data={prefix + "text": "", prefix + "status": "open"}
    )
    assert empty.status_code == 422 and "Dit veld is verplicht." in empty.get_data(as_text=True)


def test_items_can_be_reordered(client, login, world):
    a = world["a"]
    first, second = a.phases[0].sections[0].items[:2]
    login(world["users"]["teamlid"])
    client.post(f"/trajecten/{a.id}/items/{second.id}/verplaatsen", data={"richting": "omhoog"})
    page = client.get(f"/trajecten/{a.id}/fasen/1").get_data(as_text=True)
    assert page.index(second.text) < page.index(first.text)
    # The first item cannot move further up.
    client.post(f"/trajecten/{a.id}/items/{second.id}/verplaatsen", data={"richting": "omhoog"})
    db.session.expire_all()
    assert db.session.get(ChecklistItem, second.id).position == 1


def test_an_item_with_an_answer_is_archived_and_can_be_restored(client, login, world):
    a = world["a"]
    item = a.phases[0].sections[0].items[0]
    item.answer = "Belangrijk antwoord"
    db.session.commit()
    login(world["users"]["teamlid"])
    client.post(f"/trajecten/{a.id}/items/{item.id}/archiveren")
    db.session.refresh(item)
    assert item.archived_at is not None
    page = client.get(f"/trajecten/{a.id}/fasen/1").get_data(as_text=True)
    assert "Gearchiveerde punten (1)" in page
    client.post(f"/trajecten/{a.id}/items/{item.id}/herstellen")
    db.session.refresh(item)
    assert item.archived_at is None and item.answer == "Belangrijk antwoord"


def test_an_empty_own_item_is_really_removed(client, login, world):
    a = world["a"]
    section = a.phases[0].sections[0]
    item = ChecklistItem(trajectory=a, section=section, position=99, text="Tijdelijk", is_custom=True)
    db.session.add(item)
    db.session.commit()
    item_id = item.id
    login(world["users"]["teamlid"])
    client.post(f"/trajecten/{a.id}/items/{item_id}/archiveren")
    db.session.expire_all()
    assert db.session.get(ChecklistItem, item_id) is None


def test_template_questions_are_never_hard_deleted(client, login, world):
    a = world["a"]
    item = a.items[0]
    login(world["users"]["teamlid"])
    client.post(f"/trajecten/{a.id}/items/{item.id}/archiveren")
    db.session.refresh(item)
    assert item.archived_at is not None


def test_observer_sees_items_but_no_edit_controls(client, login, world):
    a = world["a"]
    login(world["users"]["meekijker"])
    page = client.get(f"/trajecten/{a.id}/fasen/1").get_data(as_text=True)
    assert "Wat is de ambitie?" in page
    assert "Archiveren" not in page and "Eigen punt toevoegen" not in page
    item_page = client.get(f"/trajecten/{a.id}/items/{a.items[0].id}").get_data(as_text=True)
    assert "<form" not in item_page.split("<main")[1].split("</main>")[0]


def test_phase_page_shows_tabel1_and_marks_my_layer(client, login, world):
    login(world["users"]["manager"])
    page = client.get(f"/trajecten/{world['a'].id}/fasen/3").get_data(as_text=True)
    assert "Voortgangsbewaking incl. resultaten en daadkracht" in page
    assert "uw laag" in page
    assert client.get(f"/trajecten/{world['a'].id}/fasen/5").status_code == 404
