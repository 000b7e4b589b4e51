"""The recorder's steps as they are written: the words of each, a `Switch to` before the first step in another
window, a typed value or check state ending as it began dropped, and each step checked (``check``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from deskhand.app.recording.check import check_step
from deskhand.app.recording.pointer import menu_path
from deskhand.app.recording.seen import Seen
from deskhand.app.recording.step import RecordedStep
from deskhand.app.recording.xpresses import Press
from deskhand.locate.desktop import Desktop
from deskhand.tree.node import Node


class Emitting:
    """The writing half of :class:`~deskhand.app.recording.watcher.Recorder`."""

    desktop: Desktop
    steps: list[RecordedStep]
    apps_used: list[str]
    _titles: dict[str, str]
    _window_ref: str
    _pending: dict[str, tuple[RecordedStep, Node]]
    _at_start: dict[str, tuple[str, bool]]
    _click: tuple[RecordedStep, Node, Press, float] | None
    _on_step: Callable[[RecordedStep], None]
    _click_done: Callable[..., None]

    def _title(self, top: Node | None) -> str:
        return self._titles.setdefault(top.ref, top.name) if top is not None else ""

    def _step(self, seen: Seen, kind: str, **facts: object) -> RecordedStep:
        # GTK3 pads menu items' names with the space their accelerator column takes ("Save As...      ").
        target = seen.label if kind in ("type_text", "choose") else seen.node.name.strip() or seen.label
        path = menu_path(seen.node, seen.ancestors) if kind == "click" else ()
        if path:
            target = " > ".join(path)
        role = seen.node.role if not target else None
        top = seen.top
        return RecordedStep(
            kind,
            target,
            app=seen.app.name,
            window=self._title(top),
            ref=seen.node.ref,
            path=path,
            role=role,
            window_ref=top.ref if top is not None else "",
            **facts,  # type: ignore[arg-type]
        )

    def _flush(self, keep: str | None) -> None:
        for ref in [r for r in self._pending if r != keep]:
            step, tree = self._pending.pop(ref)
            if not self._as_it_began(step):
                self._emit(step, tree)

    def _as_it_began(self, step: RecordedStep) -> bool:
        began = self._at_start.get(step.ref)
        if began is None:
            return False
        if step.kind == "type_text":
            return not step.secret and step.value == began[0]
        return step.kind == "set_checked" and step.checked == began[1]

    def _emit(self, step: RecordedStep, tree: Node | None) -> None:
        if self._click is not None and step is not self._click[0]:
            self._click_done(waited=False)  # the click came first
        if step.window and step.window_ref and step.window_ref != self._window_ref:
            self._window_ref = step.window_ref
            self._add(RecordedStep("switch", step.window, app=step.app, window=step.window))
        checked = check_step(self.desktop, step, tree)
        if step.note and step.note not in checked.note:  # the recorder's own doubt stays beside the check's
            checked = replace(checked, note=f"{step.note}; {checked.note}" if checked.note else step.note)
        self._add(checked)

    def _add(self, step: RecordedStep) -> None:
        if step.app and step.app not in self.apps_used:
            self.apps_used.append(step.app)
        self.steps.append(step)
        self._on_step(step)
