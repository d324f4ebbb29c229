"""PAdES signing with pyHanko, and the QR code that links a result to its public check page.

A credential is a PKCS#12 file (tested) or a PKCS#11 token (configured per official through
pyHanko's pkcs11 module; it needs the `python-pkcs11` package and the vendor's module, and is not
exercised by the test suite). Signatures are PAdES baseline B-B (ETSI.CAdES.detached, SHA-256),
written as an incremental update so that earlier revisions (and signatures) stay intact.
"""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import segno
from django.utils.translation import gettext as _

from motcua.core.errors import DomainError

from .models import CredentialKind, SigningCredential

QR_SIZE_PT = 64.0  # about 2.3 cm
MARGIN_PT = 28.0


class SigningFailed(DomainError):
    status = 409
    code = "signing_failed"


@dataclass(frozen=True)
class SignedPdf:
    data: bytes
    signer: str
    signed_at: datetime
    certificate: dict[str, Any]


def _secret(value: str) -> str:
    """`env:NAME` reads the secret from the environment."""
    if value.startswith("env:"):
        return os.environ.get(value[4:], "")
    return value


def credential_for_user(user: Any) -> SigningCredential | None:
    if user is None:
        return None
    return SigningCredential.objects.filter(user=user, is_active=True).order_by("-id").first()


def credential_for_unit(unit_id: int | None) -> SigningCredential | None:
    if unit_id is None:
        return None
    return SigningCredential.objects.filter(unit_id=unit_id, user__isnull=True, is_active=True).order_by("-id").first()


@contextlib.contextmanager
def open_signer(credential: SigningCredential) -> Iterator[Any]:
    """A pyHanko signer for the credential (a PKCS#11 session is closed on exit)."""
    from pyhanko.sign import signers

    if credential.kind == CredentialKind.PKCS12:
        path = Path(credential.pkcs12_path)
        if not path.is_file():
            raise SigningFailed("signing_failed", _("Không tìm thấy tệp chứng thư ký số của người ký."))
        try:
            signer = signers.SimpleSigner.load_pkcs12(str(path), passphrase=_secret(credential.passphrase).encode())
        except Exception as exc:  # wrong passphrase, damaged file
            raise SigningFailed("signing_failed", _("Không mở được chứng thư ký số (sai mật khẩu hoặc tệp hỏng).")) from exc
        if signer is None:
            raise SigningFailed("signing_failed", _("Không mở được chứng thư ký số (sai mật khẩu hoặc tệp hỏng)."))
        yield signer
        return
    try:  # pragma: no cover - needs a token and python-pkcs11
        from pyhanko.config.pkcs11 import PKCS11SignatureConfig, TokenCriteria
        from pyhanko.sign.pkcs11 import PKCS11SigningContext
    except ImportError as exc:  # pragma: no cover
        raise SigningFailed("signing_failed", _("Máy chủ chưa cài thư viện PKCS#11 (python-pkcs11).")) from exc
    config = PKCS11SignatureConfig(  # pragma: no cover
        module_path=credential.pkcs11_module,
        token_criteria=TokenCriteria(label=credential.pkcs11_token_label or None),
        cert_label=credential.pkcs11_cert_label or None,
        key_label=credential.pkcs11_key_label or credential.pkcs11_cert_label or None,
        user_pin=_secret(credential.pkcs11_pin) or None,
    )
    try:  # pragma: no cover
        with PKCS11SigningContext(config) as signer:
            yield signer
    except DomainError:  # pragma: no cover
        raise
    except Exception as exc:  # pragma: no cover
        raise SigningFailed("signing_failed", _("Không ký được bằng thiết bị ký số: %(error)s") % {"error": exc}) from exc


def _qr_content(url: str, x: float, y: float, size: float) -> bytes:
    qr = segno.make(url, error="m", micro=False)
    matrix = list(qr.matrix)
    modules = len(matrix)
    quiet = 2
    cell = size / (modules + 2 * quiet)
    ops = [b"q", b"1 g", f"{x:.2f} {y:.2f} {size:.2f} {size:.2f} re f".encode(), b"0 g"]
    for row_index, row in enumerate(matrix):
        top = y + size - (quiet + row_index + 1) * cell
        col = 0
        while col < modules:
            if row[col]:
                start = col
                while col < modules and row[col]:
                    col += 1
                ops.append(f"{x + (quiet + start) * cell:.3f} {top:.3f} {(col - start) * cell:.3f} {cell:.3f} re".encode())
            else:
                col += 1
    ops.append(b"f")
    caption = url.encode("latin-1", "replace").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
    ops += [b"BT", b"/FQrCap 5 Tf", f"{x:.2f} {y - 7:.2f} Td".encode(), b"(" + caption + b") Tj", b"ET", b"Q"]
    return b"\n".join(ops)


def stamp_qr(pdf: bytes, url: str, *, page: int = -1) -> bytes:
    """Draw a QR code for `url` in the bottom-left corner of a page (the last by default), as an
    incremental update: existing revisions and signatures are left untouched."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.generic import pdf_name
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    count = int(writer.root["/Pages"]["/Count"])
    index = page if page >= 0 else count + page
    page_ref, _resources = writer.find_page_for_modification(index)
    page_obj = page_ref.get_object()
    if "/Contents" not in page_obj:  # a blank page
        page_obj[pdf_name("/Contents")] = generic.ArrayObject()
        writer.mark_update(page_ref)
    if _inherited(page_obj, "/Resources") is None:
        page_obj[pdf_name("/Resources")] = generic.DictionaryObject()
        writer.mark_update(page_ref)
    box = page_obj.get("/CropBox") or _inherited(page_obj, "/MediaBox") or [0, 0, 595.28, 841.89]
    left, bottom = float(box[0]), float(box[1])
    font = generic.DictionaryObject({
        pdf_name("/Type"): pdf_name("/Font"), pdf_name("/Subtype"): pdf_name("/Type1"),
        pdf_name("/BaseFont"): pdf_name("/Helvetica"), pdf_name("/Encoding"): pdf_name("/WinAnsiEncoding"),
    })
    resources = generic.DictionaryObject({
        pdf_name("/Font"): generic.DictionaryObject({pdf_name("/FQrCap"): writer.add_object(font)}),
    })
    save = writer.add_object(generic.StreamObject(stream_data=b"q\n"))
    writer.add_stream_to_page(index, save, prepend=True)
    body = b"Q\n" + _qr_content(url, left + MARGIN_PT, bottom + MARGIN_PT, QR_SIZE_PT)
    writer.add_stream_to_page(index, writer.add_object(generic.StreamObject(stream_data=body)), resources=resources)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _inherited(page: Any, key: str) -> Any:
    node = page
    while node is not None:
        if key in node:
            return node[key]
        parent = node.get("/Parent")
        node = parent.get_object() if parent is not None else None
    return None


def sign_pdf(pdf: bytes, credential: SigningCredential, *, field_name: str, reason: str = "",
             location: str = "", contact: str = "") -> SignedPdf:
    """Sign `pdf` (PAdES B-B) with the credential as a new invisible signature field."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    with open_signer(credential) as signer:
        meta = signers.PdfSignatureMetadata(
            field_name=field_name, md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES,
            reason=reason or None, location=location or None, contact_info=contact or None,
        )
        try:
            writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
            out = signers.PdfSigner(meta, signer=signer).sign_pdf(writer, in_place=False)
        except DomainError:
            raise
        except Exception as exc:
            raise SigningFailed("signing_failed", _("Không ký số được văn bản: %(error)s") % {"error": exc}) from exc
        cert = signer.signing_cert
    data = out.getvalue()
    from .verification import signer_name

    info = {
        "subject": cert.subject.human_friendly,
        "issuer": cert.issuer.human_friendly,
        "serial": format(cert.serial_number, "x"),
        "not_after": cert["tbs_certificate"]["validity"]["not_after"].native.isoformat(),
    }
    from motcua.core import clock

    return SignedPdf(data=data, signer=signer_name(cert), signed_at=clock.now(), certificate=info)
