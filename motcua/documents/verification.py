"""Checking the signatures of a PDF (pyHanko): are there any, are the signed bytes unmodified and
nothing changed after signing, and does each signer chain to a trusted root?

Trusted roots: every certificate in MOTCUA["TRUST_ROOTS"] (a list of PEM/DER files, or one string
separated by the OS path separator) and every `*.pem`, `*.crt`, `*.cer` in `<PKI_DIR>/trust/`
(PKI_DIR defaults to DATA_DIR/pki; the demo CA puts its root there). No network is used: revocation
information is checked when embedded and otherwise soft-fails.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings

log = logging.getLogger(__name__)


@dataclass
class SignatureCheck:
    field_name: str
    name: str
    signed_at: datetime | None
    intact: bool
    valid: bool
    trusted: bool
    covers_whole_file: bool
    modification: str
    revision_sha256: str
    certificate: dict[str, Any] = field(default_factory=dict)

    last: bool = True

    @property
    def unmodified(self) -> bool:
        """The signed bytes are intact and what came after is harmless: for the last signature,
        nothing (or only validation data); for an earlier one, also later signatures (which pyHanko
        classes as form filling; those signatures are checked themselves)."""
        allowed = {"NONE", "LTA_UPDATES"} if self.last else {"NONE", "LTA_UPDATES", "FORM_FILLING"}
        return self.intact and self.valid and (self.covers_whole_file or self.modification in allowed)


@dataclass
class PdfCheck:
    signed: bool
    intact: bool
    trusted: bool
    signatures: list[SignatureCheck]
    sha256: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "signed": self.signed, "intact": self.intact, "trusted": self.trusted,
            "signers": [{"name": s.name, "signed_at": s.signed_at.isoformat() if s.signed_at else None,
                         "intact": s.unmodified, "trusted": s.trusted} for s in self.signatures],
        }


def pki_dir() -> Path:
    return Path(settings.MOTCUA.get("PKI_DIR") or Path(settings.DATA_DIR) / "pki")


def trust_root_files() -> list[Path]:
    configured = settings.MOTCUA.get("TRUST_ROOTS") or []
    if isinstance(configured, str):
        configured = [p for p in configured.split(os.pathsep) if p]
    files = [Path(p) for p in configured]
    trust = pki_dir() / "trust"
    if trust.is_dir():
        files += sorted(p for p in trust.iterdir() if p.suffix.lower() in {".pem", ".crt", ".cer"})
    return files


def trust_roots() -> list[Any]:
    from pyhanko.keys import load_certs_from_pemder

    roots: list[Any] = []
    for path in trust_root_files():
        try:
            roots.extend(load_certs_from_pemder([str(path)]))
        except Exception:  # a broken file in the folder must not stop verification
            log.warning("cannot read trust root %s", path)
    return roots


def signer_name(cert: Any) -> str:
    native = cert.subject.native
    return str(native.get("common_name") or cert.subject.human_friendly)


def check_pdf(data: bytes) -> PdfCheck:
    """Validate every signature of a PDF. pyHanko's synchronous validation drives its own event
    loop, which fails in a thread that already runs one (ASGI, async callers): there it runs in a
    worker thread."""
    import asyncio

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return _check_pdf(data)
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_check_pdf, data).result()


def _check_pdf(data: bytes) -> PdfCheck:
    """Validate every signature of a PDF. The caller has checked that `data` is a readable PDF."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    logging.getLogger("pyhanko").setLevel(logging.CRITICAL)
    logging.getLogger("pyhanko_certvalidator").setLevel(logging.CRITICAL)
    sha = hashlib.sha256(data).hexdigest()
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    roots = trust_roots()
    checks: list[SignatureCheck] = []
    for embedded in reader.embedded_signatures:
        context = ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail")
        br = embedded.byte_range
        end = int(br[2]) + int(br[3]) if len(br) == 4 else len(data)
        revision_sha = hashlib.sha256(data[:end]).hexdigest()
        try:
            status = validate_pdf_signature(embedded, context)
        except Exception as exc:  # a signature pyHanko cannot even parse counts as broken
            log.info("signature validation failed: %s", type(exc).__name__)
            checks.append(SignatureCheck(field_name=str(embedded.field_name), name="", signed_at=None, intact=False,
                                         valid=False, trusted=False, covers_whole_file=False, modification="OTHER",
                                         revision_sha256=revision_sha))
            continue
        cert = status.signing_cert
        modification = status.modification_level.name if status.modification_level is not None else "OTHER"
        checks.append(SignatureCheck(
            field_name=str(embedded.field_name), name=signer_name(cert), signed_at=status.signer_reported_dt,
            intact=bool(status.intact), valid=bool(status.valid), trusted=bool(status.trusted),
            covers_whole_file=status.coverage is not None and status.coverage.name == "ENTIRE_FILE",
            modification=modification, revision_sha256=revision_sha,
            certificate={"subject": cert.subject.human_friendly, "issuer": cert.issuer.human_friendly,
                         "serial": format(cert.serial_number, "x")},
        ))
    for check in checks[:-1]:
        check.last = False
    signed = bool(checks)
    return PdfCheck(
        signed=signed,
        intact=signed and all(c.unmodified for c in checks),
        trusted=signed and all(c.trusted for c in checks),
        signatures=checks,
        sha256=sha,
    )
