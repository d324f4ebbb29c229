"""S3-compatible object storage (the province shape: MinIO, Ceph RGW, a cloud bucket).

Objects are named `<prefix><aa>/<bb>/<sha256>`, like the local layout. The backend uses the boto3
client API (`put_object`, `get_object`, `head_object`, `delete_object`, `list_objects_v2`), so any
object with those methods works; `from_settings` builds a boto3 client (install `boto3`) from
MOTCUA["S3_BUCKET"], "S3_ENDPOINT_URL", "S3_REGION", "S3_ACCESS_KEY", "S3_SECRET_KEY", "S3_PREFIX".
Staging stays on local disk (FILES_DIR/tmp); a published object is written with one PUT, which
S3 makes visible atomically.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from django.conf import settings


class S3Ref:
    """The path-like handle `open_stored` returns: `.open("rb")`, `.exists()`, `.read_bytes()`."""

    def __init__(self, backend: S3Backend, sha256: str) -> None:
        self.backend = backend
        self.sha256 = sha256

    def open(self, mode: str = "rb") -> IO[bytes]:
        assert mode == "rb"
        return self.backend.open(self.sha256)

    def exists(self) -> bool:
        return self.backend.exists(self.sha256)

    def read_bytes(self) -> bytes:
        with self.open() as fh:
            return fh.read()


class S3Backend:
    def __init__(self, client: Any, bucket: str, prefix: str = "") -> None:
        self.client = client
        self.bucket = bucket
        self.prefix = prefix

    @classmethod
    def from_settings(cls) -> S3Backend:
        import boto3  # type: ignore[import-not-found]  # optional dependency of the province shape

        conf = settings.MOTCUA
        client = boto3.client(
            "s3", endpoint_url=conf.get("S3_ENDPOINT_URL") or None, region_name=conf.get("S3_REGION") or None,
            aws_access_key_id=conf.get("S3_ACCESS_KEY") or os.environ.get("AWS_ACCESS_KEY_ID"),
            aws_secret_access_key=conf.get("S3_SECRET_KEY") or os.environ.get("AWS_SECRET_ACCESS_KEY"),
        )
        return cls(client, str(conf["S3_BUCKET"]), str(conf.get("S3_PREFIX", "")))

    def key(self, sha256: str) -> str:
        return f"{self.prefix}{sha256[:2]}/{sha256[2:4]}/{sha256}"

    def exists(self, sha256: str) -> bool:
        try:
            self.client.head_object(Bucket=self.bucket, Key=self.key(sha256))
        except Exception as exc:
            if _not_found(exc):
                return False
            raise
        return True

    def put(self, sha256: str, source: Path) -> bool:
        """Upload, unless present. A present object is copied onto itself to refresh its time, so a
        cleanup running now keeps it."""
        key = self.key(sha256)
        if self.exists(sha256):
            self.client.copy_object(Bucket=self.bucket, Key=key, CopySource={"Bucket": self.bucket, "Key": key},
                                    MetadataDirective="REPLACE", Metadata={"sha256": sha256})
            source.unlink(missing_ok=True)
            return False
        with source.open("rb") as fh:
            self.client.put_object(Bucket=self.bucket, Key=key, Body=fh, Metadata={"sha256": sha256})
        source.unlink(missing_ok=True)
        return True

    def open(self, sha256: str) -> IO[bytes]:
        response = self.client.get_object(Bucket=self.bucket, Key=self.key(sha256))
        body = response["Body"]
        data = body.read()
        body.close()
        return io.BytesIO(data)

    def delete(self, sha256: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self.key(sha256))

    def list(self) -> Iterator[tuple[str, float]]:
        token: str | None = None
        while True:
            kwargs: dict[str, Any] = {"Bucket": self.bucket, "Prefix": self.prefix}
            if token:
                kwargs["ContinuationToken"] = token
            page = self.client.list_objects_v2(**kwargs)
            for item in page.get("Contents", []):
                name = str(item["Key"]).rsplit("/", 1)[-1]
                if len(name) == 64:
                    yield name, item["LastModified"].timestamp()
            if not page.get("IsTruncated"):
                return
            token = page.get("NextContinuationToken")

    def ref(self, sha256: str) -> S3Ref:
        return S3Ref(self, sha256)


def _not_found(exc: Exception) -> bool:
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        code = str(response.get("Error", {}).get("Code", ""))
        return code in {"404", "NoSuchKey", "NotFound"}
    return isinstance(exc, (KeyError, FileNotFoundError))
