"""Each service writes exactly its change, one event and one audit row, in its transaction.

Table-driven over the registry's actions: for each, a dossier brought to the right point, the
action done through the registry, and the rows it wrote checked (the event's statuses, actor,
units, step, note and data; the audit row; the official's daily count). Then creation, receipt with
documents, the after-commit effects and a refusal that writes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from motcua.audit.models import AuditEntry
from motcua.core.errors import DomainError
from motcua.dossiers.models import ActorDay, Attachment, Dossier, DossierEvent, DossierRoute
from motcua.dossiers.services import (
    ApplicantData,
    DocumentReceived,
    dossier_receive,
    file_store,
    result_draft_upload,
    result_issue,
)

from .conftest import (
    AN,
    CENTRE,
    DESK,
    FEES,
    ITEMS,
    LATER,
    LEADER,
    PROCEDURE,
    SPEC,
    STP,
    act,
    actor,
    online,
    s4,
    s4_leader,
    s4_second,
    then,
    walk_in,
)

pytestmark = pytest.mark.django_db

RECEPTION_STEP, CHECK_STEP, DRAFT_STEP = "Tiếp nhận hồ sơ", "Tra cứu Cơ sở dữ liệu hộ tịch, xác minh", \
    "Thẩm định, dự thảo Giấy khai sinh"
APPROVAL_STEP, RETURN_STEP = "Phê duyệt, ký kết quả", "Trả kết quả"

# action, the dossier before, who, body, (from, to status), actor's unit, from unit, to unit, step, note, data keys
CASES: list[tuple[str, Any, str, dict[str, Any], tuple[int, int], str | None, str | None, str | None, str, str,
                  set[str]]] = [
    ("accept", online, DESK, {"note": "Đủ"}, (1, 2), CENTRE, CENTRE, CENTRE, RECEPTION_STEP, "Đủ",
     {"checked_late", "due_at", "clock_start"}),
    ("refuse", online, DESK, {"reason": "Sai thủ tục"}, (1, 3), CENTRE, CENTRE, None, RECEPTION_STEP, "Sai thủ tục",
     {"reason"}),
    ("request-supplement", s4, SPEC, {"reason": "Thiếu", "items": ITEMS}, (4, 5), CENTRE, CENTRE, CENTRE, "", "Thiếu",
     {"reason", "items", "round", "repeated"}),
    ("supplement", then(s4, SPEC, "request-supplement", reason="Thiếu", items=ITEMS), DESK, {"note": "Đã nhận"},
     (5, 4), CENTRE, None, CENTRE, "", "Đã nhận", {"paused_working_seconds"}),
    ("forward", walk_in, DESK, {"note": "Chuyển"}, (2, 4), CENTRE, CENTRE, CENTRE, RECEPTION_STEP, "Chuyển",
     {"next_step", "next_step_due_at", "assignee"}),
    ("request-payment", s4, SPEC, {"fees": FEES}, (4, 6), CENTRE, CENTRE, CENTRE, "", "", {"fees"}),
    ("confirm-payment", then(s4, SPEC, "request-payment", fees=FEES), DESK, {}, (6, 4), CENTRE, None, CENTRE, "", "",
     {"paused_working_seconds"}),
    ("resolve", s4_leader, LEADER, {"decision": "approved", "note": "Đồng ý"}, (4, 9), CENTRE, CENTRE, CENTRE,
     APPROVAL_STEP, "Đồng ý", {"decision", "outcome"}),
    ("return", then(s4_leader, LEADER, "resolve"), DESK, {}, (9, 10), CENTRE, CENTRE, None, RETURN_STEP, "",
     {"result_delivery"}),
    ("withdraw", walk_in, DESK, {"reason": "Không cần nữa"}, (2, 7), CENTRE, CENTRE, None, "", "Không cần nữa",
     {"reason", "outcome"}),
    ("stop", s4, LEADER, {"reason": "Dừng"}, (4, 8), CENTRE, CENTRE, None, "", "Dừng", {"reason", "outcome"}),
    ("apologize", s4, LEADER, {"reason": "Xác minh", "new_due_at": LATER}, (4, 4), CENTRE, CENTRE, None, "",
     "Xác minh", {"reason", "previous_due_at", "new_due_at", "within_last_working_day"}),
    ("claim", s4, SPEC, {}, (4, 4), CENTRE, CENTRE, CENTRE, "", "", {"assignee"}),
    ("reassign", then(s4, SPEC, "claim"), SPEC, {"assignee": "chuyenvien2.viettri"}, (4, 4), CENTRE, CENTRE, CENTRE,
     "", "", {"from", "to"}),
    ("send-back", s4_second, SPEC, {"reason": "Xác minh lại"}, (4, 4), CENTRE, CENTRE, CENTRE, DRAFT_STEP,
     "Xác minh lại", {"reason", "to_step"}),
    ("consult", s4, SPEC, {"unit": STP, "question": "Ý kiến?"}, (4, 4), CENTRE, CENTRE, STP, "", "Ý kiến?",
     {"consultation", "due_at"}),
    ("answer-consultation", then(s4, SPEC, "consult", unit=STP, question="Ý kiến?"), "chuyenvien.stp",
     {"answer": "Đồng ý"}, (4, 4), STP, STP, CENTRE, "", "Đồng ý", {"consultation", "due_at"}),
]


def _code(unit: Any) -> str | None:
    return unit.code if unit is not None else None


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_an_action_writes_its_event_and_audit_row(frozen: Any, case: tuple[Any, ...]) -> None:
    action, build, who, body, (before, after), actor_unit, from_unit, to_unit, step, note, data = case
    dossier = build()
    if action == "answer-consultation":
        body = {**body, "consultation": dossier.consultations.get().pk}
    events, audits = DossierEvent.objects.count(), AuditEntry.objects.filter(action__startswith="dossier.").count()
    counted = ActorDay.objects.filter(actor__username=who).values_list("actions", flat=True).first() or 0
    act(who, dossier.code, action, **body)

    assert DossierEvent.objects.count() == events + 1
    event = DossierEvent.objects.select_related("actor_unit", "from_unit", "to_unit").latest("id")
    dossier = Dossier.objects.get(pk=dossier.pk)
    assert (event.dossier_id, event.action, event.from_status, event.to_status) == (dossier.pk, action, before, after)
    assert dossier.status == after
    assert event.actor_username == who and event.actor_id == actor(who).user_id
    assert (_code(event.actor_unit), _code(event.from_unit), _code(event.to_unit)) == (actor_unit, from_unit, to_unit)
    assert (event.step_name, event.note) == (step, note)
    assert set(event.data) == data
    # A completed step (or an answered consultation) is early, on time or late.
    assert bool(event.step_outcome) == bool(step or action == "answer-consultation")

    written = AuditEntry.objects.filter(action__startswith="dossier.").order_by("id")[audits:]
    assert [(a.action, a.object_id, a.actor_label) for a in written] == [(f"dossier.{action}", str(dossier.pk), who)]
    assert written[0].data == {"code": dossier.code, "from": before, "to": after}
    assert ActorDay.objects.get(actor__username=who, day=event.at.date()).actions == counted + 1


def test_a_refused_action_writes_nothing(frozen: Any) -> None:
    dossier = s4()
    counts = (DossierEvent.objects.count(), AuditEntry.objects.count(), Dossier.objects.get(pk=dossier.pk).row_version)
    for who, action, body in [(SPEC, "forward", {"assignee": "lanhdao.viettri"}),  # 400: not the next step's role
                              (DESK, "forward", {}),  # 403: not the step's handler
                              (DESK, "accept", {}),  # 409: not in this status
                              (LEADER, "apologize", {"reason": "", "new_due_at": LATER})]:  # 400: no reason
        with pytest.raises(DomainError):
            act(who, dossier.code, action, **body)
    assert counts == (DossierEvent.objects.count(), AuditEntry.objects.count(),
                      Dossier.objects.get(pk=dossier.pk).row_version)


@pytest.mark.parametrize("channel", ["online", "direct"])
def test_creation_writes_the_create_event_and_the_route(frozen: Any, channel: str) -> None:
    dossier = online() if channel == "online" else walk_in()
    event = DossierEvent.objects.get(dossier=dossier)
    assert (event.action, event.from_status, event.to_status) == ("create", None, 1 if channel == "online" else 2)
    assert event.step_name == RECEPTION_STEP and event.data["channel"] == channel
    assert (event.data["due_at"] is None) == (channel == "online")
    assert AuditEntry.objects.filter(action="dossier.create", object_id=str(dossier.pk)).count() == 1
    assert set(DossierRoute.objects.filter(dossier=dossier).values_list("unit__code", flat=True)) == {CENTRE}


def _pdf() -> bytes:
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_receipt_with_documents_is_all_or_nothing(frozen: Any, files_dir: Any) -> None:
    scan = file_store([_pdf()], "to-khai.pdf")
    applicant = ApplicantData(name="Lê Văn Cường", phone="0901234567")
    kwargs = {"actor": actor(DESK), "procedure_code": PROCEDURE, "channel": "direct", "receiving_unit_code": CENTRE,
              "applicant": applicant}
    before = (Dossier.objects.count(), Attachment.objects.count(), AuditEntry.objects.count())
    with pytest.raises(DomainError) as exc:  # TK01, GT01 and GT03 are required
        dossier_receive(**kwargs, documents=[DocumentReceived("GT01", on_paper=True)])
    assert (exc.value.code, exc.value.details["documents"]) == ("documents_missing", ["TK01", "GT03"])
    assert before == (Dossier.objects.count(), Attachment.objects.count(), AuditEntry.objects.count())

    dossier = dossier_receive(**kwargs, documents=[DocumentReceived("TK01", files=(scan,)),
                                                   DocumentReceived("GT01", on_paper=True),
                                                   DocumentReceived("GT03", on_paper=True)])
    assert dossier.form_data["received_documents"] == ["TK01", "GT01", "GT03"]
    attachment = Attachment.objects.get(dossier=dossier)
    assert (attachment.document, attachment.sha256, attachment.digitised_by_username) == ("TK01", scan.sha256, DESK)
    assert list(AuditEntry.objects.filter(object_type="dossiers.dossier", object_id=str(dossier.pk))
                .values_list("action", flat=True)
                .order_by("id")) == ["dossier.create", "dossier.attach"]


def test_the_result_is_issued_after_the_commit_once(frozen: Any, files_dir: Any) -> None:
    """A leader without a signing credential: the draft is attached as the (unsigned) result by the
    effect the resolve schedules; running the effect again attaches nothing more."""
    from django.db import transaction

    dossier = s4_leader()
    result_draft_upload(actor=actor(LEADER), code=dossier.code, filename="du-thao.pdf", chunks=[_pdf()])
    with transaction.atomic():
        act(LEADER, dossier.code, "resolve")
        assert not Attachment.objects.filter(dossier=dossier, kind="result").exists()  # not before the commit
    result = Attachment.objects.get(dossier=dossier, kind="result")
    resolve = DossierEvent.objects.get(dossier=dossier, action="resolve")
    assert result.uploaded_at == resolve.at and result.signature is None
    assert AuditEntry.objects.filter(action="dossier.attach", object_id=str(dossier.pk),
                                     data__kind="result").count() == 1
    assert result_issue(resolve.pk) is None
    assert Attachment.objects.filter(dossier=dossier, kind="result").count() == 1


def test_an_effect_of_a_rolled_back_change_never_runs(frozen: Any, files_dir: Any) -> None:
    from django.db import transaction

    dossier = s4_leader()
    result_draft_upload(actor=actor(LEADER), code=dossier.code, filename="du-thao.pdf", chunks=[_pdf()])
    with pytest.raises(RuntimeError), transaction.atomic():
        act(LEADER, dossier.code, "resolve")
        raise RuntimeError("the caller's transaction fails after the resolve")
    assert Dossier.objects.get(pk=dossier.pk).status == 4
    assert not Attachment.objects.filter(dossier=dossier, kind="result").exists()


def test_the_applicant_is_recorded_as_such(frozen: Any) -> None:
    dossier = online(AN)
    act(AN, dossier.code, "withdraw", reason="Nộp nhầm")
    event = DossierEvent.objects.filter(dossier=dossier).latest("id")
    assert (event.actor_username, event.actor_unit_id, event.to_status) == (AN, None, 7)
