"""The procedure-version editor: edit → check and preview (due date, the citizen's page) → confirm
→ publish. Rows are added, removed and moved by submit buttons, so it works without JavaScript.
Every check is the catalogue's (`ProcedureIn`, `procedure_problems`); this module places their
findings on the fields in Vietnamese. Decision 0165."""

from __future__ import annotations

import json
from contextlib import suppress
from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from pydantic import ValidationError

from motcua.accounts.selectors import actor_for
from motcua.catalog.domain import default_workflow, limit_in_working_hours
from motcua.catalog.models import Field, Procedure, ProcedureVersion
from motcua.catalog.schemas import ProcedureIn
from motcua.catalog.selectors import procedure_body
from motcua.catalog.services import procedure_problems, procedure_publish
from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.dossiers.selectors import due_if_received
from motcua.units.selectors import unit_list

from . import forms as f

MAX_IMPORT_BYTES = 1_000_000
SECTION_TITLES = {"documents": _l("Thành phần hồ sơ"), "fees": _l("Phí, lệ phí"), "workflow": _l("Quy trình nội bộ")}
CHANGES = [("name", _l("Tên thủ tục")), ("field", _l("Lĩnh vực")), ("level", _l("Cấp thực hiện")),
           ("time_limit", _l("Thời hạn giải quyết")), ("online_time_limit", _l("Thời hạn khi nộp trực tuyến")),
           ("cutoff_time", _l("Giờ nhận hồ sơ trong ngày")), ("online_mode", _l("Dịch vụ công trực tuyến")),
           ("pause_rule", _l("Khi yêu cầu bổ sung hồ sơ")), ("handling_unit", _l("Đơn vị giải quyết")),
           ("documents", _l("Thành phần hồ sơ")), ("fees", _l("Phí, lệ phí")), ("workflow", _l("Quy trình nội bộ")),
           ("description", _l("Mô tả")), ("legal_basis", _l("Căn cứ pháp lý")), ("result", _l("Kết quả thực hiện")),
           ("agency", _l("Cơ quan thực hiện"))]


def _section_title(kind: str) -> str:
    return {"documents": _("Thành phần hồ sơ"), "fees": _("Phí, lệ phí"), "workflow": _("Bước")}[kind]


def _guard(request: HttpRequest, new: bool) -> HttpResponse | None:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))
    if not request.user.has_perm("catalog.add_procedure" if new else "catalog.change_procedure"):
        raise PermissionDenied
    return None


def _procedure(code: str | None) -> Procedure | None:
    if code is None:
        return None
    procedure = Procedure.objects.select_related("current", "current__field", "current__procedure").filter(
        code=code, current__isnull=False).first()
    if procedure is None:
        raise Http404(_("Không có thủ tục mã %(code)s.") % {"code": code})
    return procedure


def _blank_body() -> dict[str, Any]:
    return {"level": "commune", "time_limit": {"value": "", "unit": "working_days"}, "online_mode": "none",
            "pause_rule": "pause", "handling_unit": "receiving",
            "documents": [{"code": "", "name": "", "copy_type": "original", "count": 1, "required": True}],
            "workflow": [dict(s) for s in default_workflow(Decimal(1), "working_days")]}


def editor(request: HttpRequest, code: str | None = None) -> HttpResponse:
    new = code is None
    denied = _guard(request, new)
    if denied:
        return denied
    procedure = _procedure(code)
    if request.method != "POST":
        body = procedure_body(procedure.current) if procedure and procedure.current else _blank_body()
        main, rows = f.initial_from_body(body)
        return _editor_page(request, procedure, main, rows)

    post = request.POST
    action = post.get("action", "check")
    if action in {"publish", "edit"}:
        try:
            body = json.loads(post.get("payload", ""))
            if not isinstance(body, dict):
                raise ValueError
        except ValueError:
            messages.error(request, _("Nội dung gửi lên không đọc được; vui lòng soạn lại."))
            return HttpResponseRedirect(request.path)
        if procedure is not None:
            body["code"] = procedure.code
        main, rows = f.initial_from_body(body)
        if action == "publish":
            base = post.get("base", "")
            if procedure is not None and procedure.current is not None and base != str(procedure.current.version):
                stale = f.Placed(page=[_("Trong lúc bạn xem trước, phiên bản %(n)s đã được phát hành. Hãy kiểm tra "
                                         "lại nội dung rồi xem trước lần nữa.") % {"n": procedure.current.version}])
                return _editor_page(request, procedure, main, rows, placed=stale)
            return _publish(request, procedure, main, rows)
        return _editor_page(request, procedure, main, rows)
    if action == "import":
        return _import(request, procedure)

    main = f.main_from_post(post)
    rows = {kind: f.rows_from_post(post, kind) for kind in f.ROW_FIELDS}
    if procedure is not None:
        main["code"] = procedure.code
    if _move_rows(post, rows):
        return _editor_page(request, procedure, main, rows)
    built, placed = _check(main, rows, procedure)
    if placed:
        return _editor_page(request, procedure, main, rows, placed=placed)
    return _preview_page(request, procedure, built)


def _move_rows(post: Any, rows: dict[str, list[dict[str, Any]]]) -> bool:
    """Add, remove or move a row; True when the page only redraws."""
    if post.get("add") in f.ROW_FIELDS:
        kind = post["add"]
        if len(rows[kind]) < f.MAX_ROWS:
            rows[kind].append({**dict.fromkeys(f.ROW_FIELDS[kind], ""), **f.BLANK_ROWS[kind]})
        return True
    for verb in ("remove", "up"):
        value = str(post.get(verb, ""))
        if not value:
            continue
        kind, _sep, index_text = value.rpartition("-")
        if kind in rows and index_text.isdigit() and int(index_text) < len(rows[kind]):
            index = int(index_text)
            if verb == "remove":
                del rows[kind][index]
            elif index > 0:
                rows[kind][index - 1], rows[kind][index] = rows[kind][index], rows[kind][index - 1]
        return True
    return False


def _check(main: dict[str, Any], rows: dict[str, list[dict[str, Any]]],
           procedure: Procedure | None) -> tuple[f.Built, f.Placed]:
    built = f.body_from_forms(main, rows)
    placed = f.Placed()
    try:
        data = ProcedureIn.model_validate(built.body)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        f.place_pydantic(built, errors, placed)
        _check_the_rest(built, errors, placed)
        return built, placed
    if procedure is None and Procedure.objects.filter(code=data.code).exists():
        f.place(built, ("code",), _("Đã có thủ tục mã này; hãy phát hành phiên bản mới của thủ tục đó."), placed)
    for problem in procedure_problems(data, require_documents=True):
        f.place(built, problem.where, problem.message, placed)
    return built, placed


SAFE_VALUES: dict[str, Any] = {
    "code": "X", "name": "X", "field": {"code": "X", "name": "X"}, "level": "commune", "cutoff_time": None,
    "online_mode": "none", "pause_rule": "pause", "handling_unit": "receiving", "description": "", "result": "",
    "agency": "", "legal_basis": [],
}


def _check_the_rest(built: f.Built, errors: list[Any], placed: f.Placed) -> None:
    """When some fields are malformed, still run the catalogue's other checks on what is well formed
    (the rows without errors, safe stand-ins for the broken fields), so that every problem shows at
    once. Nothing is checked when the time limit itself is malformed."""
    places = [tuple(e.get("loc") or ()) for e in errors]
    bad_rows = {(loc[0], loc[1]) for loc in places if len(loc) > 1 and loc[0] in f.ROW_FIELDS}
    bad_main = {str(loc[0]) if loc else "handling_unit" for loc in places if not loc or loc[0] not in f.ROW_FIELDS}
    if bad_main - set(SAFE_VALUES):
        return
    repaired = {**built.body, **{key: SAFE_VALUES[key] for key in bad_main}}
    origin: dict[str, list[int]] = {}
    for kind in f.ROW_FIELDS:
        kept = [i for i in range(len(built.body[kind])) if (kind, i) not in bad_rows]
        repaired[kind] = [built.body[kind][i] for i in kept]
        origin[kind] = [built.origin[kind][i] for i in kept]
    try:
        data = ProcedureIn.model_validate(repaired)
    except ValidationError:
        return
    partial = f.Built(repaired, origin)
    documents_broken = any(kind == "documents" for kind, _i in bad_rows)
    for problem in procedure_problems(data, require_documents=not documents_broken):
        if problem.where and problem.where[0] in bad_main:
            continue
        f.place(partial, problem.where, problem.message, placed)


def _publish(request: HttpRequest, procedure: Procedure | None, main: dict[str, Any],
             rows: dict[str, list[dict[str, Any]]]) -> HttpResponse:
    built, placed = _check(main, rows, procedure)
    if not placed:
        try:
            version = procedure_publish(actor=actor_for(request.user),  # type: ignore[arg-type]
                                        data=ProcedureIn.model_validate(built.body), require_documents=True)
        except DomainError as exc:
            placed.page.append(exc.message)
        else:
            messages.success(request, _("Đã phát hành phiên bản %(n)s của thủ tục %(code)s. Hồ sơ tiếp nhận từ "
                                        "bây giờ theo phiên bản này; hồ sơ đã tiếp nhận giữ phiên bản cũ.")
                             % {"n": version.version, "code": version.procedure.code})
            return HttpResponseRedirect(reverse("administration:procedure_editor", args=[version.procedure.code]))
    return _editor_page(request, procedure, main, rows, placed=placed)


def _import(request: HttpRequest, procedure: Procedure | None) -> HttpResponse:
    """Fill the editor from a catalogue file (the export's format: an array with one procedure, or
    one procedure); nothing is published before the preview and the confirmation."""
    upload = request.FILES.get("file")
    body: Any = None
    if upload is not None and upload.size is not None and upload.size <= MAX_IMPORT_BYTES:
        try:
            body = json.loads(upload.read().decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            body = None
    if isinstance(body, list) and len(body) == 1:
        body = body[0]
    if not isinstance(body, dict):
        messages.error(request, _("Tệp không hợp lệ: cần một tệp JSON (tối đa 1 MB) chứa đúng một thủ tục, như tệp "
                                  "tải về từ trang này."))
        return HttpResponseRedirect(request.path)
    if procedure is not None:
        body["code"] = procedure.code
    main, rows = f.initial_from_body(body)
    messages.info(request, _("Đã nạp nội dung từ tệp. Kiểm tra, xem trước rồi xác nhận để phát hành."))
    return _editor_page(request, procedure, main, rows)


def export(request: HttpRequest, code: str) -> HttpResponse:
    """The current version as a catalogue file (what `import_catalogue` and the editor's import read)."""
    denied = _guard(request, False)
    if denied:
        return denied
    procedure = _procedure(code)
    assert procedure is not None and procedure.current is not None
    body = {k: v for k, v in procedure_body(procedure.current).items() if k not in {"version", "effective_from"}}
    response = HttpResponse(json.dumps([body], ensure_ascii=False, indent=2), content_type="application/json")
    response["Content-Disposition"] = (f'attachment; filename="thu-tuc-{procedure.code}-'
                                       f'phien-ban-{procedure.current.version}.json"')
    return response


# -- Pages ------------------------------------------------------------------------------------------

def _bound(main: dict[str, Any], rows: dict[str, list[dict[str, Any]]], procedure: Procedure | None,
           units: list[Any]) -> tuple[f.VersionForm, dict[str, Any]]:
    data: dict[str, Any] = {k: v for k, v in main.items() if v is not None}
    for kind, items in rows.items():
        data[f"{kind}-TOTAL_FORMS"] = str(len(items))
        data[f"{kind}-INITIAL_FORMS"] = "0"
        for i, row in enumerate(items):
            for name, value in row.items():
                if name == "required":
                    if value:
                        data[f"{kind}-{i}-required"] = "on"
                else:
                    data[f"{kind}-{i}-{name}"] = "" if value is None else str(value)
    form = f.VersionForm(data, units=units, new=procedure is None,
                         initial={"code": procedure.code} if procedure else None)
    unit_choices = f.step_unit_choices(units, [str(r.get("unit", "")) for r in rows["workflow"]])
    sets = {
        "documents": f.DocumentFormSet(data, prefix="documents"),
        "fees": f.FeeFormSet(data, prefix="fees"),
        "workflow": f.StepFormSet(data, prefix="workflow", form_kwargs={"unit_choices": unit_choices}),
    }
    return form, sets


def _editor_page(request: HttpRequest, procedure: Procedure | None, main: dict[str, Any],
                 rows: dict[str, list[dict[str, Any]]], placed: f.Placed | None = None) -> HttpResponse:
    units = f._units()
    form, sets = _bound(main, rows, procedure, units)
    form.full_clean()
    for formset in sets.values():
        for row_form in formset.forms:
            row_form.full_clean()
    summary: list[tuple[str, str]] = []
    for name, errors in form.errors.items():
        summary += [(f"id_{name}", f"{form[name].label}: {m}") for m in errors]
    for kind, formset in sets.items():
        for i, row_form in enumerate(formset.forms):
            for name, errors in row_form.errors.items():
                summary += [(f"id_{kind}-{i}-{name}", f"{_section_title(kind)} {i + 1} — {row_form[name].label}: {m}")
                            for m in errors]
    placed = placed or f.Placed()
    summary += [("", m) for m in placed.page]
    for name, msgs in placed.main.items():
        for m in msgs:
            form.add_error(name, m)
            summary.append((f"id_{name}", f"{form[name].label}: {m}"))
    for (kind, index, name), msgs in sorted(placed.rows.items(), key=lambda item: (item[0][0], item[0][1])):
        if index >= len(sets[kind].forms) or name not in sets[kind].forms[index].fields:
            summary += [(f"{kind}-section", m) for m in msgs]
            continue
        row_form = sets[kind].forms[index]
        for m in msgs:
            row_form.add_error(name, m)
            summary.append((f"id_{kind}-{index}-{name}",
                            f"{_section_title(kind)} {index + 1} — {row_form[name].label}: {m}"))
    for kind, msgs in placed.tables.items():
        summary += [(f"{kind}-section", f"{SECTION_TITLES[kind]}: {m}") for m in msgs]
    limit_hours = None
    try:
        limit_hours = limit_in_working_hours(Decimal(f._decimal_text(str(main.get("time_limit_value") or ""))),
                                             str(main.get("time_limit_unit") or "working_days"))
    except ArithmeticError:
        limit_hours = None
    total_hours = Decimal(0)
    for row in rows["workflow"]:
        with suppress(ArithmeticError):
            total_hours += Decimal(f._decimal_text(str(row.get("hours") or "0")))
    return render(request, "administration/procedure_editor.html", {
        "procedure": procedure, "form": form, "sets": sets, "summary": summary,
        "table_errors": placed.tables, "limit_hours": limit_hours, "total_hours": total_hours,
        "new": procedure is None,
    }, status=200)


def _unsaved_version(data: ProcedureIn, procedure: Procedure | None) -> ProcedureVersion:
    """The version as it would be published, not saved: what the citizen's page and the due date
    are drawn from."""
    body = json.loads(data.model_dump_json(exclude_none=False))
    field = Field.objects.filter(code=data.field.code).first() or Field(code=data.field.code, name=data.field.name)
    steps = body["workflow"] or json.loads(json.dumps(default_workflow(data.time_limit.value, data.time_limit.unit),
                                                      default=float))
    number = 1
    if procedure is not None:
        number = (procedure.versions.order_by("-version").values_list("version", flat=True).first() or 0) + 1
    return ProcedureVersion(
        procedure=procedure or Procedure(code=data.code, name=data.name, field=field, level=data.level),
        version=number, name=data.name, field=field, level=data.level,
        time_limit_value=data.time_limit.value, time_limit_unit=data.time_limit.unit,
        online_time_limit_value=data.online_time_limit.value if data.online_time_limit else None,
        online_time_limit_unit=data.online_time_limit.unit if data.online_time_limit else "",
        cutoff_time=time.fromisoformat(data.cutoff_time) if data.cutoff_time else None,
        online_mode=data.online_mode, pause_rule=data.pause_rule, handling_unit=data.handling_unit,
        fees=body["fees"], documents=[{k: v for k, v in d.items() if v is not None} for d in body["documents"]],
        workflow=steps, description=data.description, legal_basis=list(data.legal_basis), result=data.result,
        agency=data.agency,
    )


def _due_examples(version: ProcedureVersion) -> list[tuple[str, datetime, datetime]]:
    """When the result is due for a dossier received now, and later today after the cut-off."""
    now = clock.local(clock.now())
    examples = [(_("Nộp trực tiếp bây giờ"), now, due_if_received(version, "direct", at=now))]
    if version.online_mode != "none" and version.online_time_limit_value is not None:
        examples.append((_("Nộp trực tuyến bây giờ (khi được tiếp nhận ngay)"), now,
                         due_if_received(version, "online", at=now)))
    if version.cutoff_time is not None:
        late = datetime.combine(now.date(), version.cutoff_time, tzinfo=now.tzinfo) + timedelta(minutes=30)
        examples.append((_("Nộp trực tiếp sau giờ nhận trong ngày"), late,
                         due_if_received(version, "direct", at=late)))
    return examples


def _preview_page(request: HttpRequest, procedure: Procedure | None, built: f.Built) -> HttpResponse:
    data = ProcedureIn.model_validate(built.body)
    version = _unsaved_version(data, procedure)
    handling = None
    units = {u.code: u for u in f._units()}
    if version.handling_unit != "receiving":
        handling = units.get(version.handling_unit)
    unit_labels = dict(f.handling_choices([]))
    for choice, label in f.step_unit_choices(list(units.values())):
        if isinstance(label, list):
            unit_labels.update({k: str(v) for k, v in label})
        else:
            unit_labels[choice] = str(label)
    steps = [{**s, "unit_label": unit_labels.get(str(s["unit"]), s["unit"]),
              "role_label": dict(f.ROLES).get(str(s["role"]), s["role"])} for s in version.workflow]
    changed: list[str] = []
    if procedure is not None and procedure.current is not None:
        before = ProcedureIn.model_validate(procedure_body(procedure.current)).model_dump(mode="json")
        after = data.model_dump(mode="json")
        changed = [str(label) for key, label in CHANGES if before.get(key) != after.get(key)]
    return render(request, "administration/procedure_preview.html", {
        "procedure": version.procedure, "existing": procedure, "v": version, "handling": handling,
        "base": procedure.current.version if procedure is not None and procedure.current is not None else "",
        "payload": json.dumps(built.body, ensure_ascii=False), "steps": steps,
        "total_hours": sum((Decimal(str(s["hours"])) for s in version.workflow), Decimal(0)),
        "limit_hours": limit_in_working_hours(Decimal(version.time_limit_value), version.time_limit_unit),
        "examples": _due_examples(version), "changed": changed, "preview": True,
        "centres": unit_list(level="centre"),
        "due_direct": due_if_received(version, "direct", at=clock.now()),
        "due_online": due_if_received(version, "online", at=clock.now()) if version.online_mode != "none" else None,
        "online_differs": version.online_time_limit_value is not None,
        "required_docs": [d for d in version.documents if d.get("required")],
        "optional_docs": [d for d in version.documents if not d.get("required")],
    })
