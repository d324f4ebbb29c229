"""`procedure_problems`: every reason a body cannot be published, each with its place in the body
(the editor puts the message on that field); `procedure_publish` refuses on the first."""

from __future__ import annotations

from typing import Any

import pytest

from motcua.accounts.selectors import system_actor
from motcua.catalog.schemas import ProcedureIn
from motcua.catalog.services import procedure_problems, procedure_publish
from motcua.core.errors import ValidationFailed

pytestmark = pytest.mark.django_db


def body(**overrides: Any) -> ProcedureIn:
    raw: dict[str, Any] = {
        "code": "9.100001", "name": "Thủ tục kiểm tra", "field": {"code": "HOTICH", "name": "Hộ tịch"},
        "level": "commune", "time_limit": {"value": 1, "unit": "working_days"},
        "documents": [{"code": "TK01", "name": "Tờ khai"}],
        "fees": [{"code": "LP01", "name": "Lệ phí", "amount": 1000}],
        "workflow": [{"name": "Tiếp nhận", "role": "reception", "unit": "receiving", "hours": 2},
                     {"name": "Xử lý", "role": "specialist", "unit": "handling", "hours": 6}],
    }
    raw.update(overrides)
    return ProcedureIn.model_validate(raw)


def test_a_good_body_has_no_problem(catalogue):
    assert procedure_problems(body(), require_documents=True) == []


def test_every_problem_with_its_place(catalogue):
    data = body(
        handling_unit="000.99.99.H99",
        documents=[{"code": "TK01", "name": "Tờ khai"}, {"code": "TK01", "name": "Bản sao"}],
        fees=[{"code": "LP01", "name": "A", "amount": 1}, {"code": "LP01", "name": "B", "amount": 1}],
        workflow=[{"name": "Tiếp nhận", "role": "reception", "unit": "receiving", "hours": 2},
                  {"name": "Xử lý", "role": "specialist", "unit": "000.98.98.H98", "hours": 20}],
    )
    found = [(p.code, p.where) for p in procedure_problems(data)]
    assert found == [
        ("unknown_unit", ("handling_unit",)), ("unknown_unit", ("workflow", 1, "unit")),
        ("workflow_exceeds_time_limit", ("workflow",)),
        ("duplicate_document_code", ("documents", 1, "code")), ("duplicate_fee_code", ("fees", 1, "code")),
    ]
    with pytest.raises(ValidationFailed) as refused:
        procedure_publish(actor=system_actor(), data=data)
    assert refused.value.code == "unknown_unit"
    assert refused.value.details == {"units": ["000.98.98.H98", "000.99.99.H99"]}


def test_documents_are_required_when_the_caller_asks(catalogue):
    bare = body(documents=[])
    assert procedure_problems(bare) == []  # the API contract keeps the list optional
    (problem,) = procedure_problems(bare, require_documents=True)
    assert (problem.code, problem.where) == ("no_documents", ("documents",))
    with pytest.raises(ValidationFailed) as refused:
        procedure_publish(actor=system_actor(), data=bare, require_documents=True)
    assert refused.value.code == "no_documents"
    assert procedure_publish(actor=system_actor(), data=bare).version == 1
