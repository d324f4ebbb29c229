"""Test settings: fast hashing, in-process cache, files in a temporary directory."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import MOTCUA

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
MOTCUA["FILES_DIR"] = Path(tempfile.mkdtemp(prefix="motcua-test-files-"))
MOTCUA["ACTOR_CACHE_SECONDS"] = 0  # tests change roles between requests
MOTCUA["VALIDATE_RESPONSES"] = True  # every fast-path answer is checked against its schema
MOTCUA["OCR"] = "off"  # tests that need OCR turn it on (tests/documents/test_ocr.py)
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    # A file, not :memory:, so that tests with several threads see one database.
    DATABASES["default"]["TEST"] = {"NAME": str(Path(tempfile.mkdtemp(prefix="motcua-test-db-")) / "test.sqlite3")}  # noqa: F405
