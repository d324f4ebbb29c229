"""The status names of the pages, in the user's language.

Marked with the context "dossier status": some names are also action labels ("Dừng xử lý" is both
the status "Processing stopped" and the button "Stop processing").

`domain.STATUS_NAMES` stays plain Vietnamese (the domain is pure, and the API and the official
forms print those exact names); the pages show these translatable copies. A test in tests/i18n
checks that both lists name the same statuses with the same Vietnamese text.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from .domain import STATUS_NAMES

STATUS_LABELS: dict[int, Promise] = {
    1: pgettext_lazy("dossier status", "Mới đăng ký"),
    2: pgettext_lazy("dossier status", "Được tiếp nhận"),
    3: pgettext_lazy("dossier status", "Không được tiếp nhận"),
    4: pgettext_lazy("dossier status", "Đang xử lý"),
    5: pgettext_lazy("dossier status", "Yêu cầu bổ sung giấy tờ"),
    6: pgettext_lazy("dossier status", "Yêu cầu thực hiện nghĩa vụ tài chính"),
    7: pgettext_lazy("dossier status", "Công dân yêu cầu rút hồ sơ"),
    8: pgettext_lazy("dossier status", "Dừng xử lý"),
    9: pgettext_lazy("dossier status", "Đã xử lý xong"),
    10: pgettext_lazy("dossier status", "Đã trả kết quả"),
}


def status_label(code: int) -> str:
    """The name of a status in the active language (the Vietnamese name for an unknown code)."""
    label = STATUS_LABELS.get(code)
    return str(label) if label is not None else STATUS_NAMES.get(code, str(code))


def status_labels() -> list[tuple[int, str]]:
    """Every status, in code order, with its name in the active language."""
    return [(code, status_label(code)) for code in sorted(STATUS_NAMES)]
