import unicodedata

import pytest

from motcua.core.text import fold, nfc


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Đăng ký khai sinh", "dang ky khai sinh"),
        ("ĐĂNG KÝ KHAI SINH", "dang ky khai sinh"),
        ("  Chứng   thực bản sao ", "chung thuc ban sao"),
        (unicodedata.normalize("NFD", "Cấp giấy phép xây dựng"), "cap giay phep xay dung"),
        ("1.001193", "1.001193"),
        ("", ""),
    ],
)
def test_fold(raw: str, folded: str) -> None:
    assert fold(raw) == folded


def test_nfc_composes() -> None:
    decomposed = unicodedata.normalize("NFD", "Nguyễn Văn An")
    assert decomposed != "Nguyễn Văn An"
    assert nfc(decomposed) == "Nguyễn Văn An"
