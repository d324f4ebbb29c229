"""Vietnamese text helpers: NFC normalisation and accent folding for search.

`slugify` drops Đ and Unidecode is GPL, so folding is our own: NFD, drop combining marks,
đ → d, lower case, collapse spaces.
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value)


def fold(value: str) -> str:
    """'Đăng  ký Khai sinh' -> 'dang ky khai sinh'."""
    decomposed = unicodedata.normalize("NFD", value)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = stripped.replace("đ", "d").replace("Đ", "D")
    return _SPACES.sub(" ", stripped).strip().lower()
