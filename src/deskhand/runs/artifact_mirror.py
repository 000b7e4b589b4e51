"""Artifacts mirrored to an S3-compatible store (``DESKHAND_ARTIFACTS_S3=s3://bucket/prefix``; the endpoint of a
store other than AWS in ``DESKHAND_S3_ENDPOINT``, credentials the usual boto3 way).

Every machine writes its files to its artifacts directory as usual and uploads each one as it is written (the
key is its path under that directory, so every machine must give the directory the same path); a machine
asked for a file it does not have (the console showing a worker's screenshot) downloads it into its own
directory first. Readers keep reading files: the report, notices and the console need no S3 code.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from deskhand.errors import StoreUnavailable
from deskhand.runs.artifacts import write_atomically

S3_VARIABLE = "DESKHAND_ARTIFACTS_S3"
ENDPOINT_VARIABLE = "DESKHAND_S3_ENDPOINT"


class S3Mirror:
    def __init__(self, url: str, root: Path, endpoint: str = "") -> None:
        if not url.startswith("s3://") or not url[5:].split("/", 1)[0]:
            raise StoreUnavailable(
                f"{S3_VARIABLE}={url!r} is not an S3 address.", hint="Write it as s3://bucket or s3://bucket/prefix."
            )
        bucket, _, prefix = url[5:].partition("/")
        self.bucket, self.prefix, self.root = bucket, prefix.strip("/"), root
        self.endpoint = endpoint or os.environ.get(ENDPOINT_VARIABLE, "")
        self._client: Any = None

    def _s3(self) -> Any:
        if self._client is None:
            try:
                import boto3  # type: ignore[import-untyped]
                from botocore.config import Config  # type: ignore[import-untyped]
            except ImportError:
                raise StoreUnavailable(
                    f"{S3_VARIABLE} is set, and boto3 (the S3 client) is not installed.",
                    hint="Install it with `pip install 'deskhand[s3]'`, or unset the variable.",
                ) from None

            config = Config(connect_timeout=5, read_timeout=30, retries={"max_attempts": 2})
            self._client = boto3.client("s3", endpoint_url=self.endpoint or None, config=config)
        return self._client

    def key(self, path: Path) -> str | None:
        """The object key of a file under the artifacts directory; None for any other path."""
        try:
            relative = path.resolve().relative_to(self.root.resolve())
        except ValueError:
            return None
        return "/".join(part for part in (self.prefix, relative.as_posix()) if part)

    def _failed(self, doing: str, error: Exception) -> StoreUnavailable:
        where = f"s3://{self.bucket}/{self.prefix}" + (f" at {self.endpoint}" if self.endpoint else "")
        return StoreUnavailable(
            f"The artifact store {where} failed while {doing}: {error}",
            hint=f"Check the bucket, the endpoint ({ENDPOINT_VARIABLE}) and the credentials, or unset {S3_VARIABLE} "
            "to keep artifacts in the directory only.",
        )

    def upload(self, path: Path) -> None:
        key = self.key(path)
        if key is None:
            return
        try:
            self._s3().put_object(Bucket=self.bucket, Key=key, Body=path.read_bytes())
        except Exception as error:  # botocore's errors: any of them means the file is not there
            raise self._failed(f"storing {key}", error) from None

    def fetch(self, path: Path) -> bool:
        """Make sure ``path`` is here, downloading it when missing; False when the store has no such file."""
        if path.is_file():
            return True
        key = self.key(path)
        if key is None:
            return False
        from botocore.exceptions import ClientError  # type: ignore[import-untyped]

        try:
            body = self._s3().get_object(Bucket=self.bucket, Key=key)["Body"].read()
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                return False
            raise self._failed(f"reading {key}", error) from None
        except Exception as error:
            raise self._failed(f"reading {key}", error) from None
        write_atomically(path, body)
        return True


def mirror_from_environment(root: Path) -> S3Mirror | None:
    url = os.environ.get(S3_VARIABLE, "").strip()
    return S3Mirror(url, root) if url else None
