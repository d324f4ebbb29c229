"""Render every official form from sample data to PDF and to a PNG preview (docs/forms/).

    python manage.py render_form_samples [--out docs/forms] [--dpi 80]

The PNGs need `pdftoppm` (poppler-utils)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from motcua.official_forms.rendering import render_form_pdf, tracking_book_xlsx
from motcua.official_forms.samples import sample_forms


class Command(BaseCommand):
    help = "Render Mẫu 01–06 from sample data to PNG (and PDF) files."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--out", default="docs/forms")
        parser.add_argument("--dpi", type=int, default=80)
        parser.add_argument("--keep-pdf", action="store_true", help="also write the PDFs next to the PNGs")

    def handle(self, *args: Any, **options: Any) -> None:
        pdftoppm = shutil.which("pdftoppm")
        if pdftoppm is None:
            raise CommandError("pdftoppm not found: apt-get install -y poppler-utils")
        out = Path(options["out"])
        out.mkdir(parents=True, exist_ok=True)
        forms = sample_forms()
        with tempfile.TemporaryDirectory() as tmp:
            for form, data in forms.items():
                pdf = render_form_pdf(form, data)
                pdf_path = Path(tmp) / f"{form}.pdf"
                pdf_path.write_bytes(pdf)
                if options["keep_pdf"]:
                    (out / f"{form}.pdf").write_bytes(pdf)
                subprocess.run(  # noqa: S603 - fixed executable and arguments
                    [pdftoppm, "-png", "-r", str(options["dpi"]), "-f", "1", "-l", "1", "-singlefile",
                     str(pdf_path), str(out / form)],
                    check=True,
                )
                self.stdout.write(f"{out / form}.png")
            if options["keep_pdf"]:
                (out / "mau-06.xlsx").write_bytes(tracking_book_xlsx(forms["mau-06"]))  # type: ignore[arg-type]
