"""Artifacts mirrored to an S3-compatible store (moto's server on loopback): each step's screenshot and snapshot
and the report go up as they are written, under their path in the artifacts directory; a machine without a file
gets it from the store when asked; an unreachable store or a bad address is one clear error."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.fixtures.s3_server import CREDENTIALS, S3Server, serve_s3

from deskhand.errors import StoreUnavailable
from deskhand.runs.artifact_mirror import S3Mirror
from deskhand.runs.report import write_report
from deskhand.runs.store import RunStore


@pytest.fixture(scope="module")
def s3() -> Iterator[S3Server]:
    with serve_s3() as server:
        yield server


@pytest.fixture(autouse=True)
def credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)


def test_artifacts_go_up_as_written_and_come_down_where_missing(
    s3: S3Server, store_where: Path | str, tmp_path: Path, tiny_png: bytes
) -> None:
    root = tmp_path / "artifacts"
    store = RunStore(store_where, artifacts_root=root, mirror=S3Mirror(f"s3://{s3.bucket}/fleet-a", root, s3.endpoint))
    run_id = store.start_run("wf.md", "wf", {})
    store.start_step(run_id, 1, 'Click "Save"')
    store.finish_step(run_id, 1, "succeeded", 3, screenshot_png=tiny_png, snapshot_text='button "Save"')
    store.finish_run(run_id, "succeeded")
    report = write_report(store, run_id)
    keys = {item["Key"] for item in s3.client().list_objects_v2(Bucket=s3.bucket, Prefix="fleet-a/")["Contents"]}
    assert keys >= {f"fleet-a/{run_id}/step-01.png", f"fleet-a/{run_id}/step-01.txt", f"fleet-a/{run_id}/report.html"}
    body = s3.client().get_object(Bucket=s3.bucket, Key=f"fleet-a/{run_id}/step-01.png")["Body"].read()
    assert body == tiny_png
    # Another machine (the console's): the same directory path, without the files.
    shot = store.get_run(run_id).steps[0].screenshot_path
    assert shot is not None
    written = report.read_bytes()
    shot.unlink()
    report.unlink()
    assert store.artifact(shot) == shot and shot.read_bytes() == tiny_png
    assert store.mirror is not None and store.mirror.fetch(report) and report.read_bytes() == written
    assert not store.mirror.fetch(root / run_id / "step-09.png")  # never written: not there either
    assert store.mirror.key(tmp_path / "elsewhere.png") is None  # nothing outside the directory is mirrored


def test_an_unreachable_store_or_a_bad_address_says_so(tmp_path: Path, tiny_png: bytes) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    root = tmp_path / "artifacts"
    store = RunStore(
        tmp_path / "runs.db", artifacts_root=root, mirror=S3Mirror("s3://b", root, f"http://127.0.0.1:{port}")
    )
    run_id = store.start_run("wf.md", "wf", {})
    with pytest.raises(StoreUnavailable, match=f"s3://b/ at http://127.0.0.1:{port} failed while storing"):
        store.finish_step(run_id, 1, "succeeded", 3, screenshot_png=tiny_png)
    with pytest.raises(StoreUnavailable, match="not an S3 address"):
        S3Mirror("bucket/prefix", root)
