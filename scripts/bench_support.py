"""Helpers of scripts/load_benchmark.py: data sets, gunicorn servers, wrk, worker memory."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO

import requests
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
SECRET = "load-benchmark-only-not-a-real-secret-key"


def demo_case():
    """The demo loaded into the empty database of the app in context, and its case: the
    trajectory ("Preventie van pesten") the benchmarks grow and measure."""
    from tracker import demo
    from tracker.extensions import db
    from tracker.models import Trajectory

    db.create_all()
    demo.load()
    db.session.commit()
    return db.session.scalar(sa.select(Trajectory).where(Trajectory.name.like("Preventie%")))


def external_plan(case):
    """The case's external action plan, which the benchmarks add actions to."""
    from tracker.plans.services import plans_of

    return next(p for p in plans_of(case) if p.kind.value == "extern")


def plan_and_closed_round(conn: sa.Connection, trajectory_id: int) -> dict[str, int]:
    """What the main pages' URLs need besides the trajectory: its external plan and its latest
    closed round with ballots."""
    plan = conn.execute(
        sa.text("SELECT id FROM plans WHERE trajectory_id = :t AND kind = 'extern'"), {"t": trajectory_id}
    ).scalar_one()
    round_id = conn.execute(
        sa.text(
            "SELECT r.id FROM evaluation_rounds r WHERE r.trajectory_id = :t AND r.closes_on < :d "
            "AND EXISTS (SELECT 1 FROM ballots b WHERE b.round_id = r.id) ORDER BY r.closes_on DESC"
        ),
        {"t": trajectory_id, "d": date.today()},
    ).first()[0]  # type: ignore[index]
    return {"plan": plan, "round": round_id}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- data sets -------------------------------------------------------------------------------


def dataset_url(
    database: str, scale: int, data_dir: Path, pg_admin_url: str, pg_prefix: str = "tracker_bench_scale_"
) -> str:
    if database == "sqlite":
        return f"sqlite:///{data_dir}/scale-{scale}.db"
    return pg_admin_url.rsplit("/", 1)[0] + f"/{pg_prefix}{scale}"


def dataset_ready(url: str) -> bool:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return bool(conn.execute(sa.text("SELECT count(*) FROM trajectories")).scalar())
    except sa.exc.SQLAlchemyError:
        return False
    finally:
        engine.dispose()


def make_dataset(database: str, scale: int, url: str, pg_admin_url: str) -> None:
    """A fresh database filled by scripts/scale_data.py (in its own process)."""
    if database == "sqlite":
        path = Path(url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    else:
        name = url.rsplit("/", 1)[1]
        engine = sa.create_engine(pg_admin_url, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        engine.dispose()
    print(f"== generating the {scale}x data set on {database}", flush=True)
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "scale_data.py"),
            "--scale",
            str(scale),
            "--database-url",
            url,
        ],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


# --- servers ---------------------------------------------------------------------------------


@dataclass
class Server:
    name: str
    process: subprocess.Popen
    log: IO[bytes]
    base: str
    workers_seen: set[int] = field(default_factory=set)
    peak_rss_kib: int = 0

    def workers(self) -> list[int]:
        try:
            text = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text()
        except OSError:
            return []
        return [int(pid) for pid in text.split()]

    def sample_memory(self) -> None:
        for pid in self.workers():
            self.workers_seen.add(pid)
            self.peak_rss_kib = max(self.peak_rss_kib, _status_kib(pid, "VmHWM"))

    def cpu_seconds(self) -> float:
        """User and system CPU time of the workers so far (their own, not other processes')."""
        ticks = 0
        for pid in self.workers():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            ticks += int(fields[11]) + int(fields[12])
        return ticks / os.sysconf("SC_CLK_TCK")

    def log_text(self) -> str:
        self.log.seek(0)
        return self.log.read().decode("utf-8", "replace")

    def dead_workers(self) -> list[str]:
        """Log lines of workers that died (a signal, a non-zero exit, a time-out)."""
        pattern = re.compile(r"Worker \(pid:\d+\) (was sent|exited)|WORKER TIMEOUT|Segmentation|Fatal Python")
        return [line for line in self.log_text().splitlines() if pattern.search(line)]


def _status_kib(pid: int, key: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def start_server(
    name: str, app: str, env: dict[str, str], workers: int, extra: list[str], chdir: Path
) -> Server:
    port = free_port()
    log = tempfile.TemporaryFile()
    command = [str(BIN / "gunicorn"), "--workers", str(workers), "--bind", f"127.0.0.1:{port}"]
    command += ["--timeout", "120", "--chdir", str(chdir), *extra, app]
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log)
    server = Server(name, process, log, f"http://127.0.0.1:{port}")
    deadline = time.monotonic() + 60
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited at start:\n{server.log_text()[-2000:]}")
        try:
            requests.get(server.base + "/", timeout=5)
            break
        except requests.RequestException:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{name} did not answer within 60 s") from None
            time.sleep(0.2)
    server.sample_memory()
    return server


def stop_server(server: Server) -> None:
    server.process.send_signal(signal.SIGTERM)
    try:
        server.process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.process.kill()


def login_cookie(base: str, email: str, password: str) -> str:
    """The Cookie header of a signed-in session (secure cookies included: wrk sends it as is)."""
    with requests.Session() as session:
        page = session.get(f"{base}/inloggen", timeout=30)
        cookies = dict(page.cookies)
        token = TOKEN.search(page.text).group(1)  # type: ignore[union-attr]
        response = requests.post(
            f"{base}/inloggen",
            data={"email": email, "password": password, "csrf_token": token},
            cookies=cookies,
            allow_redirects=False,
            timeout=30,
        )
    if response.status_code != 302:
        raise RuntimeError(f"login failed: {response.status_code}")
    cookies.update(response.cookies)
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


# --- load ------------------------------------------------------------------------------------


@dataclass
class Load:
    requests: int
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()  # type: ignore[union-attr]
    return float(number) * UNITS[unit]


def drain(base: str) -> None:
    """Wait until the server has worked off what wrk left queued when it stopped (a sync worker
    still renders a request whose client has gone): a cheap page answers fast twice in a row."""
    fast = 0
    deadline = time.monotonic() + 300
    while fast < 2 and time.monotonic() < deadline:
        started = time.monotonic()
        requests.get(base + "/inloggen", timeout=300)
        fast = fast + 1 if time.monotonic() - started < 0.5 else 0


def measure(server: Server, url: str, cookie: str, seconds: float, connections: int) -> tuple[Load, float]:
    """wrk against ``url``, and the workers' CPU milliseconds per completed request."""
    before = server.cpu_seconds()
    load = wrk(url, cookie, seconds, connections)
    used = server.cpu_seconds() - before
    server.sample_memory()
    return load, (used * 1000 / load.requests if load.requests else float("inf"))


def wrk(url: str, cookie: str, seconds: float, connections: int) -> Load:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds:g}s", "--timeout", "60s", "--latency"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    done = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    p50 = re.search(r"\s50%\s+(\S+)", out)
    p99 = re.search(r"\s99%\s+(\S+)", out)
    errors = sum(
        int(n) for n in re.findall(r"(?:Non-2xx or 3xx responses|connect|read|write|timeout):? (\d+)", out)
    )
    return Load(done, rps, _ms(p50.group(1)) if p50 else 0.0, _ms(p99.group(1)) if p99 else 0.0, errors)
