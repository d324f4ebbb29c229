"""Shared pieces of the benchmark scripts: Django set-up against the bench database, names."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/motcua_bench"
PASSWORD = "motcua-demo"
PROVINCE_CODE = "000.00.00.H98"
PROVINCE_CENTRE_CODE = "000.00.21.H98"
# Well-known accounts of the generated province (bench/run.py logs in with them).
SUPERVISOR = "giamsat.tinh"
ADMIN = "admin"


def commune_code(i: int) -> str:
    """The People's Committee of commune i (1-based)."""
    return f"{i:03d}.00.50.H98"


def commune_centre_code(i: int) -> str:
    return f"{i:03d}.01.50.H98"


def department_code(i: int) -> str:
    return f"000.00.{i:02d}.H98"


def specialist(i: int, n: int = 1) -> str:
    """A specialist of commune centre i."""
    return f"chuyenvien.x{i:03d}.{n}"


def reception(i: int, n: int = 1) -> str:
    return f"tiepnhan.x{i:03d}.{n}"


def setup_django(database_url: str | None = None) -> None:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = database_url or os.environ.get("DATABASE_URL") or DEFAULT_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()


def log(message: str) -> None:
    print(message, flush=True)
