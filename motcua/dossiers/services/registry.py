"""The one registry of dossier actions: for each, its name, the service that does it, the input it
takes, who may do it and how the pages name it.

Everything that offers or performs an action reads this list:

- the API builds the body of `POST /dossiers/{code}/actions/{action}` from the inputs
  (`motcua.api.schemas.ActionIn`) and performs through `dossier_perform`;
- the desk shows a button and a form for each action `dossier_available_actions` lists, labelled
  from here, and performs through `dossier_act`;
- the import replays each historical event through `dossier_perform`;
- `dossier_available_actions` (selectors) walks it in this order.

Who may do an action, and from which statuses, is the transition table of the status gate
(`motcua.workflow.domain.TRANSITIONS`: `ActionSpec.parties`, `ActionSpec.statuses`); what else an
action needs now is `motcua.workflow.permissions.refusal`.

Adding an action: its name in `workflow.domain.Action` and its rows in the table, one `ActionSpec`
below, and its service (keyword-only `actor`, `code`, `at`, `expected_version` and the fields of its
input). `motcua/dossiers/tests/test_registry.py` checks that the three agree.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from pydantic import ValidationError

from motcua.accounts.selectors import Actor
from motcua.core.errors import ValidationFailed
from motcua.workflow.domain import TRANSITIONS, Action, Party, Status

from ..models import Consultation, Dossier
from . import actions, inputs, steps
from .inputs import ActionInput

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise


@dataclass(frozen=True)
class ActionSpec:
    action: Action
    service: Callable[..., Dossier | Consultation]
    input: type[ActionInput]
    label: StrPromise  # what the action does: a heading on the desk
    button: StrPromise  # the text of its button
    style: str = ""  # "ok", "danger" or "" (the look of the button)
    primary: bool = False  # the desk shows its form open

    @property
    def name(self) -> str:
        return self.action.value

    @property
    def parties(self) -> frozenset[Party]:
        """Who may do it (in some status), from the transition table."""
        return frozenset(p for (_s, a), rule in TRANSITIONS.items() if a == self.action for p in rule.parties)

    @property
    def statuses(self) -> frozenset[Status]:
        """The statuses it may be done from, from the transition table."""
        return frozenset(s for (s, a) in TRANSITIONS if a == self.action)


# In the order the desk shows them.
ACTION_SPECS: tuple[ActionSpec, ...] = (
    ActionSpec(Action.ANSWER_CONSULTATION, steps.dossier_answer_consultation, inputs.AnswerConsultationIn,
               _l("Trả lời xin ý kiến"), _l("Gửi ý kiến trả lời"), "ok", True),
    ActionSpec(Action.CLAIM, steps.dossier_claim, inputs.ClaimIn, _l("Nhận xử lý"), _l("Nhận xử lý bước này")),
    ActionSpec(Action.ACCEPT, actions.dossier_accept, inputs.NoteIn, _l("Tiếp nhận hồ sơ"), _l("Tiếp nhận"), "ok", True),
    ActionSpec(Action.REQUEST_SUPPLEMENT, actions.dossier_request_supplement, inputs.SupplementRequestIn,
               _l("Yêu cầu bổ sung hồ sơ"), _l("Gửi yêu cầu bổ sung")),
    ActionSpec(Action.REFUSE, actions.dossier_refuse, inputs.ReasonIn, _l("Từ chối tiếp nhận"), _l("Từ chối tiếp nhận"),
               "danger"),
    ActionSpec(Action.SUPPLEMENT, actions.dossier_supplement, inputs.NoteIn,
               _l("Nhận hồ sơ bổ sung thay người nộp"), _l("Xác nhận đã bổ sung")),
    ActionSpec(Action.FORWARD, actions.dossier_forward, inputs.ForwardIn, _l("Hoàn thành bước này và chuyển bước tiếp theo"),
               _l("Chuyển xử lý"), "ok", True),
    ActionSpec(Action.REQUEST_PAYMENT, actions.dossier_request_payment, inputs.PaymentRequestIn,
               _l("Yêu cầu thực hiện nghĩa vụ tài chính"), _l("Gửi yêu cầu nộp phí")),
    ActionSpec(Action.CONFIRM_PAYMENT, actions.dossier_confirm_payment, inputs.NoteIn, _l("Xác nhận đã nộp phí, lệ phí"),
               _l("Xác nhận đã nộp"), "ok", True),
    ActionSpec(Action.CONSULT, steps.dossier_consult, inputs.ConsultIn, _l("Xin ý kiến đơn vị khác"), _l("Gửi xin ý kiến")),
    ActionSpec(Action.SEND_BACK, steps.dossier_send_back, inputs.SendBackIn, _l("Trả lại bước trước"), _l("Trả lại")),
    ActionSpec(Action.REASSIGN, steps.dossier_reassign, inputs.ReassignIn, _l("Giao lại cho cán bộ khác"), _l("Giao lại")),
    ActionSpec(Action.RESOLVE, actions.dossier_resolve, inputs.ResolveIn, _l("Phê duyệt kết quả giải quyết"),
               _l("Ký duyệt, hoàn thành"), "ok", True),
    ActionSpec(Action.RETURN, actions.dossier_return, inputs.NoteIn, _l("Trả kết quả cho người nộp"), _l("Đã trả kết quả"),
               "ok", True),
    ActionSpec(Action.APOLOGIZE, actions.dossier_apologize, inputs.ApologizeIn, _l("Xin lỗi và hẹn lại ngày trả kết quả"),
               _l("Lập phiếu xin lỗi")),
    ActionSpec(Action.STOP, actions.dossier_stop, inputs.ReasonIn, _l("Dừng xử lý hồ sơ"), _l("Dừng xử lý"), "danger"),
    ActionSpec(Action.WITHDRAW, actions.dossier_withdraw, inputs.ReasonIn, _l("Rút hồ sơ theo yêu cầu của người nộp"),
               _l("Rút hồ sơ"), "danger"),
)
ACTIONS: Mapping[str, ActionSpec] = {spec.name: spec for spec in ACTION_SPECS}


def action_spec(name: str) -> ActionSpec:
    """The registry entry of an action, or 404 `unknown_action`."""
    spec = ACTIONS.get(name)
    if spec is None:
        raise ValidationFailed("unknown_action", f"Không có thao tác {name!r}.", details={"action": name},
                               status=404)
    return spec


def dossier_act(*, actor: Actor, code: str, action: str, payload: ActionInput, at: datetime | None = None,
                expected_version: int | None = None) -> Dossier | Consultation:
    """Do `action` on dossier `code` with its typed input (an instance of the spec's `input`)."""
    spec = action_spec(action)
    if not isinstance(payload, spec.input):
        raise TypeError(f"{action} takes {spec.input.__name__}, not {type(payload).__name__}")
    fields = {name: getattr(payload, name) for name in type(payload).model_fields}
    return spec.service(actor=actor, code=code, at=at, expected_version=expected_version, **fields)


def action_input(action: str, body: Mapping[str, Any]) -> ActionInput:
    """The typed input of `action` from a request body or a replayed event, or 400 `invalid_request`."""
    spec = action_spec(action)
    try:
        return spec.input.model_validate(dict(body))
    except ValidationError as exc:
        errors = [{k: v for k, v in err.items() if k in {"type", "loc", "msg"}} for err in exc.errors()]
        raise ValidationFailed("invalid_request", _("Dữ liệu gửi lên không hợp lệ."),
                               details={"errors": errors}) from exc


def dossier_perform(*, actor: Actor, code: str, action: str, body: Mapping[str, Any], at: datetime | None = None,
                    expected_version: int | None = None) -> Dossier:
    """Do an action named by the contract with a body of plain values (the API, the import);
    returns the dossier as it is now."""
    result = dossier_act(actor=actor, code=code, action=action, payload=action_input(action, body), at=at,
                         expected_version=expected_version)
    return result if isinstance(result, Dossier) else Dossier.objects.get(code=code)
