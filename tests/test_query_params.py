"""Ids in query strings and forms: one shared parser, so no query parameter can produce a 500."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tracker.extensions import db
from tracker.ids import parse_id

from .fixtures_urls import fill_rule
from .query_watch import Watch, client_state, watching

ROOT = Path(__file__).resolve().parent.parent
BAD_VALUES = ["99999999999999999999", "²", "-1", "0", "abc"]
# Names the issue lists, whatever the code calls them today.
GENERIC = {"plan", "layer", "owner", "organisation", "status", "page", "entity", "entity_id", "id"}
# The page numbers of the lists with more than one pager on a page (tracker/paging.py).
GENERIC |= {"pagina_mijlpalen", "pagina_rondes", "pagina_heatmap"}
SKIP = {"static"}
SHARDS = 4


def _query_parameters() -> set[str]:
    """Every query parameter the code reads, collected from the source."""
    source = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "tracker").rglob("*.py"))
    names = set(re.findall(r"""args\.get\(\s*["']([^"']+)["']""", source))
    names |= set(re.findall(r"""arg_id\(\s*[\w.]+,\s*["']([^"']+)["']""", source))
    return names | GENERIC


def _get_urls(app, url_args):
    return [
        fill_rule(rule.rule, url_args)
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and rule.endpoint not in SKIP
    ]


@pytest.mark.parametrize(
    "value, expected",
    [
        ("1", 1),
        ("2147483647", 2**31 - 1),
        ("2147483648", None),
        ("99999999999999999999", None),
        ("²", None),
        ("٣", None),
        ("-1", None),
        ("0", None),
        ("abc", None),
        ("", None),
        (None, None),
        (" 1", None),
        ("1\n", None),
        ("+1", None),
        ("1.0", None),
        (5, 5),
        (0, None),
        (True, None),
    ],
)
def test_parse_id_accepts_only_bounded_ascii_ids(value, expected):
    assert parse_id(value) == expected


def test_the_known_query_parameters_are_collected():
    names = _query_parameters()
    assert {"plan", "kaart", "punt", "doel", "organisatie", "eigenaar", "laag", "voor", "id"} <= names


@pytest.mark.parametrize("shard", range(SHARDS))
def test_no_query_parameter_value_gives_a_500(app, client, login, world, url_args, shard):
    """Every GET route × every query parameter × hostile numbers: never a 500. The routes are
    dealt over a few shards, so parallel test workers share the work.

    A query is sent only to a route that can tell it is there: one that looked at one of its
    names (or at the whole query string) when asked without parameters. Any other route handles
    it exactly as that request without parameters, whose answer stands for it
    (tests/query_watch.py), as long as no request since then changed the database or cookies."""
    login(world["users"]["admin"])
    urls = _get_urls(app, url_args)[shard::SHARDS]
    names = sorted(_query_parameters())
    failures = []
    with watching(app) as watch:
        requests = Requests(app, client, watch)
        for url in urls:
            for value in BAD_VALUES:
                # All parameters at once, and each alone (an early 404 on one must not hide another).
                queries = [dict.fromkeys(names, value)]
                if value == "99999999999999999999":
                    queries += [{name: value} for name in names]
                for query in queries:
                    status = requests.get(url, query)
                    if status >= 500:
                        failures.append((url, query if len(query) == 1 else value, status))
    assert failures == []
    assert requests.sent + requests.known == len(urls) * (len(BAD_VALUES) + len(names))


class Requests:
    """The requests of the test above, and what the last request without parameters to each URL
    tells about the others: which names it looked at, and its status."""

    def __init__(self, app, client, watch) -> None:
        self.app, self.client, self.watch = app, client, watch
        self.generation = 0  # moves on whenever a request changed the database or the cookies
        self.bare: dict[str, tuple[int, Watch, int]] = {}  # url -> (generation, what it read, status)
        self.sent = self.known = 0

    def get(self, url: str, query: dict) -> int:
        """The status ``url`` answers with ``query``: sent, or known from the bare request."""
        bare = self.bare.get(url)
        if bare is None or bare[0] != self.generation:
            status, changed = self._send(url, {})
            read = Watch()
            read.names, read.everything = set(self.watch.names), self.watch.everything or changed
            bare = self.bare[url] = (self.generation, read, status)
        if any(bare[1].read(name) for name in query):
            self.sent += 1
            return self._send(url, query)[0]
        self.known += 1
        return bare[2]

    def _send(self, url: str, query: dict) -> tuple[int, bool]:
        before = client_state(self.app, self.client)
        self.watch.reset()
        status = self.client.get(url, query_string=query).status_code
        changed = self.watch.writes > 0 or client_state(self.app, self.client) != before
        if changed:
            self.generation += 1
        return status, changed


def test_an_absurd_id_in_a_filter_shows_the_unfiltered_page(client, login, world):
    login(world["users"]["projectleider"])
    response = client.get(f"/trajecten/{world['a'].id}/acties", query_string={"plan": "99999999999999999999"})
    assert response.status_code == 200
    assert "Bijeenkomst organiseren" in response.get_data(as_text=True)


def test_a_superscript_digit_in_a_form_id_is_refused_quietly(client, login, world):
    login(world["users"]["projectleider"])
    a = world["a"]
    response = client.post(
        f"/trajecten/{a.id}/acties/nieuw",
        data={
            "title": "Nieuwe actie",
            "plan_id": "²",
            "owner_id": "²",
            "status": "gepland",
            "stage": "plan",
            "source_type": "checklist_item",
            "source_id": "²",
        },
    )
    assert response.status_code < 500
    assert "Nieuwe actie" in response.get_data(as_text=True)  # the typed text is kept


# --- repeated form fields are bounded by what the page shows --------------------------------------


def test_a_start_reflection_with_20000_aspects_is_refused_without_processing_them(client, login, world):
    from tracker.models import StartReflection

    a = world["a"]
    reflection = a.reflections[0]
    before = [(r.aspect_key, r.version, r.movement, r.note) for r in a.reflections]
    login(world["users"]["teamlid"])
    data = {}
    for n in range(20_000):
        data[f"aspects-{n}-aspect_key"] = reflection.aspect_key
        data[f"aspects-{n}-version"] = str(reflection.version)
        data[f"aspects-{n}-movement"] = "deels"
        data[f"aspects-{n}-note"] = f"Noot {n}"
    response = client.post(f"/trajecten/{a.id}/startreflectie", data=data)
    assert response.status_code == 400
    assert (
        "Niet opgeslagen: het formulier bevatte meer aspecten dan de startreflectie heeft."
        in response.get_data(as_text=True)
    )
    db.session.expire_all()
    after = db.session.scalars(
        db.select(StartReflection)
        .where(StartReflection.trajectory_id == a.id)
        .order_by(StartReflection.position)
    ).all()
    assert [(r.aspect_key, r.version, r.movement, r.note) for r in after] == before


def test_the_bounded_list_builds_no_entries_beyond_its_bound_and_ignores_odd_indices(app):
    from werkzeug.datastructures import MultiDict

    from tracker.reflection.forms import MAX_ASPECTS, ReflectionForm

    with app.test_request_context(method="POST"):
        many = MultiDict({f"aspects-{n}-note": "x" for n in range(MAX_ASPECTS + 1)})
        form = ReflectionForm(formdata=many, meta={"csrf": False})
        assert form.aspects.entries == [] and not form.validate()
        odd = MultiDict(
            {"aspects-²-note": "x", "aspects-99999999999999999999-note": "y", "aspects-0-note": "z"}
        )
        form = ReflectionForm(formdata=odd, meta={"csrf": False})
        assert [e.form.note.data for e in form.aspects.entries] == ["z"]


def test_a_checkbox_list_with_more_values_than_options_is_refused(client, login, world):
    a = world["a"]
    login(world["users"]["teamlid"])
    organisation_id = str(a.memberships[0].organisation_id)
    response = client.post(
        f"/trajecten/{a.id}/proces", data={"title": "Stap", "organisation_ids": [organisation_id] * 5000}
    )
    assert response.status_code < 500
    from tracker.models import ProcessStep

    assert db.session.scalar(db.select(db.func.count(ProcessStep.id)).where(ProcessStep.title == "Stap")) == 0


def test_the_watch_sees_every_way_into_the_query_string():
    """What the skipping above rests on: a look at a parameter, by name or at the whole query
    string, is seen; a request that looks at nothing is seen to look at nothing."""
    from flask import Flask, redirect, request

    probe = Flask(__name__)
    views = {
        "get": lambda: str(request.args.get("a")),
        "item": lambda: str(request.args.getlist("a")),
        "in": lambda: str("a" in request.args),
        "values": lambda: str(request.values.get("a")),
        "iterate": lambda: ",".join(request.args),
        "dict": lambda: str(request.args.to_dict()),
        "items": lambda: str(list(request.args.items(multi=True))),
        "full_path": lambda: request.full_path,
        "url": lambda: request.url,
        "raw": lambda: request.query_string,
        "nothing": lambda: redirect("/elders"),
    }
    for name, view in views.items():
        probe.add_url_rule(f"/{name}", name, view)
    probe.add_url_rule("/slash/", "slash", lambda: "")
    client = probe.test_client()
    with watching(probe) as watch:
        seen = {}
        for name in [*views, "slash"]:
            watch.reset()
            client.get(f"/{name}", query_string={"b": "1"})
            seen[name] = "everything" if watch.everything else sorted(watch.names)
    assert seen == {
        "get": ["a"],
        "item": ["a"],
        "in": ["a"],
        "values": ["a"],
        **dict.fromkeys(["iterate", "dict", "items", "full_path", "url", "raw", "slash"], "everything"),
        "nothing": [],
    }
