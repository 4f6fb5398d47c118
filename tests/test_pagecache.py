"""The page cache (tracker/pagecache.py): a page served from it is the page a fresh render gives,
every write (through this app or another server on the same database) shows on the next view,
and access is checked on every request."""

from __future__ import annotations

import re
from datetime import date

import pytest
import sqlalchemy as sa

from tracker import create_app, demo, pagecache
from tracker.extensions import db
from tracker.models import (
    Action,
    ActionStatus,
    ChecklistItem,
    DataVersion,
    EvaluationRound,
    Milestone,
    Plan,
    Trajectory,
    User,
)
from tracker.pagecache import Page
from tracker.pagestore import PageCache
from tracker.scale import MAIN_PAGES

from .fixtures_app import _test_config
from .test_queries import count_queries

PAGES = {
    **MAIN_PAGES,
    "actions, one trajectory": "/trajecten/{t}/acties?status=gepland",
    # other read-only pages
    "an action": "/trajecten/{t}/acties/{action}",
    "an item": "/trajecten/{t}/items/{item}",
    "plans": "/trajecten/{t}/plannen",
    "a milestone": "/trajecten/{t}/mijlpalen/{milestone}",
    "behind, one trajectory": "/trajecten/{t}/achter",
    "behind, all trajectories": "/achter",
    "timeline": "/trajecten/{t}/tijdlijn",
    "charts": "/trajecten/{t}/grafieken",
    "table 1": "/trajecten/{t}/tabel-1",
}
LEAD = "anouk@demo.betersamen.nl"
ROLES = {
    "projectleider": LEAD,
    "manager": "marieke@demo.betersamen.nl",
    "teamlid": "fatima@demo.betersamen.nl",
    "meekijker": "tom@demo.betersamen.nl",
    "beheerder": "beheer@demo.betersamen.nl",  # an administrator, not a member
}
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@pytest.fixture
def cache(app) -> PageCache:
    app.config["PAGE_CACHE"] = True
    pagecache.init_app(app)
    page_cache = pagecache.cache_of(app)
    assert page_cache is not None
    return page_cache


@pytest.fixture
def urls(demo_loaded) -> dict[str, str]:
    case = db.session.scalar(sa.select(Trajectory).where(Trajectory.name.like("Preventie%")))
    plan = db.session.scalar(sa.select(Plan.id).where(Plan.trajectory_id == case.id).order_by(Plan.id))
    closed = db.session.scalar(
        sa.select(EvaluationRound.id)
        .where(EvaluationRound.trajectory_id == case.id, EvaluationRound.closes_on < date.today())
        .order_by(EvaluationRound.closes_on.desc())
    )
    first = {
        name: db.session.scalar(sa.select(model.id).where(model.trajectory_id == case.id).order_by(model.id))
        for name, model in (("action", Action), ("item", ChecklistItem), ("milestone", Milestone))
    }
    ids = {"t": case.id, "plan": plan, "round": closed, **first}
    return {name: path.format(**ids) for name, path in PAGES.items()}


def _login(client, email: str) -> None:
    response = client.post("/inloggen", data={"email": email, "password": demo.DEMO_PASSWORD})
    assert response.status_code == 302


def _normal(body: str) -> str:
    """The page with its per-request values (CSRF token, seconds left) made comparable."""
    for token in set(TOKEN.findall(body)):
        body = body.replace(token, "TOKEN")
    return re.sub(r'data-remaining="\d+"', 'data-remaining="N"', body)


def _fresh(app, client, url: str):
    """The page rendered now, with the cache out of the way."""
    held = app.extensions.pop(pagecache.EXTENSION)
    try:
        return client.get(url)
    finally:
        app.extensions[pagecache.EXTENSION] = held


def _version() -> int:
    return db.session.scalar(sa.select(DataVersion.value))


def test_every_cached_page_equals_a_fresh_render_for_every_role(app, client, cache, urls):
    for role, email in ROLES.items():
        client.post("/uitloggen")
        _login(client, email)
        for name, url in urls.items():
            first = client.get(url)
            assert first.status_code == 200 or role != "projectleider", (role, name)
            if first.status_code != 200:  # a page this role may not see is refused every time
                assert client.get(url).status_code == first.status_code, (role, name)
                continue
            held = len(cache)
            again = client.get(url)
            fresh = _fresh(app, client, url)
            assert again.status_code == fresh.status_code == 200, (role, name)
            body = again.get_data(as_text=True)
            assert "PAGECACHE" not in body and 'data-remaining="' in body
            assert _normal(body) == _normal(fresh.get_data(as_text=True)), (role, name)
            assert _normal(body) == _normal(first.get_data(as_text=True)), (role, name)
            assert len(cache) == held, (role, name)  # the second request was served from the cache
    assert len(cache) >= len(urls)


def test_no_view_of_a_cached_page_writes(app, client, cache, urls):
    _login(client, LEAD)
    before = _version()
    for url in urls.values():
        assert client.get(url).status_code == 200
        assert client.get(url).status_code == 200
    db.session.expire_all()
    assert _version() == before


def test_a_page_from_the_cache_carries_a_token_that_works(app, client, cache, urls):
    app.config["WTF_CSRF_ENABLED"] = True
    _login_with_token(client)
    client.get(urls["trajectory"])
    body = client.get(urls["trajectory"]).get_data(as_text=True)
    response = client.post("/uitloggen", data={"csrf_token": TOKEN.findall(body)[0]})
    assert response.status_code == 302 and "/inloggen" in response.headers["Location"]


def _login_with_token(client) -> None:
    page = client.get("/inloggen").get_data(as_text=True)
    data = {"email": LEAD, "password": demo.DEMO_PASSWORD, "csrf_token": TOKEN.findall(page)[0]}
    assert client.post("/inloggen", data=data).status_code == 302


def test_a_status_change_shows_at_once_and_its_message_once(app, client, cache, urls):
    _login(client, LEAD)
    listing = urls["actions, one trajectory"]
    trajectory_id = int(listing.split("/")[2])
    action = db.session.scalar(
        sa.select(Action)
        .where(Action.trajectory_id == trajectory_id, Action.status == ActionStatus.GEPLAND)
        .order_by(Action.id)
    )
    client.get(listing)
    assert f'id="actie-{action.id}"' in client.get(listing).get_data(as_text=True)
    before = _version()

    response = client.post(
        f"/trajecten/{trajectory_id}/acties/{action.id}/status",
        data={"status": "bezig", "version": str(action.version), "next": listing},
    )

    assert response.status_code == 302
    db.session.expire_all()
    assert _version() > before
    shown = client.get(listing).get_data(as_text=True)
    assert "’ is nu: Bezig." in shown  # the message, once
    assert f'id="actie-{action.id}"' not in shown  # no longer planned: not in this filtered list
    again = client.get(listing).get_data(as_text=True)
    assert "’ is nu: Bezig." not in again
    assert _normal(again) == _normal(_fresh(app, client, listing).get_data(as_text=True))
    everything = client.get(f"/trajecten/{trajectory_id}/acties?status=bezig").get_data(as_text=True)
    assert f'id="actie-{action.id}"' in everything


def test_a_write_on_another_server_shows_on_the_next_view(app, client, cache, urls, database_url):
    _login(client, LEAD)
    for name in ("overview", "trajectory"):
        client.get(urls[name])
        assert "Preventie" in client.get(urls[name]).get_data(as_text=True)
    other = create_app(_test_config(database_url, PAGE_CACHE=True))
    with other.app_context():
        trajectory_id = int(urls["trajectory"].rsplit("/", 1)[1])
        db.session.get(Trajectory, trajectory_id).name = "Hernoemd op de andere server"
        db.session.commit()
        db.engine.dispose()
    for name in ("overview", "trajectory"):
        body = client.get(urls[name]).get_data(as_text=True)
        assert "Hernoemd op de andere server" in body, name


def test_an_outsider_is_refused_whatever_the_cache_holds(app, client, cache, urls, make_user, login):
    _login(client, LEAD)
    for url in urls.values():
        client.get(url)
        client.get(url)
    titles = db.session.scalars(sa.select(Action.title).limit(5)).all()
    client.post("/uitloggen")
    login(make_user("Buiten Staander"))
    for name, url in urls.items():
        if "/trajecten/" in url and url != "/trajecten":
            assert client.get(url).status_code == 403, name
    assert client.get("/trajecten/999999").status_code == 404
    assert client.get("/trajecten/999999/fasen/1").status_code == 404
    mine = client.get(urls["actions, all trajectories"]).get_data(as_text=True)
    assert not any(title in mine for title in titles)
    client.post("/uitloggen")
    assert client.get(urls["trajectory"]).status_code == 302  # to the login page


def test_english_is_never_served_dutch(app, client, cache, urls):
    _login(client, LEAD)
    for url in (urls["trajectory"], urls["my work"]):
        client.get(url)
        assert "Mijn werk" in client.get(url).get_data(as_text=True)
    db.session.scalar(sa.select(User).where(User.email == LEAD)).locale = "en"
    db.session.commit()
    for url in (urls["trajectory"], urls["my work"]):
        body = client.get(url).get_data(as_text=True)
        assert "My work" in body and "Mijn werk" not in body
        assert _normal(client.get(url).get_data(as_text=True)) == _normal(body)


def test_a_page_from_the_cache_costs_a_few_queries_whatever_the_page(app, client, cache, urls):
    _login(client, LEAD)
    counts = {}
    for name, url in urls.items():
        client.get(url)
        with count_queries() as counter:
            assert client.get(url).status_code == 200
        counts[name] = counter["n"]
    # the user, and the data version (on a trajectory's page with the members' roles)
    assert set(counts.values()) == {2}, counts


def test_the_cache_keeps_to_its_bytes_and_drops_everything_on_a_new_version():
    store = PageCache(max_bytes=40_000)
    page = Page("x" * 5_000)
    for n in range(20):
        store.get(("page", n), 1)
        store.put(("page", n), 1, page)
    assert store.bytes <= 40_000 and 0 < len(store) < 20
    assert store.get(("page", 19), 1) is page and store.get(("page", 0), 1) is None
    assert store.get(("page", 19), 2) is None and len(store) == 0
    store.put(("page", 1), 1, page)  # rendered from an older version: not kept
    assert len(store) == 0
    store.put(("huge",), 2, Page("y" * 20_000))  # over a quarter of the cache: not kept
    assert len(store) == 0


def test_refresh_pages_raises_the_version_after_changes_made_by_other_means(app, client, cache, urls):
    _login(client, LEAD)
    client.get(urls["trajectory"])
    trajectory_id = int(urls["trajectory"].rsplit("/", 1)[1])
    with db.engine.begin() as connection:  # by other means: no ORM session, no version raised
        connection.execute(
            sa.update(Trajectory).where(Trajectory.id == trajectory_id).values(name="Buiten om")
        )
    assert "Buiten om" not in client.get(urls["trajectory"]).get_data(as_text=True)
    result = app.test_cli_runner().invoke(args=["refresh-pages"])
    assert result.exit_code == 0, result.output
    assert "Buiten om" in client.get(urls["trajectory"]).get_data(as_text=True)


def test_a_session_with_one_off_state_is_rendered_and_not_kept(app, client, cache, urls):
    _login(client, LEAD)
    with client.session_transaction() as session:  # a form kept across an expired session, elsewhere
        session["form_stash"] = {"id": 12345, "url": "/elders"}
    for _ in range(2):
        assert client.get(urls["trajectory"]).status_code == 200
    assert len(cache) == 0
    with client.session_transaction() as session:
        del session["form_stash"]
    client.get(urls["trajectory"])
    assert len(cache) == 1
