"""Run queued report jobs: `manage.py report_worker` (loop) or `--once` (drain the queue and exit)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from motcua.reports.services import report_jobs_run_pending


class Command(BaseCommand):
    help = "Run queued report jobs (Biểu II.06a, II.07b, the 766 index for long periods)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--once", action="store_true", help="drain the queue and exit")
        parser.add_argument("--sleep", type=float, default=2.0, help="seconds between polls when idle")

    def handle(self, *args: Any, once: bool = False, sleep: float = 2.0, **options: Any) -> None:
        while True:
            ran = report_jobs_run_pending()
            if ran:
                self.stdout.write(f"{ran} report job(s) done")
            if once:
                return
            time.sleep(sleep)
