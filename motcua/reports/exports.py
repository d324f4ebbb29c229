"""Excel and PDF renderings of the reports, laid out like the official forms (Biểu II.06a, II.07b)
and the 766 index table. Each function takes the JSON body a selector returns."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from django.template.loader import render_to_string
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

FONT = "Times New Roman"
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)

II06A_TITLE = ("TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT "
               "THỦ TỤC HÀNH CHÍNH")
# (group, key) of the numeric columns C..M, in the order of the official form.
II06A_COLUMNS: tuple[tuple[str, str], ...] = (
    ("received", "total"), ("received", "online"), ("received", "direct_postal"), ("received", "carried_over"),
    ("resolved", "total"), ("resolved", "early"), ("resolved", "on_time"), ("resolved", "late"),
    ("in_progress", "total"), ("in_progress", "within_time"), ("in_progress", "overdue"),
)


def _d(value: Any) -> str:
    return value.strftime("%d/%m/%Y") if isinstance(value, date) else str(value)


def period_text(report: dict[str, Any]) -> str:
    return f"Kỳ báo cáo: từ ngày {_d(report['from'])} đến ngày {_d(report['to'])}"


def _cell(ws: Worksheet, ref: str, value: Any, *, bold: bool = False, align: Alignment = CENTER,
          border: bool = True, size: int = 12, italic: bool = False) -> None:
    ws[ref] = value
    ws[ref].font = Font(name=FONT, bold=bold, size=size, italic=italic)
    ws[ref].alignment = align
    if border:
        ws[ref].border = BOX


def _merge(ws: Worksheet, ref: str, value: Any, **kw: Any) -> None:
    first = ref.split(":")[0]
    _cell(ws, first, value, **kw)
    if ":" in ref:
        ws.merge_cells(ref)
        if kw.get("border", True):
            for row in ws[ref]:
                for c in row:
                    c.border = BOX


def _save(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _heading(ws: Worksheet, last_col: str, form: str, title: str, report: dict[str, Any]) -> None:
    _merge(ws, f"A1:{last_col}1", f"Biểu số {form}", bold=True, border=False, align=Alignment(horizontal="right"))
    _merge(ws, f"A2:{last_col}2", title, bold=True, border=False, size=13)
    ws.row_dimensions[2].height = 36
    _merge(ws, f"A3:{last_col}3", period_text(report), border=False, italic=True)
    unit = report["unit"]
    _merge(ws, f"A4:{last_col}4", f"Đơn vị báo cáo: {unit['name']} (mã {unit['code']})", border=False,
           align=LEFT)
    _merge(ws, f"A5:{last_col}5", "Đơn vị tính: Số hồ sơ thủ tục hành chính" if form.startswith("II.06")
           else "Đơn vị tính: Số thủ tục hành chính", border=False, align=LEFT, italic=True)


def ii06a_xlsx(report: dict[str, Any]) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "II.06a"
    _heading(ws, "M", "II.06a/VPCP/KSTT", II06A_TITLE, report)
    _merge(ws, "A7:A9", "STT", bold=True)
    _merge(ws, "B7:B9", "Lĩnh vực giải quyết", bold=True)
    _merge(ws, "C7:F7", "Số hồ sơ nhận giải quyết", bold=True)
    _merge(ws, "G7:J7", "Kết quả giải quyết: số hồ sơ đã giải quyết", bold=True)
    _merge(ws, "K7:M7", "Số hồ sơ đang giải quyết", bold=True)
    _merge(ws, "C8:C9", "Tổng số", bold=True)
    _merge(ws, "D8:E8", "Số mới tiếp nhận", bold=True)
    _merge(ws, "D9", "Trực tuyến")
    _merge(ws, "E9", "Trực tiếp, dịch vụ bưu chính")
    _merge(ws, "F8:F9", "Từ kỳ trước chuyển qua", bold=True)
    _merge(ws, "G8:G9", "Tổng số", bold=True)
    _merge(ws, "H8:J8", "Trong đó", bold=True)
    _merge(ws, "H9", "Trước hạn")
    _merge(ws, "I9", "Đúng hạn")
    _merge(ws, "J9", "Quá hạn")
    _merge(ws, "K8:K9", "Tổng số", bold=True)
    _merge(ws, "L8:M8", "Trong đó", bold=True)
    _merge(ws, "L9", "Chưa đến hạn")
    _merge(ws, "M9", "Quá hạn")
    for i in range(13):
        _cell(ws, f"{get_column_letter(i + 1)}10", f"({i + 1})", italic=True, size=10)
    row = 11
    for index, item in enumerate(report["rows"], start=1):
        _cell(ws, f"A{row}", index)
        _cell(ws, f"B{row}", item["field"]["name"], align=LEFT)
        for col, (group, key) in enumerate(II06A_COLUMNS, start=3):
            _cell(ws, f"{get_column_letter(col)}{row}", item[group][key])
        row += 1
    _merge(ws, f"A{row}:B{row}", "Tổng cộng", bold=True)
    for col, (group, key) in enumerate(II06A_COLUMNS, start=3):
        _cell(ws, f"{get_column_letter(col)}{row}", report["totals"][group][key], bold=True)
    _signatures(ws, row + 2, "B", "K")
    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 38
    for col in range(3, 14):
        ws.column_dimensions[get_column_letter(col)].width = 12
    for r in (7, 8, 9):
        ws.row_dimensions[r].height = 32
    _print_setup(ws)
    return _save(wb)


def _signatures(ws: Worksheet, row: int, left: str, right: str) -> None:
    _cell(ws, f"{left}{row}", "NGƯỜI LẬP BIỂU", bold=True, border=False)
    _cell(ws, f"{right}{row}", "THỦ TRƯỞNG ĐƠN VỊ", bold=True, border=False)
    _cell(ws, f"{left}{row + 1}", "(Ký, ghi rõ họ tên)", italic=True, border=False)
    _cell(ws, f"{right}{row + 1}", "(Ký tên, đóng dấu)", italic=True, border=False)


def _print_setup(ws: Worksheet) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "7:10"


II07B_TITLE = ("SỐ LƯỢNG THỦ TỤC HÀNH CHÍNH THUỘC THẨM QUYỀN, THỰC HIỆN THEO CƠ CHẾ MỘT CỬA, "
               "MỘT CỬA LIÊN THÔNG VÀ CÓ QUY TRÌNH NỘI BỘ ĐƯỢC PHÊ DUYỆT")
II07B_COLUMNS = ("total", "one_stop", "with_workflow", "online_full", "online_partial")


def ii07b_xlsx(report: dict[str, Any]) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "II.07b"
    _heading(ws, "G", "II.07b/VPCP/KSTT", II07B_TITLE, report)
    _merge(ws, "A7:A8", "STT", bold=True)
    _merge(ws, "B7:B8", "Cấp thực hiện", bold=True)
    _merge(ws, "C7:C8", "Số TTHC thuộc thẩm quyền", bold=True)
    _merge(ws, "D7:D8", "Thực hiện tại Bộ phận Một cửa", bold=True)
    _merge(ws, "E7:E8", "Có quy trình nội bộ được phê duyệt", bold=True)
    _merge(ws, "F7:G7", "Dịch vụ công trực tuyến", bold=True)
    _merge(ws, "F8", "Toàn trình")
    _merge(ws, "G8", "Một phần")
    row = 9
    for index, item in enumerate(report["rows"], start=1):
        _cell(ws, f"A{row}", index)
        _cell(ws, f"B{row}", item["level"]["name"], align=LEFT)
        for col, key in enumerate(II07B_COLUMNS, start=3):
            _cell(ws, f"{get_column_letter(col)}{row}", item[key])
        row += 1
    _merge(ws, f"A{row}:B{row}", "Tổng cộng", bold=True)
    for col, key in enumerate(II07B_COLUMNS, start=3):
        _cell(ws, f"{get_column_letter(col)}{row}", report["totals"][key], bold=True)
    ws.column_dimensions["B"].width = 36
    for col in range(3, 8):
        ws.column_dimensions[get_column_letter(col)].width = 16
    _print_setup(ws)
    ws.print_title_rows = "7:8"
    return _save(wb)


def index_766_xlsx(report: dict[str, Any]) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "766"
    _merge(ws, "A1:H1", "BỘ CHỈ SỐ PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP (QUYẾT ĐỊNH 766/QĐ-TTg)", bold=True,
           border=False, size=13)
    _merge(ws, "A2:H2", period_text(report), border=False, italic=True)
    _merge(ws, "A3:H3", f"Đơn vị: {report['unit']['name']} (mã {report['unit']['code']})", border=False,
           align=LEFT)
    headers = ("Mã", "Chỉ số", "Tử số", "Mẫu số", "Tỷ lệ (%)", "Điểm", "Điểm tối đa", "Ghi chú")
    for col, text in enumerate(headers, start=1):
        _cell(ws, f"{get_column_letter(col)}5", text, bold=True)
    row = 6
    for group in report["groups"]:
        _cell(ws, f"A{row}", group["key"], bold=True)
        _cell(ws, f"B{row}", group["name"], bold=True, align=LEFT)
        for letter in "CDEH":
            _cell(ws, f"{letter}{row}", "")
        _cell(ws, f"F{row}", group["points"], bold=True)
        _cell(ws, f"G{row}", group["max_points"], bold=True)
        row += 1
        for ind in group["indicators"]:
            _cell(ws, f"A{row}", f"{group['key']}.{ind['key']}", size=10)
            _cell(ws, f"B{row}", ind["name"], align=LEFT)
            _cell(ws, f"C{row}", ind["numerator"])
            _cell(ws, f"D{row}", ind["denominator"])
            _cell(ws, f"E{row}", None if ind["rate"] is None else round(ind["rate"] * 100, 2))
            _cell(ws, f"F{row}", ind["points"])
            _cell(ws, f"G{row}", ind["max_points"])
            _cell(ws, f"H{row}", "Chưa có dữ liệu. " + ind.get("note", "") if ind.get("no_data") else "",
                  align=LEFT, size=10)
            row += 1
    _merge(ws, f"A{row}:E{row}", "Tổng điểm", bold=True)
    _cell(ws, f"F{row}", report["total_points"], bold=True)
    _cell(ws, f"G{row}", report["max_points"], bold=True)
    _cell(ws, f"H{row}", "")
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 50
    ws.column_dimensions["H"].width = 50
    _print_setup(ws)
    ws.print_title_rows = "5:5"
    return _save(wb)


def _pdf(template: str, context: dict[str, Any]) -> bytes:
    from weasyprint import HTML

    html = render_to_string(template, context)
    return bytes(HTML(string=html).write_pdf())


def ii06a_pdf(report: dict[str, Any]) -> bytes:
    rows = [{"index": i, "name": r["field"]["name"], "values": [r[g][k] for g, k in II06A_COLUMNS]}
            for i, r in enumerate(report["rows"], start=1)]
    totals = [report["totals"][g][k] for g, k in II06A_COLUMNS]
    return _pdf("reports/ii06a.html", {"report": report, "title": II06A_TITLE, "period": period_text(report),
                                       "rows": rows, "totals": totals, "numbers": [f"({i})" for i in range(1, 14)]})


def index_766_pdf(report: dict[str, Any]) -> bytes:
    return _pdf("reports/index_766.html", {"report": report, "period": period_text(report)})
