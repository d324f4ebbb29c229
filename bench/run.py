#!/usr/bin/env python
"""Benchmark the served application on the data of bench/generate.py.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench .venv/bin/python bench/run.py

Starts gunicorn on 127.0.0.1 (a free port) against the database, logs in as officials of the
generated province, then prints p50/p95/p99 and requests per second for each scenario run by one
client in sequence (an official's worklist through the API and the page, dossier detail and its
events, public lookup, procedure search, Biểu II.06a for the whole province for a year, the 766
index for the province for a quarter), and finally a mixed load of `--clients` concurrent clients
for `--duration` seconds. Not a test: it prints figures; see docs/performance.md.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import contextlib

from bench.common import (
    ADMIN,
    DEFAULT_URL,
    PASSWORD,
    PROVINCE_CODE,
    ROOT,
    SUPERVISOR,
    commune_centre_code,
    log,
    setup_django,
    specialist,
)

TARGETS_MS = {"worklist_api": 50, "worklist_page": 50, "dossier_detail": 30, "dossier_events": 30,
              "public_lookup": 10, "procedure_search": 20, "ii06a_province_year": 1000,
              "index_766_province_quarter": 2000}


# -- HTTP client ------------------------------------------------------------------------------------


class Client:
    """One keep-alive connection; headers carry the bearer token or the session cookie."""

    def __init__(self, port: int, headers: dict[str, str] | None = None) -> None:
        self.port = port
        self.headers = dict(headers or {})
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None,
                form: bool = False) -> tuple[int, bytes, http.client.HTTPResponse]:
        payload = None
        all_headers = {**self.headers, **(headers or {})}
        if body is not None:
            if form:
                payload = urlencode(body).encode()
                all_headers["Content-Type"] = "application/x-www-form-urlencoded"
            else:
                payload = json.dumps(body).encode()
                all_headers["Content-Type"] = "application/json"
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=payload, headers=all_headers)
                response = self.conn.getresponse()
                data = response.read()
                return response.status, data, response
            except (http.client.HTTPException, ConnectionError, OSError):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def get(self, path: str) -> tuple[int, bytes]:
        status, data, _ = self.request("GET", path)
        return status, data


def login_token(port: int, username: str) -> dict[str, str]:
    status, data, _ = Client(port).request("POST", "/api/v1/auth/token", {"username": username, "password": PASSWORD})
    if status != 200:
        raise SystemExit(f"login of {username} failed: {status} {data[:200]!r}")
    return {"Authorization": f"Bearer {json.loads(data)['token']}"}


def login_session(port: int, username: str) -> dict[str, str] | None:
    """The desk's login form: CSRF cookie and token, then the session cookie."""
    client = Client(port)
    status, data, response = client.request("GET", "/desk/dang-nhap/")
    cookies = _cookies(response)
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', data)
    if status != 200 or not match or "csrftoken" not in cookies:
        return None
    status, _, response = client.request(
        "POST", "/desk/dang-nhap/", {"username": username, "password": PASSWORD,
                                     "csrfmiddlewaretoken": match.group(1).decode()},
        headers={"Cookie": f"csrftoken={cookies['csrftoken']}"}, form=True)
    cookies.update(_cookies(response))
    if status not in (301, 302) or "sessionid" not in cookies:
        return None
    return {"Cookie": f"csrftoken={cookies['csrftoken']}; sessionid={cookies['sessionid']}"}


def _cookies(response: http.client.HTTPResponse) -> dict[str, str]:
    out = {}
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        out[name.strip()] = rest.split(";", 1)[0]
    return out


# -- server -----------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def redis_url() -> str:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5) as s:
            s.sendall(b"PING\r\n")
            if s.recv(16).startswith(b"+PONG"):
                return "redis://127.0.0.1:6379/9"
    except OSError:
        pass
    return ""


def start_server(url: str, port: int, workers: int, threads: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings.base",
           "MOTCUA_PUBLIC_LOOKUPS_PER_MINUTE": "100000000", "MOTCUA_DB_CONN_MAX_AGE": "600",
           "MOTCUA_LOGIN_MAX_FAILURES": "1000000", "MOTCUA_LOG_LEVEL": "WARNING"}
    cache = redis_url()
    if cache:
        env["REDIS_URL"] = cache
    cmd = [str(ROOT / ".venv" / "bin" / "gunicorn"), "config.wsgi", "--bind", f"127.0.0.1:{port}",
           "--workers", str(workers), "--threads", str(threads), "--worker-class", "gthread",
           "--backlog", "2048", "--timeout", "120", "--log-level", "warning"]
    process = subprocess.Popen(cmd, cwd=ROOT, env=env, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if Client(port).get("/api/v1/procedures?page_size=1")[0] == 200:
                return process
        except OSError:
            time.sleep(0.3)
    stop_server(process)
    raise SystemExit("gunicorn did not start")


def stop_server(process: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(15)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(process.pid, signal.SIGKILL)


# -- measuring --------------------------------------------------------------------------------------


@dataclass
class Result:
    name: str
    times: list[float] = field(default_factory=list)
    errors: int = 0
    wall: float = 0.0
    statuses: dict[int, int] = field(default_factory=dict)

    def pct(self, q: float) -> float:
        if not self.times:
            return float("nan")
        ordered = sorted(self.times)
        return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))] * 1000

    def line(self, mixed: bool = False) -> str:
        n = len(self.times)
        rps = n / self.wall if self.wall else 0
        target = None if mixed else TARGETS_MS.get(self.name)
        verdict = ""
        if target is not None and n:
            metric = self.pct(0.95) if target < 1000 else self.pct(0.5)
            verdict = f"{'ok' if metric < target else 'OVER'} (target {'p95' if target < 1000 else 'p50'} < {target} ms)"
        return (f"{self.name:<28}{n:>6}{self.pct(0.5):>9.1f}{self.pct(0.95):>9.1f}{self.pct(0.99):>9.1f}"
                f"{rps:>9.1f}{self.errors:>7}  {verdict}")


HEADER = f"{'scenario':<28}{'n':>6}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'req/s':>9}{'errors':>7}"


Request = Callable[[Client, random.Random], tuple[int, bytes]]


def sequential(name: str, client: Client, request: Request, n: int, warmup: int = 3, budget: float = 30.0) -> Result:
    """n requests one after the other (fewer when `budget` seconds run out)."""
    rng = random.Random(7)
    for _ in range(warmup):
        request(client, rng)
    result = Result(name)
    started = time.perf_counter()
    for _ in range(n):
        if time.perf_counter() - started > budget:
            break
        t0 = time.perf_counter()
        status, _ = request(client, rng)
        result.times.append(time.perf_counter() - t0)
        result.statuses[status] = result.statuses.get(status, 0) + 1
        if status >= 400:
            result.errors += 1
    result.wall = time.perf_counter() - started
    return result


Mix = list[tuple[str, float, dict[str, str], Request]]


def mixed(port: int, clients: int, duration: float, mix: Mix) -> dict[str, Result]:
    results = {name: Result(name) for name, *_ in mix}
    total = Result("mixed (all)")
    lock = threading.Lock()
    stop_at = time.perf_counter() + duration
    cumulative, acc = [], 0.0
    for _, weight, _, _ in mix:
        acc += weight
        cumulative.append(acc)

    def run(seed: int) -> None:
        rng = random.Random(seed)
        conns = {name: Client(port, headers) for name, _, headers, _ in mix}
        local: list[tuple[str, float, int]] = []
        while time.perf_counter() < stop_at:
            x = rng.random() * acc
            index = next(i for i, c in enumerate(cumulative) if x <= c)
            name, _, _, request = mix[index]
            t0 = time.perf_counter()
            try:
                status, _ = request(conns[name], rng)
            except Exception:
                status = 599
            local.append((name, time.perf_counter() - t0, status))
        with lock:
            for name, elapsed, status in local:
                for r in (results[name], total):
                    r.times.append(elapsed)
                    r.statuses[status] = r.statuses.get(status, 0) + 1
                    if status >= 400:
                        r.errors += 1

    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    for r in (*results.values(), total):
        r.wall = wall
    return {**results, "mixed (all)": total}


# -- where the CPU goes -----------------------------------------------------------------------------


def cpu_seconds(server_pid: int) -> dict[str, float]:
    """CPU seconds used so far by the gunicorn processes, the PostgreSQL server processes, Redis,
    this process (the load generator) and the whole machine (Linux /proc; empty elsewhere)."""
    tick = os.sysconf("SC_CLK_TCK")
    out = {"server": 0.0, "postgres": 0.0, "redis": 0.0, "client": time.process_time()}
    try:
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            with contextlib.suppress(OSError, ValueError, IndexError):
                stat = (entry / "stat").read_text()
                comm = stat[stat.index("(") + 1:stat.rindex(")")]
                fields = stat[stat.rindex(")") + 2:].split()
                used = (int(fields[11]) + int(fields[12])) / tick
                pgid = int(fields[2])
                if pgid == server_pid:
                    out["server"] += used
                elif comm.startswith("postgres"):
                    out["postgres"] += used
                elif comm.startswith("redis"):
                    out["redis"] += used
        fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
        out["machine busy"] = (sum(map(int, fields)) - int(fields[3]) - int(fields[4])) / tick
    except OSError:
        return {}
    return out


def cpu_line(before: dict[str, float], after: dict[str, float], wall: float, requests: int) -> str:
    if not before or not after:
        return ""
    parts = [f"{name} {after[name] - before[name]:.1f} s ({(after[name] - before[name]) / wall * 100:.0f} %)"
             for name in before]
    per_request = (after["server"] - before["server"]) / max(requests, 1) * 1000
    return (f"CPU during the run ({wall:.0f} s on {os.cpu_count()} CPUs; % of one CPU): " + ", ".join(parts)
            + f"; server CPU per request {per_request:.2f} ms")


# -- scenario data ----------------------------------------------------------------------------------


def sample_data(rng: random.Random) -> dict[str, Any]:
    from django.db import connection

    from motcua.dossiers.models import Dossier
    from motcua.units.models import Unit

    centre = Unit.objects.get(code=commune_centre_code(1))
    with connection.cursor() as cursor:
        cursor.execute("SELECT max(id) FROM dossiers_dossier")
        top = cursor.fetchone()[0] or 0
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database())), version()")
        size, version = cursor.fetchone()
    # Dossiers of the specialist's centre (detail/events) and any dossier (public lookup).
    mine = list(Dossier.objects.filter(handling_unit=centre).order_by("-id").values_list("code", flat=True)[:2000])
    ids = rng.sample(range(1, top + 1), min(3000, top))
    public = list(Dossier.objects.filter(id__in=ids).values_list("code", "applicant_phone"))
    return {"mine": mine, "public": [(c, p[-4:]) for c, p in public if p], "total": Dossier.objects.count(),
            "size": size, "postgres": version.split(",")[0]}


def machine() -> str:
    memory = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    cpu = ""
    with contextlib.suppress(OSError, StopIteration):
        cpu = next(ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                   if ln.startswith("model name"))
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return f"{os.cpu_count()} CPUs ({cpu}), {memory} RAM, Python {platform.python_version()}, load {load}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--iterations", type=int, default=300, help="requests per fast scenario")
    parser.add_argument("--report-iterations", type=int, default=10)
    parser.add_argument("--budget", type=float, default=30.0, help="seconds at most per sequential scenario")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of mixed load")
    parser.add_argument("--server-workers", type=int, default=4)
    parser.add_argument("--server-threads", type=int, default=4)
    parser.add_argument("--skip-mixed", action="store_true")
    parser.add_argument("--only", default="", help="comma-separated sequential scenarios to run (e.g. "
                        "dossier_detail,dossier_events); the others are skipped")
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    url = args.database_url or os.environ.get("DATABASE_URL") or DEFAULT_URL
    setup_django(url)
    rng = random.Random(766)
    data = sample_data(rng)
    log(f"machine: {machine()}")
    log(f"database: {data['postgres']}, {data['total']:,} dossiers, {data['size']}")
    port = free_port()
    server = start_server(url, port, args.server_workers, args.server_threads)
    log(f"gunicorn on 127.0.0.1:{port}: {args.server_workers} workers × {args.server_threads} threads"
        f"{' + Redis cache' if redis_url() else ' (database cache)'}")
    try:
        official = login_token(port, specialist(1))
        supervisor = login_token(port, SUPERVISOR)
        session = login_session(port, specialist(1))
        today = date.today()
        year = today.year - 1
        q_end = date(today.year, ((today.month - 1) // 3) * 3 + 1, 1) - timedelta(days=1)
        q_start = date(q_end.year, q_end.month - 2, 1)
        worklist_path = "/api/v1/worklists/my_steps?page_size=20"
        if Client(port, official).get(worklist_path)[0] == 404:
            worklist_path = "/api/v1/dossiers?page_size=20"
        words = ["giấy phép", "hộ tịch", "cấp lại", "xây dựng", "chứng thực", "đất đai", "thủ tục 12", "gia hạn"]

        def worklist(c: Client, r: random.Random) -> tuple[int, bytes]:
            return c.get(worklist_path)

        def dossier_list(c: Client, r: random.Random) -> tuple[int, bytes]:
            return c.get(f"/api/v1/dossiers?page_size=20&page={r.randint(1, 5)}")

        def page(c: Client, r: random.Random) -> tuple[int, bytes]:
            return c.get("/desk/")

        def detail(c: Client, r: random.Random) -> tuple[int, bytes]:
            return c.get(f"/api/v1/dossiers/{r.choice(data['mine'])}")

        def events(c: Client, r: random.Random) -> tuple[int, bytes]:
            return c.get(f"/api/v1/dossiers/{r.choice(data['mine'])}/events")

        def lookup(c: Client, r: random.Random) -> tuple[int, bytes]:
            code, verify = r.choice(data["public"])
            return c.get(f"/api/v1/public/dossiers/{code}?verify={verify}")

        def search(c: Client, r: random.Random) -> tuple[int, bytes]:
            return c.get("/api/v1/procedures?" + urlencode({"q": r.choice(words)}))

        def ii06a(c: Client, r: random.Random) -> tuple[int, bytes]:
            return c.get("/api/v1/reports/ii06a?" + urlencode(
                {"unit": PROVINCE_CODE, "from": f"{year}-01-01", "to": f"{year}-12-31"}))

        def index766(c: Client, r: random.Random) -> tuple[int, bytes]:
            return c.get("/api/v1/reports/index-766?" + urlencode(
                {"unit": PROVINCE_CODE, "from": q_start.isoformat(), "to": q_end.isoformat()}))

        def dashboard_province(c: Client, r: random.Random) -> tuple[int, bytes]:
            return c.get("/api/v1/reports/dashboard?" + urlencode(
                {"unit": PROVINCE_CODE, "from": q_start.isoformat(), "to": q_end.isoformat()}))

        def dashboard_commune(c: Client, r: random.Random) -> tuple[int, bytes]:
            last = today.replace(day=1) - timedelta(days=1)
            return c.get("/api/v1/reports/dashboard?" + urlencode(
                {"unit": commune_centre_code(r.randint(1, 100)), "from": last.replace(day=1).isoformat(),
                 "to": last.isoformat()}))

        def ii06a_commune(c: Client, r: random.Random) -> tuple[int, bytes]:
            last = today.replace(day=1) - timedelta(days=1)
            return c.get("/api/v1/reports/ii06a?" + urlencode(
                {"unit": commune_centre_code(r.randint(1, 100)), "from": last.replace(day=1).isoformat(),
                 "to": last.isoformat()}))

        n = args.iterations
        log(f"\nsequential, one client (worklist = {worklist_path.split('?')[0]}; II.06a {year}; "
            f"766 {q_start} – {q_end})")
        log(HEADER)
        plan: list[tuple[str, Client, Request, int]] = [
            ("worklist_api", Client(port, official), worklist, n),
            ("dossier_list_api", Client(port, official), dossier_list, n),
        ]
        if session:
            plan.append(("worklist_page", Client(port, session), page, n))
        plan += [
            ("dossier_detail", Client(port, official), detail, n),
            ("dossier_events", Client(port, official), events, n),
            ("public_lookup", Client(port), lookup, n),
            ("procedure_search", Client(port), search, n),
            ("ii06a_province_year", Client(port, supervisor), ii06a, args.report_iterations),
            ("index_766_province_quarter", Client(port, supervisor), index766, args.report_iterations),
            ("ii06a_commune_month", Client(port, supervisor), ii06a_commune, args.report_iterations * 3),
            ("dashboard_province_quarter", Client(port, supervisor), dashboard_province, args.report_iterations),
            ("dashboard_commune_month", Client(port, supervisor), dashboard_commune, args.report_iterations * 3),
        ]
        only = {name.strip() for name in args.only.split(",") if name.strip()}
        unknown = only - {name for name, *_rest in plan}
        if unknown:
            raise SystemExit(f"--only: unknown scenarios {sorted(unknown)}")
        for name, client, request, count in plan:
            if only and name not in only:
                continue
            result = sequential(name, client, request, count, warmup=1 if count <= 30 else 20, budget=args.budget)
            log(result.line())
            if result.errors:
                log(f"   statuses: {result.statuses}")
        if not session:
            log("worklist_page: skipped (the desk login page was not available)")
        if not args.skip_mixed:
            mix: Mix = [
                ("worklist_api", 25, official, worklist),
                ("dossier_detail", 20, official, detail),
                ("dossier_events", 10, official, events),
                ("public_lookup", 25, {}, lookup),
                ("procedure_search", 20, {}, search),
            ]
            log(f"\nmixed load: {args.clients} concurrent clients for {args.duration:.0f} s")
            log(HEADER)
            before = cpu_seconds(server.pid)
            results = mixed(port, args.clients, args.duration, mix)
            after = cpu_seconds(server.pid)
            for result in results.values():
                log(result.line(mixed=True))
                if result.errors:
                    log(f"   statuses: {result.statuses}")
            total = results["mixed (all)"]
            rate = len(total.times) / total.wall
            verdict = "ok" if rate >= 300 and not total.errors else "OVER"
            log(f"mixed load: {rate:.1f} requests/s, {total.errors} errors "
                f"(target >= 300 requests/s with no error: {verdict})")
            line = cpu_line(before, after, total.wall, len(total.times))
            if line:
                log(line)
        log(f"\nload after the run: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; ADMIN account: {ADMIN}")
    finally:
        stop_server(server)


if __name__ == "__main__":
    main()
