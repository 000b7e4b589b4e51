"""The lock file (``add-contact.lock`` beside ``add-contact.md``): how each step was resolved last time.

A later run replays a locked step without asking a model, as long as the step's sentence (hash) is
unchanged. The file is YAML meant to be committed and reviewed: a fixed key order, one block per step, no
anchors, and templates (``{name}``) instead of values — a secret's value never reaches it.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

import yaml

from deskhand.errors import WorkflowError
from deskhand.workflows.sentences import sentence_hash as sentence_hash  # part of the lock format

LOCK_VERSION = 1
Source = Literal["language", "model"]
# What an element looked like when it was found: role, name, window, ancestors (outermost first), app.
Fingerprint = Mapping[str, "str | tuple[str, ...]"]
_FINGERPRINT_ORDER = ("role", "name", "window", "ancestors", "app")
_HEADER = "# deskhand lock file: how each step was resolved. Safe to delete; the next run rebuilds it.\n"


@dataclass(frozen=True, slots=True)
class LockedAction:
    """One backend action of a resolved step. ``value`` is a template such as ``{name}``, never a secret."""

    kind: str
    selector: str | None = None
    value: str | None = None
    fingerprint: Fingerprint = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True, slots=True)
class LockedStep:
    n: int
    sentence: str
    sentence_hash: str
    actions: tuple[LockedAction, ...]
    source: Source = "language"


@dataclass(frozen=True, slots=True)
class Lock:
    version: int
    workflow_name: str
    steps: tuple[LockedStep, ...] = ()

    def find(self, step_hash: str) -> LockedStep | None:
        """The locked step with this hash (see ``Workflow.step_hash``), wherever it now sits."""
        return next((s for s in self.steps if s.sentence_hash == step_hash), None)

    def with_step(self, step: LockedStep) -> Lock:
        """This lock with ``step`` put in place of the step with the same number."""
        kept = [s for s in self.steps if s.n != step.n]
        return replace(self, steps=tuple(sorted([*kept, step], key=lambda s: s.n)))


def lock_path(workflow_path: str | Path) -> Path:
    """Where the lock of a workflow file lives: the same name with ``.lock``."""
    return Path(workflow_path).with_suffix(".lock")


def read_lock(path: str | Path) -> Lock | None:
    """The lock at ``path``, or ``None`` when there is none yet."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as error:
        raise _corrupt(file, f"it cannot be read ({error})") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise _corrupt(file, f"it is not valid YAML ({str(error).splitlines()[0]})") from None
    return _lock_from(data, file)


def write_lock(path: str | Path, lock: Lock) -> None:
    """Write ``lock`` atomically: a reader sees the old file or the new one, never half of one."""
    file = Path(path)
    text = dump_lock(lock)
    temp_name = ""
    try:
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=file.parent, prefix=f".{file.name}.", suffix=".tmp", delete=False
        ) as temp:
            temp_name = temp.name
            temp.write(text)
            temp.flush()
            os.fsync(temp.fileno())
        Path(temp_name).replace(file)
    except OSError as error:
        if temp_name:
            Path(temp_name).unlink(missing_ok=True)
        raise WorkflowError(
            f"Cannot write the lock file: {error.strerror or error}.",
            file=str(file),
            hint="Check that the workflow's folder is writable.",
        ) from None


def dump_lock(lock: Lock) -> str:
    """The lock as YAML text: header, then one blank-line-separated block per step."""
    head = _yaml_text({"version": lock.version, "workflow": lock.workflow_name}, Dumper=_Dumper, **_DUMP_OPTIONS)
    if not lock.steps:
        return _HEADER + head + "steps: []\n"
    blocks = [_yaml_text([_step_data(s)], Dumper=_Dumper, **_DUMP_OPTIONS) for s in lock.steps]
    return _HEADER + head + "steps:\n" + "\n".join(blocks)


def _yaml_text(data: object, **options: Any) -> str:
    return str(yaml.dump(data, **options))


class _Dumper(yaml.SafeDumper):
    """Never writes anchors and aliases, even when two steps share an identical value."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


_DUMP_OPTIONS: dict[str, Any] = {
    "sort_keys": False,
    "default_flow_style": False,
    "allow_unicode": True,
    "width": 1000,
}


def _step_data(step: LockedStep) -> dict[str, object]:
    return {
        "n": step.n,
        "sentence": step.sentence,
        "sentence_hash": step.sentence_hash,
        "source": step.source,
        "actions": [_action_data(a) for a in step.actions],
    }


def _action_data(action: LockedAction) -> dict[str, object]:
    ordered = [k for k in _FINGERPRINT_ORDER if k in action.fingerprint]
    ordered += sorted(k for k in action.fingerprint if k not in _FINGERPRINT_ORDER)
    fingerprint = {k: list(v) if isinstance(v, tuple) else v for k, v in ((k, action.fingerprint[k]) for k in ordered)}
    return {"kind": action.kind, "selector": action.selector, "value": action.value, "fingerprint": fingerprint}


def _lock_from(data: object, file: Path) -> Lock:
    if not isinstance(data, dict):
        raise _corrupt(file, "it is not a mapping")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise _corrupt(file, "it has no version")
    if version > LOCK_VERSION:
        raise _corrupt(file, f"it is version {version}, written by a newer deskhand (this one reads {LOCK_VERSION})")
    name = data.get("workflow")
    steps = data.get("steps")
    if not isinstance(name, str) or not isinstance(steps, list):
        raise _corrupt(file, "it lacks 'workflow' or 'steps'")
    return Lock(version, name, tuple(_step_from(item, index, file) for index, item in enumerate(steps)))


def _step_from(item: object, index: int, file: Path) -> LockedStep:
    where = f"step entry {index + 1}"
    if not isinstance(item, dict):
        raise _corrupt(file, f"{where} is not a mapping")
    n, sentence, digest, source, actions = (
        item.get(k) for k in ("n", "sentence", "sentence_hash", "source", "actions")
    )
    if not isinstance(n, int) or isinstance(n, bool) or not isinstance(sentence, str) or not isinstance(digest, str):
        raise _corrupt(file, f"{where} lacks n, sentence or sentence_hash")
    if source not in ("language", "model"):
        raise _corrupt(file, f"{where} has source {source!r} (expected language or model)")
    if not isinstance(actions, list):
        raise _corrupt(file, f"{where} has no list of actions")
    return LockedStep(n, sentence, digest, tuple(_action_from(a, where, file) for a in actions), source)


def _action_from(item: object, where: str, file: Path) -> LockedAction:
    if not isinstance(item, dict) or not isinstance(item.get("kind"), str):
        raise _corrupt(file, f"an action of {where} has no kind")
    selector, value, raw = item.get("selector"), item.get("value"), item.get("fingerprint") or {}
    if not all(v is None or isinstance(v, str) for v in (selector, value)) or not isinstance(raw, dict):
        raise _corrupt(file, f"an action of {where} has a malformed selector, value or fingerprint")
    fingerprint: dict[str, str | tuple[str, ...]] = {}
    for key, entry in raw.items():
        if isinstance(entry, str):
            fingerprint[str(key)] = entry
        elif isinstance(entry, list) and all(isinstance(e, str) for e in entry):
            fingerprint[str(key)] = tuple(entry)
        else:
            raise _corrupt(file, f"the fingerprint of an action of {where} has a malformed {key!r}")
    return LockedAction(item["kind"], selector, value, MappingProxyType(fingerprint))


def _corrupt(file: Path, why: str) -> WorkflowError:
    return WorkflowError(
        f"The lock file is corrupt: {why}.",
        file=str(file),
        hint=f"Delete {file.name}; deskhand rebuilds it on the next run (locked steps are resolved again).",
    )
