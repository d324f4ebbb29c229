#!/usr/bin/env python
"""The dossier detail read, measured in one process: `GET /api/v1/dossiers/{code}` through Django's
request handling (no network, no server), on the data of bench/generate.py.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench .venv/bin/python bench/detail.py

Prints, for a specialist of the busiest commune centre and for the applicant citizens, the CPU time
per request of this process (less disturbed by other work on the machine than wall-clock time), the
wall time (p50/p95) and the SQL queries per request, split by the dossier's status. Not a test: it
prints figures (docs/performance.md).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import PASSWORD, commune_centre_code, log, setup_django, specialist


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--dossiers", type=int, default=500, help="how many of the centre's latest dossiers")
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    setup_django(args.database_url or os.environ.get("DATABASE_URL"))

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from motcua.dossiers.models import Dossier
    from motcua.units.models import Unit

    centre = Unit.objects.get(code=commune_centre_code(1))
    rows = list(Dossier.objects.filter(handling_unit=centre).order_by("-id")
                .values_list("code", "status", "applicant_user__username")[:args.dossiers])
    rng = random.Random(766)

    def token(username: str) -> str:
        r = Client().post("/api/v1/auth/token", {"username": username, "password": PASSWORD},
                          content_type="application/json")
        assert r.status_code == 200, r.content
        return str(r.json()["token"])

    def measure(name: str, picks: list[tuple[str, int, str]], who: dict[str, str]) -> None:
        clients = {user: Client(headers={"Authorization": f"Bearer {token(user)}"}) for user in set(who.values())}
        for code, _status, owner in picks[:50]:  # warm-up: reference copies, prepared reads, actor cache
            clients[who.get(owner, who["*"])].get(f"/api/v1/dossiers/{code}")
        walls: list[float] = []
        queries: dict[int, Counter[int]] = defaultdict(Counter)
        cpu_start = time.process_time()
        for i in range(args.requests):
            code, status, owner = picks[i % len(picks)]
            client = clients[who.get(owner, who["*"])]
            started = time.perf_counter()
            if i % 10 == 0:  # count the queries of every tenth request
                with CaptureQueriesContext(connection) as captured:
                    response = client.get(f"/api/v1/dossiers/{code}")
                queries[status][len(captured.captured_queries)] += 1
            else:
                response = client.get(f"/api/v1/dossiers/{code}")
            walls.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.content[:200]
            body = json.loads(response.content)
            assert "available_actions" not in body or isinstance(body["available_actions"], list)
        cpu = (time.process_time() - cpu_start) * 1000 / args.requests
        walls.sort()
        p95 = walls[int(len(walls) * 0.95) - 1]
        log(f"{name:<22} {args.requests:>6} requests  CPU {cpu:5.2f} ms/request  wall p50 "
            f"{statistics.median(walls):5.2f} ms, p95 {p95:5.2f} ms")
        for status in sorted(queries):
            spread = ", ".join(f"{n} queries × {k}" for n, k in sorted(queries[status].items()))
            log(f"{'':<22} status {status:>2}: {spread}")

    picks = rows[:]
    rng.shuffle(picks)
    log(f"{len(rows)} dossiers of {centre.code}; statuses {dict(sorted(Counter(r[1] for r in rows).items()))}")
    measure("official (specialist)", picks, {"*": specialist(1)})
    citizens = sorted({r[2] for r in picks if r[2]})[:20]  # a login each: a few are enough
    own = [r for r in picks if r[2] in citizens]
    if own:
        measure("applicant (citizen)", own, {r[2]: r[2] for r in own} | {"*": own[0][2]})


if __name__ == "__main__":
    main()
