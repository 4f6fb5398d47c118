#!/usr/bin/env python3
"""Two gunicorn servers on one PostgreSQL (and one Redis), written to at the same time.

Creates a throwaway database (or uses --database-url), migrates it, loads the demo, starts two
gunicorn servers on local ports, and adds items and answers through both servers at once from
several threads. Afterwards every write must be in the database. Exit status 0 when all writes
are there. Usage:

    .venv/bin/python scripts/multi_server_check.py [--writes 40] [--admin-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres]
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import requests
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_ready(servers: list[tuple[str, subprocess.Popen, IO[bytes]]], timeout: float) -> None:
    """Poll every server's login page until it answers (no fixed sleep): returns as soon as all
    of them do, fails at once when a server exits, and gives up after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    waiting = list(servers)
    while waiting:
        base, process, log = waiting[0]
        if process.poll() is not None:
            log.seek(0)
            tail = log.read().decode("utf-8", "replace").strip().splitlines()[-10:]
            raise RuntimeError(
                f"server for {base} exited with status {process.returncode}:\n" + "\n".join(tail)
            )
        try:
            if requests.get(f"{base}/inloggen", timeout=2).status_code < 500:
                waiting.pop(0)
                continue
        except requests.RequestException:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"server at {base} did not answer within {timeout:.0f} s")
        time.sleep(0.1)


def login(base: str, email: str, password: str) -> requests.Session:
    session = requests.Session()
    token = TOKEN.search(session.get(f"{base}/inloggen", timeout=10).text).group(1)
    response = session.post(
        f"{base}/inloggen",
        data={"email": email, "password": password, "csrf_token": token},
        timeout=10,
        allow_redirects=False,
    )
    assert response.status_code == 302, response.status_code
    return session


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--admin-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))
    parser.add_argument("--writes", type=int, default=40, help="writes per server")
    parser.add_argument(
        "--start-timeout",
        type=float,
        default=60,
        help="seconds to wait for the servers to answer (polled, not slept)",
    )
    return parser.parse_args()


def flask_command(env: dict[str, str], *arguments: str) -> None:
    subprocess.run(
        [str(BIN / "flask"), "--app", "tracker", *arguments],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
    )


def start_servers(
    env: dict[str, str], count: int, servers: list[subprocess.Popen], logs: list[IO[bytes]]
) -> list[str]:
    """Start ``count`` gunicorn servers; each goes into ``servers`` (and its log into ``logs``) as
    soon as it runs, so the caller stops it even when a later one fails to start."""
    bases = []
    for _ in range(count):
        port = free_port()
        logs.append(tempfile.TemporaryFile())  # unnamed: nothing is left behind in /tmp
        servers.append(
            subprocess.Popen(
                [
                    str(BIN / "gunicorn"),
                    "--workers",
                    "2",
                    "--threads",
                    "2",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "tracker:create_app()",
                ],
                env=env,
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
                stderr=logs[-1],
            )
        )
        bases.append(f"http://127.0.0.1:{port}")
    return bases


def stop_servers(servers: list[subprocess.Popen], logs: list[IO[bytes]]) -> None:
    for server in servers:
        server.terminate()
    for server in servers:
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
    for log in logs:
        log.close()


@dataclass
class Targets:
    """The demo trajectory and what the writes go to: its sections (new items) and items (answers)."""

    trajectory_id: int
    sections: list[int]
    items: list[int]


def load_targets(engine: sa.Engine) -> Targets:
    with engine.connect() as conn:
        trajectory_id = conn.execute(sa.text("SELECT id FROM trajectories ORDER BY id LIMIT 1")).scalar()
        sections = [
            r[0]
            for r in conn.execute(
                sa.text(
                    "SELECT s.id FROM sections s JOIN phases p ON s.phase_id = p.id "
                    "WHERE p.trajectory_id = :t ORDER BY s.id"
                ),
                {"t": trajectory_id},
            )
        ]
        items = [
            r[0]
            for r in conn.execute(
                sa.text("SELECT id FROM checklist_items WHERE trajectory_id = :t ORDER BY id"),
                {"t": trajectory_id},
            )
        ]
    return Targets(trajectory_id, sections, items)


@dataclass
class Writer:
    """Write number ``n`` through one of the signed-in sessions: a new own item when ``n`` is even,
    otherwise an answer to an existing item. Returns what was written, by kind."""

    sessions: list[tuple[str, requests.Session]]
    targets: Targets

    def __call__(self, n: int) -> tuple[str, str]:
        try:
            return self.attempt(n)
        except Exception as exc:  # report, do not hide: the check fails below
            return ("error", f"write {n}: {type(exc).__name__}: {exc}")

    def attempt(self, n: int) -> tuple[str, str]:
        base, session = self.sessions[n % len(self.sessions)]
        if n % 2 == 0:
            return self.add_item(n, base, session)
        return self.answer_item(n, base, session)

    def add_item(self, n: int, base: str, session: requests.Session) -> tuple[str, str]:
        trajectory_id = self.targets.trajectory_id
        section = self.targets.sections[n % len(self.targets.sections)]
        page = session.get(f"{base}/trajecten/{trajectory_id}/fasen/1", timeout=20).text
        token = TOKEN.search(page).group(1)
        text = f"Multi-server item {n}"
        prefix = f"new-{section}-"
        r = session.post(
            f"{base}/trajecten/{trajectory_id}/secties/{section}/items",
            data={"csrf_token": token, prefix + "text": text, prefix + "status": "open"},
            timeout=20,
            allow_redirects=False,
        )
        if r.status_code != 302:
            raise RuntimeError(f"adding an item answered {r.status_code}")
        return ("item", text)

    def answer_item(self, n: int, base: str, session: requests.Session) -> tuple[str, str]:
        trajectory_id = self.targets.trajectory_id
        item = self.targets.items[n % len(self.targets.items)]
        page = session.get(f"{base}/trajecten/{trajectory_id}/items/{item}/bewerken", timeout=20).text
        token = TOKEN.search(page).group(1)
        version = re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)
        text = f"Antwoord {n} via {base}"
        r = session.post(
            f"{base}/trajecten/{trajectory_id}/items/{item}",
            data={"csrf_token": token, "answer": text, "status": "in_behandeling", "version": version},
            timeout=20,
            allow_redirects=False,
        )
        return ("answer" if r.status_code == 302 else "conflict", f"{item}:{text}")


def verify(engine: sa.Engine, results: list[tuple[str, str]], servers: int, elapsed: float) -> int:
    """Print what reached the database; 0 when every accepted write is there."""
    with engine.connect() as conn:
        texts = {r[0] for r in conn.execute(sa.text("SELECT text FROM checklist_items WHERE is_custom"))}
        answers = {r[0]: r[1] for r in conn.execute(sa.text("SELECT id, answer FROM checklist_items"))}
    missing_items = [t for kind, t in results if kind == "item" and t not in texts]
    answered = [t for kind, t in results if kind == "answer"]
    # Every answer that was accepted is either still there or was replaced by a later accepted one.
    accepted_by_item: dict[int, list[str]] = {}
    for entry in answered:
        item_id, text = entry.split(":", 1)
        accepted_by_item.setdefault(int(item_id), []).append(text)
    lost = [i for i, texts_ in accepted_by_item.items() if answers[i] not in texts_]
    conflicts = sum(1 for kind, _ in results if kind == "conflict")
    errors = [text for kind, text in results if kind == "error"]
    for text in errors[:10]:
        print("error:", text)
    print(
        f"servers: {servers}; writes: {len(results)} in {elapsed:.1f}s; new items missing: "
        f"{len(missing_items)}; answers accepted: {len(answered)}, reported as conflicts: {conflicts}; "
        f"items whose stored answer is not an accepted one: {len(lost)}; failed requests: {len(errors)}"
    )
    return 0 if not missing_items and not lost and not errors else 1


def run_check(
    args: argparse.Namespace,
    env: dict[str, str],
    url: str,
    servers: list[subprocess.Popen],
    logs: list[IO[bytes]],
) -> int:
    flask_command(env, "db", "upgrade")
    flask_command(env, "seed-demo")
    bases = start_servers(env, 2, servers, logs)
    wait_until_ready(list(zip(bases, servers, logs, strict=True)), args.start_timeout)

    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    targets = load_targets(engine)
    users = ["anouk", "fatima", "marieke", "karin"]
    sessions = [
        (base, login(base, f"{u}@demo.betersamen.nl", "samen-sterk-voor-jeugd"))
        for base in bases
        for u in users[:2]
    ]
    started = time.time()
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(Writer(sessions, targets), range(args.writes * len(bases))))
    elapsed = time.time() - started
    try:
        return verify(engine, results, len(bases), elapsed)
    finally:
        engine.dispose()


def main() -> int:
    args = parse_args()
    name = f"tracker_multi_{secrets.token_hex(4)}"
    admin = sa.create_engine(args.admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = args.admin_url.rsplit("/", 1)[0] + "/" + name
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": secrets.token_hex(32),
        "RATELIMIT_STORAGE_URI": args.redis_url,
        "RATELIMIT_KEY_PREFIX": name,
        "TRACKER_CONFIG": "development",
    }
    servers: list[subprocess.Popen] = []
    logs: list[IO[bytes]] = []
    try:
        return run_check(args, env, url, servers, logs)
    finally:
        stop_servers(servers, logs)
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    sys.exit(main())
