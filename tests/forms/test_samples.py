"""The PNG previews in docs/forms/ are made by a management command."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

FORMS = [f"mau-0{n}" for n in range(1, 7)]


def test_render_form_samples_writes_one_png_per_form(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if shutil.which("pdftoppm") is None:
        with pytest.raises(CommandError, match="poppler-utils"):
            call_command("render_form_samples", out=str(tmp_path))
        return
    call_command("render_form_samples", out=str(tmp_path), dpi=30, keep_pdf=True)
    from PIL import Image

    for form in FORMS:
        with Image.open(tmp_path / f"{form}.png") as image:
            width, height = image.size
        assert (width > height) == (form == "mau-06"), form  # A5 portrait, Mẫu 06 A4 landscape
        assert (tmp_path / f"{form}.pdf").read_bytes().startswith(b"%PDF")
    assert (tmp_path / "mau-06.xlsx").stat().st_size > 0
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(CommandError, match="poppler-utils"):
        call_command("render_form_samples", out=str(tmp_path))


def test_docs_reference_every_preview() -> None:
    root = Path(__file__).resolve().parents[2]
    doc = (root / "docs" / "forms.md").read_text(encoding="utf-8")
    for form in FORMS:
        assert f"forms/{form}.png" in doc
        assert (root / "docs" / "forms" / f"{form}.png").is_file()
