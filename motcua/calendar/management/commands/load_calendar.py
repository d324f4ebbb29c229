from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from motcua.calendar.services import DATA_FILE, calendar_load_defaults


class Command(BaseCommand):
    help = "Load the shipped holiday and swapped-working-day table; days already present are kept."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path", nargs="?", default=str(DATA_FILE))

    def handle(self, *args: Any, **options: Any) -> None:
        created = calendar_load_defaults(Path(options["path"]))
        self.stdout.write(f"Calendar: {created} days added.")
