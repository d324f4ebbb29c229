"""Remove stale staging files, expired upload sessions and unreferenced stored files; report rows
whose file is missing. Exit status 1 when the store is inconsistent."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.documents.cleanup import storage_cleanup


class Command(BaseCommand):
    help = "Clean the file store and check that every row has its file and every file its row."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--grace", type=float, default=None,
                            help="keep unreferenced files younger than this many seconds (default: setting)")
        parser.add_argument("--verify", action="store_true", help="also re-hash every referenced file")
        parser.add_argument("--dry-run", action="store_true", help="report only, remove nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        report = storage_cleanup(grace_seconds=options["grace"], verify=options["verify"], dry_run=options["dry_run"])
        self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        if not report.consistent:
            raise CommandError("file store inconsistent: see 'missing' and 'corrupt'")
