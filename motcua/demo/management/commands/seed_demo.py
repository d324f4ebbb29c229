from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from motcua.demo.seed import seed_all


class Command(BaseCommand):
    help = "Create the demo province, accounts (password motcua-demo), calendar, catalogue and dossiers. Idempotent."

    def handle(self, *args: Any, **options: Any) -> None:
        result = seed_all()
        self.stdout.write("Demo: " + ", ".join(f"{k} +{v}" for k, v in result.items()))
