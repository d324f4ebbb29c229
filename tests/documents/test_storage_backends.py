"""The pluggable storage: the S3-compatible backend against an in-memory stand-in for the boto3
client, used for a whole upload → download → cleanup cycle."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections.abc import Iterator
from typing import Any

import pytest

from motcua.documents import storage
from motcua.documents.cleanup import storage_cleanup
from motcua.documents.s3 import S3Backend

from .conftest import error, pdf_bytes, stored_files

pytestmark = pytest.mark.django_db


class NoSuchKey(Exception):
    def __init__(self) -> None:
        self.response = {"Error": {"Code": "404"}}


class FakeS3Client:
    """The subset of the boto3 S3 client the backend uses, with boto3's shapes."""

    def __init__(self) -> None:
        self.objects: dict[tuple[str, str], tuple[bytes, dt.datetime]] = {}
        self.calls: list[str] = []

    def head_object(self, Bucket: str, Key: str) -> dict[str, Any]:
        self.calls.append("head")
        if (Bucket, Key) not in self.objects:
            raise NoSuchKey
        return {"ContentLength": len(self.objects[(Bucket, Key)][0])}

    def put_object(self, Bucket: str, Key: str, Body: Any, Metadata: dict[str, str]) -> None:
        self.calls.append("put")
        self.objects[(Bucket, Key)] = (Body.read(), dt.datetime.now(dt.UTC))

    def copy_object(self, Bucket: str, Key: str, CopySource: dict[str, str], **kwargs: Any) -> None:
        self.calls.append("copy")
        data, _ = self.objects[(CopySource["Bucket"], CopySource["Key"])]
        self.objects[(Bucket, Key)] = (data, dt.datetime.now(dt.UTC))

    def get_object(self, Bucket: str, Key: str) -> dict[str, Any]:
        if (Bucket, Key) not in self.objects:
            raise NoSuchKey
        return {"Body": io.BytesIO(self.objects[(Bucket, Key)][0])}

    def delete_object(self, Bucket: str, Key: str) -> None:
        self.objects.pop((Bucket, Key), None)

    def list_objects_v2(self, Bucket: str, Prefix: str, ContinuationToken: str | None = None) -> dict[str, Any]:
        keys = sorted(k for b, k in self.objects if b == Bucket and k.startswith(Prefix))
        start = int(ContinuationToken or 0)
        page = keys[start:start + 2]  # tiny pages, to walk the continuation
        more = start + 2 < len(keys)
        return {"Contents": [{"Key": k, "LastModified": self.objects[(Bucket, k)][1]} for k in page],
                "IsTruncated": more, "NextContinuationToken": str(start + 2) if more else None}


@pytest.fixture
def s3() -> Iterator[FakeS3Client]:
    client = FakeS3Client()
    storage.set_backend(S3Backend(client, "motcua", prefix="tep/"))
    yield client
    storage.set_backend(None)


def test_uploads_go_to_the_bucket_and_come_back(desk, files_dir, s3):
    code = desk.walk_in()
    data = pdf_bytes("s3")
    r = desk.attach("tiepnhan.viettri", code, "a.pdf", data)
    assert r.status_code == 201, r.content
    sha = hashlib.sha256(data).hexdigest()
    assert ("motcua", f"tep/{sha[:2]}/{sha[2:4]}/{sha}") in s3.objects
    assert stored_files(files_dir) == []  # nothing on local disk: staging was cleaned
    got = desk("tiepnhan.viettri").get(f"/dossiers/{code}/attachments/{r.json()['id']}")
    assert b"".join(got.streaming_content) == data
    # The same content again: no second PUT, the object is refreshed instead.
    assert desk.attach("tiepnhan.viettri", code, "b.pdf", data, document="GT01").status_code == 201
    assert s3.calls.count("put") == 1 and s3.calls.count("copy") == 1
    # Refused uploads never reach the bucket.
    error(desk.attach("tiepnhan.viettri", code, "x.pdf", b""), 400, "empty_file")
    assert len(s3.objects) == 1


def test_cleanup_through_the_bucket(desk, files_dir, s3):
    code = desk.walk_in()
    kept = pdf_bytes("giu")
    desk.attach("tiepnhan.viettri", code, "a.pdf", kept)
    backend = storage.backend()
    for text in ("mo-coi-1", "mo-coi-2", "mo-coi-3"):
        with storage.stage_bytes(pdf_bytes(text)) as staged:
            storage.publish(staged)
    assert len(s3.objects) == 4
    report = storage_cleanup(grace_seconds=0)
    assert len(report.removed_orphans) == 3 and report.consistent
    assert [sha for sha, _ in backend.list()] == [hashlib.sha256(kept).hexdigest()]
