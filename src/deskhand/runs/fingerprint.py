"""Stable hashes of an inputs file and of one row of inputs, so a batch can be resumed safely."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any


def file_fingerprint(path: Path) -> str:
    """sha256 of a file's bytes (the inputs CSV/JSON of a batch)."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()


def inputs_fingerprint(inputs: Mapping[str, Any]) -> str:
    """sha256 of the canonical JSON of one row of inputs (key order does not matter)."""
    canonical = json.dumps(inputs, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()
