"""The cleanup job: remove what a crash or an abandoned upload left behind, and prove the store
is consistent (no row without its file, no file without a row).

Which rows reference stored files is declared by the models themselves: any installed model with
`STORED_FILE_FIELDS = ("sha256", ...)` (so this lower layer never imports the apps above it).

A file is removed only when no row references it and it is older than the grace period
(MOTCUA["CLEANUP_GRACE_SECONDS"], default one day): a transaction that has just published a file
and not yet committed its row, or a portal upload waiting for its dossier, is left alone.
Run it with `manage.py documents_cleanup` (cron / systemd timer, e.g. hourly).
"""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import asdict, dataclass, field
from typing import Any

from django.apps import apps
from django.conf import settings

from motcua.core import clock

from .models import UploadSession
from .storage import backend, temp_dir
from .uploads import part_path, uploads_dir

log = logging.getLogger(__name__)


@dataclass
class CleanupReport:
    removed_temp: list[str] = field(default_factory=list)
    removed_sessions: list[str] = field(default_factory=list)
    removed_parts: list[str] = field(default_factory=list)
    removed_orphans: list[str] = field(default_factory=list)
    kept_recent_orphans: list[str] = field(default_factory=list)
    missing: list[dict[str, str]] = field(default_factory=list)
    corrupt: list[str] = field(default_factory=list)
    stored_files: int = 0
    referenced_files: int = 0

    @property
    def consistent(self) -> bool:
        return not self.missing and not self.corrupt

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "consistent": self.consistent}


def reference_models() -> list[Any]:
    return [m for m in apps.get_models() if getattr(m, "STORED_FILE_FIELDS", None)]


def referenced() -> dict[str, tuple[str, str]]:
    """Every referenced SHA-256 → (model label, primary key) of one row that references it."""
    refs: dict[str, tuple[str, str]] = {}
    for model in reference_models():
        for name in model.STORED_FILE_FIELDS:
            for pk, sha in model._default_manager.exclude(**{name: ""}).values_list("pk", name).iterator():
                if sha:
                    refs.setdefault(str(sha), (model._meta.label, str(pk)))
    return refs


def storage_cleanup(*, grace_seconds: float | None = None, verify: bool = False, dry_run: bool = False) -> CleanupReport:
    grace = float(settings.MOTCUA.get("CLEANUP_GRACE_SECONDS", 86400) if grace_seconds is None else grace_seconds)
    # File times are wall-clock times, so the cut-off is one too.
    cutoff = time.time() - grace
    report = CleanupReport()

    def old(mtime: float) -> bool:
        return grace <= 0 or mtime <= cutoff

    # 1. Staged files never published (a crash or a refused upload that could not clean up).
    for item in sorted(temp_dir().iterdir()):
        if item.is_file() and old(item.stat().st_mtime):
            report.removed_temp.append(item.name)
            if not dry_run:
                item.unlink(missing_ok=True)

    # 2. Expired upload sessions, and part files whose session is gone.
    for session in UploadSession.objects.filter(expires_at__lte=clock.now()).order_by("created_at"):
        report.removed_sessions.append(str(session.id))
        if not dry_run:
            part_path(session.id).unlink(missing_ok=True)
            session.delete()
    live = {str(i) for i in UploadSession.objects.values_list("id", flat=True)}
    for item in sorted(uploads_dir().iterdir()):
        if item.is_file() and item.name.removesuffix(".part") not in live and old(item.stat().st_mtime):
            report.removed_parts.append(item.name)
            if not dry_run:
                item.unlink(missing_ok=True)

    # 3. Stored files no row references.
    refs = referenced()
    store = backend()
    present: set[str] = set()
    for sha, mtime in list(store.list()):
        present.add(sha)
        if sha in refs:
            continue
        if old(mtime):
            report.removed_orphans.append(sha)
            if not dry_run:
                store.delete(sha)
        else:
            report.kept_recent_orphans.append(sha)
    report.stored_files = len(present) - (0 if dry_run else len(report.removed_orphans))
    report.referenced_files = len(refs)

    # 4. Rows whose file is missing (never expected: reported, cannot be repaired here).
    for sha, (label, pk) in sorted(refs.items()):
        if sha not in present:
            report.missing.append({"sha256": sha, "model": label, "pk": pk})
    if verify:
        for sha in sorted(present & set(refs)):
            digest = hashlib.sha256()
            with store.open(sha) as fh:
                while block := fh.read(1024 * 1024):
                    digest.update(block)
            if digest.hexdigest() != sha:
                report.corrupt.append(sha)
    if report.missing or report.corrupt:
        log.error("file store inconsistent: %d missing, %d corrupt", len(report.missing), len(report.corrupt))
    return report
