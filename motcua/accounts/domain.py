"""Pure account rules: the structure of the citizen ID number (số định danh cá nhân, domain-rules §1).

Twelve digits: 1–3 the province code of birth registration (001–096, the pre-2025 codes); 4 the
century and sex (0/1 → 1900s male/female, 2/3 → 2000s, 4/5 → 2100s; even = male, odd = female);
5–6 the last two digits of the birth year; 7–12 random.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Final, Literal

IdNumberProblem = Literal["invalid_id_number", "id_number_birth_mismatch"]
Sex = Literal["male", "female"]

INVALID_ID_NUMBER: Final = "invalid_id_number"
ID_NUMBER_BIRTH_MISMATCH: Final = "id_number_birth_mismatch"
PROVINCE_CODE_MIN: Final = 1
PROVINCE_CODE_MAX: Final = 96

_TWELVE_DIGITS = re.compile(r"[0-9]{12}")


def _structure_ok(value: object) -> bool:
    if not isinstance(value, str) or _TWELVE_DIGITS.fullmatch(value) is None:
        return False
    return PROVINCE_CODE_MIN <= int(value[:3]) <= PROVINCE_CODE_MAX and int(value[3]) <= 5


def _checked(value: str) -> str:
    if not _structure_ok(value):
        raise ValueError(INVALID_ID_NUMBER)
    return value


def id_number_problem(value: str, birth_date: date | None = None) -> IdNumberProblem | None:
    """None when ``value`` is a well-formed ID number (agreeing with ``birth_date`` if given), else
    the error code: ``invalid_id_number`` or ``id_number_birth_mismatch``."""
    if not _structure_ok(value):
        return INVALID_ID_NUMBER
    if birth_date is not None and birth_date.year != id_number_birth_year(value):
        return ID_NUMBER_BIRTH_MISMATCH
    return None


def id_number_birth_year(value: str) -> int:
    """The four-digit birth year encoded by digits 4–6; ValueError when malformed."""
    value = _checked(value)
    return 1900 + 100 * (int(value[3]) // 2) + int(value[4:6])


def id_number_sex(value: str) -> Sex:
    """The sex encoded by digit 4 (even male, odd female); ValueError when malformed."""
    return "female" if int(_checked(value)[3]) % 2 else "male"


def id_number_province_code(value: str) -> str:
    """The three-digit province code of birth registration; ValueError when malformed."""
    return _checked(value)[:3]


PHONE_RE: Final = re.compile(r"^(\+84|0)\d{8,10}$")
EMAIL_RE: Final = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def normalise_phone(value: str) -> str:
    """Drop spaces, dots and dashes: "0912 345 678" -> "0912345678"."""
    return re.sub(r"[\s.\-]", "", value)


def phone_problem(value: str) -> str | None:
    return None if not value or PHONE_RE.match(value) else "invalid_phone"


def email_problem(value: str) -> str | None:
    return None if not value or EMAIL_RE.match(value) else "invalid_email"
