"""The submitter signs what a worker will enforce: HMAC-SHA256, with a key both sides hold, over the canonical
JSON of the workflow's policy and the digests of the workflow's text and of its lock file's text (what a locked
step acts on). A worker runs nothing it cannot check, so a
broker open to others cannot hand it a wider policy (or another workflow under a signed policy)."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from collections.abc import Mapping
from typing import Any

from deskhand.errors import PolicyUnsigned
from deskhand.models.config import config_path, read_config
from deskhand.workflows.model import Workflow

KEY_VARIABLE = "DESKHAND_FLEET_KEY"
KEY_SETTING = "fleet_key"
_KEY_HINT = (
    f"Give the submitter and every worker the same key: set {KEY_VARIABLE} in their environment, or "
    f'{KEY_SETTING} = "…" in config.toml (make one with `python3 -c "import secrets; print(secrets.token_hex(32))"`).'
)


def fleet_key(env: Mapping[str, str] = os.environ) -> bytes:
    """The shared key: ``DESKHAND_FLEET_KEY``, else ``fleet_key`` in config.toml; PolicyUnsigned when neither is set."""
    key = env.get(KEY_VARIABLE) or read_config(env).get(KEY_SETTING)
    if not isinstance(key, str) or not key:
        raise PolicyUnsigned(
            f"No fleet key: neither {KEY_VARIABLE} nor {KEY_SETTING} in {config_path(env)} is set, and a fleet "
            "signs every workflow it sends.",
            hint=_KEY_HINT,
        )
    return key.encode("utf-8")


def policy_of(workflow: Workflow) -> dict[str, Any]:
    """What the guard enforces for this workflow (policy.rules.Policy.from_workflow's fields) and its limits."""
    limits = workflow.limits
    return {
        "apps": list(workflow.apps),
        "sites": list(workflow.sites),
        "confirm": [str(ref) for ref in workflow.confirm],
        "preapproved": [str(ref) for ref in workflow.preapproved],
        "secrets": list(workflow.secrets),
        "limits": [limits.max_steps, limits.max_minutes, limits.max_spend_usd],
    }


def _signed_text(workflow: Workflow, text: str, lock_text: str) -> bytes:
    body = {
        "policy": policy_of(workflow),
        "workflow_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        "lock_sha256": hashlib.sha256(lock_text.encode("utf-8")).hexdigest(),
    }
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def sign(workflow: Workflow, text: str, key: bytes, lock_text: str = "") -> str:
    return hmac.new(key, _signed_text(workflow, text, lock_text), hashlib.sha256).hexdigest()


def check_signature(
    workflow: Workflow, text: str, signature: str, key: bytes, *, machine: str, lock_text: str = ""
) -> None:
    """PolicyUnsigned unless ``signature`` is this worker's key's signature of the workflow's policy, its text and
    its lock's text."""
    if not signature:
        raise PolicyUnsigned(
            f"Worker {machine} refused workflow {workflow.name!r}: its policy is not signed.",
            hint="Send rows with `deskhand run … --broker …`, which signs them with the fleet key. " + _KEY_HINT,
        )
    if not hmac.compare_digest(sign(workflow, text, key, lock_text), signature):
        raise PolicyUnsigned(
            f"Worker {machine} refused workflow {workflow.name!r}: its policy's signature does not match this "
            "worker's fleet key (another key, or the workflow, its policy or its lock changed after signing).",
            hint=_KEY_HINT,
        )
