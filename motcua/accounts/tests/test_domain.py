"""Table-driven tests of the citizen ID number rules (domain-rules §1). No database."""

from __future__ import annotations

from datetime import date

import pytest

from motcua.accounts.domain import (
    id_number_birth_year,
    id_number_problem,
    id_number_province_code,
    id_number_sex,
)

VALID = [
    # value, province, sex, birth year
    ("001099012345", "001", "male", 1999),  # Hà Nội, 1900s male
    ("001185000001", "001", "female", 1985),  # 1900s female
    ("079203000123", "079", "male", 2003),  # Hồ Chí Minh, 2000s male
    ("036300999999", "036", "female", 2000),  # 2000s female
    ("096400000000", "096", "male", 2100),  # 2100s male, highest province code
    ("045501000000", "045", "female", 2101),  # 2100s female
    ("001000000000", "001", "male", 1900),
    ("002399123456", "002", "female", 2099),
]


@pytest.mark.parametrize(("value", "province", "sex", "year"), VALID)
def test_valid_id_numbers(value: str, province: str, sex: str, year: int) -> None:
    assert id_number_problem(value) is None
    assert id_number_problem(value, date(year, 6, 15)) is None
    assert id_number_problem(value, date(year, 1, 1)) is None
    assert id_number_problem(value, date(year, 12, 31)) is None
    assert id_number_province_code(value) == province
    assert id_number_sex(value) == sex
    assert id_number_birth_year(value) == year


@pytest.mark.parametrize(
    "value",
    [
        "",
        "00109901234",  # 11 digits
        "0010990123456",  # 13 digits
        "00109901234a",
        "001 099012345",
        " 001099012345",
        "001099012345 ",
        "001099012345\n",
        "001-099-012345",
        "０01099012345",  # full-width digit
        "٠01099012345",  # Arabic-Indic digit
        "00109901234²",  # superscript two
        "000099012345",  # province 000
        "097099012345",  # province above 096
        "999099012345",
        "001699012345",  # century/sex digit 6
        "001799012345",
        "001899012345",
        "001999012345",
    ],
)
def test_invalid_id_numbers(value: str) -> None:
    assert id_number_problem(value) == "invalid_id_number"
    assert id_number_problem(value, date(1999, 1, 1)) == "invalid_id_number"  # structure first
    with pytest.raises(ValueError, match="invalid_id_number"):
        id_number_sex(value)
    with pytest.raises(ValueError, match="invalid_id_number"):
        id_number_birth_year(value)


@pytest.mark.parametrize(
    ("value", "birth_date"),
    [
        ("001099012345", date(1998, 12, 31)),  # year differs
        ("001099012345", date(2000, 1, 1)),
        ("001099012345", date(2099, 5, 5)),  # same two digits, wrong century
        ("001199012345", date(2099, 5, 5)),
        ("079203000123", date(1903, 1, 1)),
        ("079203000123", date(2103, 1, 1)),
        ("096400000000", date(2000, 1, 1)),
        ("096400000000", date(1900, 1, 1)),
    ],
)
def test_birth_date_mismatch(value: str, birth_date: date) -> None:
    assert id_number_problem(value, birth_date) == "id_number_birth_mismatch"


def test_non_string_is_invalid() -> None:
    assert id_number_problem(1099012345) == "invalid_id_number"  # type: ignore[arg-type]
    assert id_number_problem(None) == "invalid_id_number"  # type: ignore[arg-type]
