"""Blob storage shared by media, signing, ticketing and reports.

Synchronous on purpose: it is also used from cron scripts. Code on the event
loop should offload calls with asyncio.to_thread / run_in_threadpool."""
import os
import shutil
import tempfile
from pathlib import Path

import boto3

ROOT = Path(os.environ.get("HARBOR_BLOB_ROOT", "/var/lib/harbor/blobs"))
BUCKET = os.environ.get("HARBOR_BUCKET", "harbor-blobs")

s3 = boto3.client("s3")


class DiskBlobStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / key

    def public_url(self, key: str) -> str:
        return f"/blobs/{key}"

    def put(self, key: str, data: bytes) -> Path:
        target = self._path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, target)
        return target

    def get(self, key: str) -> bytes:
        with open(self._path(key), "rb") as fh:
            return fh.read()

    def copy_in(self, key: str, src: str) -> Path:
        target = self._path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, target)
        return target


blobs = DiskBlobStore(ROOT)


def archive_to_s3(key: str) -> str:
    s3.upload_file(str(blobs._path(key)), BUCKET, key)
    return f"s3://{BUCKET}/{key}"
