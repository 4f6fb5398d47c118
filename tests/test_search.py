"""Search: the index follows every write, results come only from trajectories the user may view,
ranked, grouped and paged; any text typed in the box gives a page, never an error."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from tracker.extensions import db
from tracker.models import AuditEvent, ItemStatus, SearchEntry, SearchKind

from .test_queries import count_queries

WORD = "jongerengroep"


def _add_action(world, title: str, description: str = ""):
    from tracker.actions import services

    action = services.create_action(
        world["a"],
        world["plan"],
        services.ActionValues(title=title, owner_id=world["a"].memberships[0].id, description=description),
    )
    db.session.commit()
    return action


def _add_agreement(world, text: str):
    from tracker.meetings import services

    agreement = services.add_agreement(
        world["a"], world["meeting"], text=text, owner=world["a"].memberships[0], due_date=date(2026, 3, 1)
    )
    db.session.commit()
    return agreement


def _search(client, q, **args):
    response = client.get("/zoeken", query_string={"q": q, **args})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _entries(kind: SearchKind, record_id: int) -> list[SearchEntry]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            sa.select(SearchEntry).where(SearchEntry.kind == kind, SearchEntry.record_id == record_id)
        )
    )


def test_finds_actions_and_the_meeting_by_a_word_in_them_and_links_to_their_pages(client, login, world):
    a = world["a"]
    action = _add_action(world, f"Contact leggen met de {WORD}")
    meeting = world["meeting"]
    meeting.notes = f"De {WORD} komt de volgende keer mee."
    db.session.commit()
    login(world["users"]["meekijker"])
    page = _search(client, WORD)
    assert "gevonden voor ‘jongerengroep’" in page
    assert f'href="/trajecten/{a.id}/acties/{action.id}"' in page
    assert f'href="/trajecten/{a.id}/bijeenkomsten/{meeting.id}"' in page
    assert "Traject A" in page and "Acties" in page and "Netwerkbijeenkomsten" in page
    assert f"<mark>{WORD}</mark>" in page


def test_every_kind_is_found_and_links_to_its_page(client, login, world):
    from tracker.ambitions.services import add_objective

    a = world["a"]
    agreement = _add_agreement(world, f"Bellen met de {WORD}")
    objective = add_objective(world["ambition"], f"De {WORD} heeft een eigen plek")
    world["milestone"].expected_result = f"Afspraken met de {WORD}"
    item = a.phases[0].sections[0].items[0]
    item.answer = f"Nog geen contact met de {WORD}."
    db.session.commit()
    login(world["users"]["teamlid"])
    page = _search(client, WORD)
    assert f'href="/trajecten/{a.id}/bijeenkomsten/{agreement.meeting_id}#afspraken"' in page
    assert f'href="/trajecten/{a.id}/ambities#ambitie-{objective.ambition_id}"' in page
    assert f'href="/trajecten/{a.id}/plannen/{world["plan"].id}#mijlpaal-{world["milestone"].id}"' in page
    assert f'href="/trajecten/{a.id}/fasen/1#item-{item.id}"' in page
    for heading in ("Werkafspraken", "Concrete doelen", "Mijlpalen", "Checklistpunten"):
        assert heading in page


def test_a_hit_in_the_title_ranks_above_a_hit_in_the_body(client, login, world):
    body_hit = _add_action(world, "Overleg plannen", description=f"Met de {WORD} en de school.")
    title_hit = _add_action(world, f"Uitnodiging {WORD}")
    login(world["users"]["projectleider"])
    page = _search(client, WORD)
    assert page.index(f'/acties/{title_hit.id}"') < page.index(f'/acties/{body_hit.id}"')


def test_the_last_word_also_matches_as_the_start_of_a_word(client, login, world):
    action = _add_action(world, f"Contact met de {WORD}")
    login(world["users"]["projectleider"])
    assert f'/acties/{action.id}"' in _search(client, "contact jongeren")


def test_an_outsider_finds_nothing_of_another_trajectory(client, login, world):
    from tracker.search.services import search

    _add_action(world, f"Contact met de {WORD}")
    _add_agreement(world, f"Bellen met de {WORD}")
    outsider = world["users"]["outsider"]
    login(outsider)
    page = _search(client, WORD)
    assert "Niets gevonden voor ‘jongerengroep’" in page
    assert "Traject A" not in page.split("<main", 1)[1]
    assert search(outsider, [WORD]).total == 0
    # Members see their own trajectory's results, administrators every trajectory's.
    assert search(world["users"]["meekijker"], [WORD]).total == 3
    assert search(world["users"]["admin"], [WORD]).total == 3


def test_members_do_not_find_what_another_trajectory_holds(client, login, world):
    from tracker.search.services import search

    b = world["b"]
    item = b.phases[0].sections[0].items[0]
    item.answer = f"Alleen in traject B: {WORD}"
    db.session.commit()
    assert search(world["users"]["outsider"], [WORD]).total == 1
    assert search(world["users"]["projectleider"], [WORD]).total == 0


def _many(world, n: int, start: int = 0) -> None:
    from tracker.actions import services

    for i in range(start, start + n):
        services.create_action(
            world["a"], world["plan"], services.ActionValues(title=f"Zoekwoord {i}", owner_id=None)
        )
    db.session.commit()


def test_results_are_paged_twenty_at_a_time(client, login, world):
    _many(world, 45)
    login(world["users"]["projectleider"])
    first = _search(client, "zoekwoord")
    assert "45 gevonden voor ‘zoekwoord’" in first and "U ziet 1–20." in first
    assert first.count('class="app-results__hit"') == 20
    assert "Pagina 1 van 3" in first and "Volgende" in first and "Vorige" not in first
    assert 'href="/zoeken?q=zoekwoord&amp;pagina=2"' in first
    last = _search(client, "zoekwoord", pagina="3")
    assert last.count('class="app-results__hit"') == 5 and "Vorige" in last and "Volgende" not in last
    assert "Pagina 3 van 3" in _search(client, "zoekwoord", pagina="99")  # beyond the end: the last page
    assert "Pagina 1 van 3" in _search(client, "zoekwoord", pagina="abc")
    assert 'value="zoekwoord"' in first  # the query stays in the box


def test_the_search_page_issues_the_same_queries_for_5_and_45_results(client, login, world):
    login(world["users"]["projectleider"])
    _many(world, 5)
    with count_queries() as few:
        _search(client, "zoekwoord")
    _many(world, 40, start=5)
    with count_queries() as many:
        _search(client, "zoekwoord")
    assert few["n"] == many["n"] <= 6


def test_an_empty_search_shows_a_hint(client, login, world):
    login(world["users"]["teamlid"])
    for q in ("", "   "):
        page = _search(client, q)
        assert "Typ een of meer woorden" in page


HOSTILE = [
    "\x00",
    f"{WORD}\x00",
    "!!!",
    "?!.,;:-–—()[]{}",
    '"',
    '""',
    "'",
    "*",
    "-",
    "^",
    "NEAR",
    "NEAR(a b)",
    'jongeren" OR "a',
    "a AND NOT b",
    "title:jongeren",
    "{title body}: x",
    "a* + -b",
    "'; DROP TABLE search_entries; --",
    "<i>x</i>",
    "\u202e\u200b",
    "e\u0301",
    "汉字",
    "🚸" * 50,
    "x" * 10_000,
    "a " * 150,
]


@pytest.mark.parametrize("q", HOSTILE)
def test_hostile_queries_give_a_page_and_change_nothing(client, login, world, q):
    _add_action(world, f"Contact met de {WORD}")
    login(world["users"]["projectleider"])
    entries = db.session.scalar(sa.select(sa.func.count(SearchEntry.id)))
    events = db.session.scalar(sa.select(sa.func.count(AuditEvent.id)))
    page = _search(client, q)
    assert "<i>x</i>" not in page.split("<main", 1)[1]
    assert db.session.scalar(sa.select(sa.func.count(SearchEntry.id))) == entries
    assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id))) == events


def test_clear_messages_for_punctuation_and_very_long_searches(client, login, world):
    login(world["users"]["projectleider"])
    assert "alleen leestekens vinden niets" in _search(client, "?!.,")
    assert "Zoek op hoogstens 200 tekens." in _search(client, "x" * 10_000)
    assert "tekens die niet zijn toegestaan" in _search(client, "a\x00b")


def test_the_index_follows_an_edit_an_archive_and_a_delete(world):
    from tracker.actions.services import archive_action, restore_action
    from tracker.phases.services import ItemValues, add_item, archive_or_delete

    action = _add_action(world, "Eerste titel")
    action.title = f"Nieuwe titel met {WORD}"
    db.session.commit()
    assert [e.title for e in _entries(SearchKind.ACTION, action.id)] == [action.title]

    archive_action(action)
    db.session.commit()
    assert _entries(SearchKind.ACTION, action.id) == []
    restore_action(action)
    db.session.commit()
    assert len(_entries(SearchKind.ACTION, action.id)) == 1

    section = world["a"].phases[0].sections[0]
    item = add_item(section, world["a"], ItemValues(status=ItemStatus.OPEN, text=WORD))
    db.session.commit()
    assert len(_entries(SearchKind.ITEM, item.id)) == 1
    assert archive_or_delete(item) == "deleted"
    db.session.commit()
    assert _entries(SearchKind.ITEM, item.id) == []

    agreement = _add_agreement(world, f"Bellen met de {WORD}")
    world["meeting"].purpose = "Nieuw doel van de bijeenkomst"
    db.session.commit()
    assert _entries(SearchKind.AGREEMENT, agreement.id)[0].context == "Nieuw doel van de bijeenkomst"
    world["meeting"].agreements.remove(agreement)
    db.session.commit()
    assert _entries(SearchKind.AGREEMENT, agreement.id) == []


def test_records_made_with_only_their_parents_id_are_indexed(world):
    from tracker.models import Agreement, WorkshopNote, WorkshopParticipant

    workshop = world["workshop"]
    participant = WorkshopParticipant(workshop_id=workshop.id, name="Gast")
    db.session.add(participant)
    db.session.flush()
    note = WorkshopNote(workshop_id=workshop.id, participant_id=participant.id, category="goed", text=WORD)
    agreement = Agreement(meeting_id=world["meeting"].id, text=WORD, due_date=date(2026, 3, 1))
    db.session.add_all([note, agreement])
    db.session.commit()
    assert _entries(SearchKind.WORKSHOP_NOTE, note.id)[0].context == "Taart van ambities"
    assert _entries(SearchKind.AGREEMENT, agreement.id)[0].page_id == world["meeting"].id


def test_the_rebuild_command_writes_the_index_again(client, login, runner, world):
    action = _add_action(world, f"Contact met de {WORD}")
    total = db.session.scalar(sa.select(sa.func.count(SearchEntry.id)))
    db.session.execute(sa.delete(SearchEntry))
    db.session.commit()
    login(world["users"]["projectleider"])
    assert "Niets gevonden" in _search(client, WORD)

    result = runner.invoke(args=["search", "rebuild"])
    assert result.exit_code == 0, result.output
    assert f"Zoekindex opnieuw opgebouwd: {total} onderdelen." in result.output
    assert f'/acties/{action.id}"' in _search(client, WORD)


def test_the_header_has_a_search_box_for_signed_in_users(client, login, world):
    assert 'role="search"' not in client.get("/inloggen").get_data(as_text=True)
    login(world["users"]["meekijker"])
    page = client.get("/trajecten").get_data(as_text=True)
    assert (
        'role="search"' in page
        and '<label class="app-visually-hidden" for="zoeken-kop">Zoeken</label>' in page
    )


def test_the_search_page_is_for_signed_in_users(client):
    response = client.get("/zoeken", query_string={"q": WORD})
    assert response.status_code == 302 and "/inloggen" in response.headers["Location"]
