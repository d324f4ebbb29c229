from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from motcua.accounts.selectors import system_actor
from motcua.catalog.services import DATA_FILE, procedure_import_file
from motcua.core.errors import DomainError


class Command(BaseCommand):
    help = "Publish the procedures of a catalogue file (JSON array of procedure bodies); unchanged ones are skipped."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path", nargs="?", default=str(DATA_FILE))

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            published, skipped = procedure_import_file(actor=system_actor(), path=Path(options["path"]))
        except DomainError as exc:
            raise CommandError(f"{exc.code}: {exc.message}") from exc
        self.stdout.write(f"Catalogue: {published} published, {skipped} unchanged.")
