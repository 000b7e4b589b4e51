"""Recording an MCP session's own tool calls as a workflow: between ``record_start`` and ``record_stop`` every
acting call that succeeded becomes a step in the step language, so what an assistant did once can be run again
by ``deskhand run`` with no model.

A call is understood before it acts (the element it names may be gone after: a button that closes its window),
from the app's tree as the guard lets the session read it: a field by the label a person reads (its label
relation, else the text placed beside it, else its name), anything else by its own name. After the call the
step is checked the way a recording made by watching is (``app.recording.check``): words that pick out the very
element stay, words that pick out several get the window as their scope, the rest get a comment saying why.
Typed ``{secret:name}`` stays a placeholder; scroll and pointer tools are not steps of the language and are
left out (the file says so).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import yaml

from deskhand.app.recording.check import check_step
from deskhand.app.recording.document import workflow_text
from deskhand.app.recording.step import RecordedStep
from deskhand.errors import DeskhandError
from deskhand.locate.desktop import Desktop
from deskhand.tree.match import positional_labels
from deskhand.tree.node import Node
from deskhand.tree.roles import TEXT_INPUT_ROLES, WINDOW_ROLES
from deskhand.workflows.secret_text import SECRET_REFERENCE

# The ToolBox's action names, as the recording's step kinds.
_KINDS = {"fill": "type_text", "select": "choose", "check": "set_checked", "click": "click"}


@dataclass(frozen=True, slots=True)
class OpenStep(RecordedStep):
    """``Open <app>`` or ``Open <url> in the browser``: how the session's ``open_app`` is written."""

    def sentence(self) -> str:
        return f"Open {self.target} in the browser" if "://" in self.target else f"Open {self.target}"


@dataclass(frozen=True, slots=True)
class WaitStep(RecordedStep):
    """``Wait until "<text>" appears``: a ``wait_for`` the assistant needed, the replay needs too."""

    def sentence(self) -> str:
        return f'Wait until "{self.target}" appears'


@dataclass(frozen=True, slots=True)
class Pending:
    """A call understood before it acts: the step it will be, and the tree it was understood on."""

    step: RecordedStep
    tree: Node | None


@dataclass
class ToolRecording:
    """The steps of one recording, in order, and the apps they used."""

    desktop: Desktop
    name: str = ""
    steps: list[RecordedStep] = field(default_factory=list)
    apps: list[str] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)
    sites: list[str] = field(default_factory=list)
    _window: str = ""

    def understand(self, tool: str, arguments: dict[str, Any], backend_ref: str | None, app: str) -> Pending | None:
        """The step ``tool`` will be, read before it acts; None for a call that is no step (noted)."""
        if tool == "press":
            return Pending(RecordedStep("press", str(arguments["keys"]), app=app, window=self._window), None)
        kind = _KINDS.get(tool)
        if kind is None or backend_ref is None or not app:
            self.left_out.append(tool)
            return None
        found = self._find(app, backend_ref)
        if found is None:
            self.left_out.append(tool)
            return None
        tree, node, window = found
        named = node.name.strip() if kind not in ("type_text", "choose") else ""
        target = named or _label_of(tree, node)
        facts: dict[str, Any] = {}
        if kind == "type_text":
            text = str(arguments["text"])
            secret = SECRET_REFERENCE.fullmatch(text)
            facts = {"secret": secret.group(1)} if secret else {"value": text}
        elif kind == "choose":
            facts = {"value": str(arguments["option"])}
        elif kind == "set_checked":
            facts = {"checked": bool(arguments.get("on", True))}
        return Pending(RecordedStep(kind, target, app=app, window=window, ref=node.ref, **facts), tree)

    def done(self, pending: Pending) -> None:
        """The call succeeded: its step goes in, checked as the runner will resolve it."""
        step = pending.step
        if step.window and step.window != self._window:
            self._window = step.window
            self._add(RecordedStep("switch", step.window, app=step.app, window=step.window))
        self._add(check_step(self.desktop, step, pending.tree) if step.kind != "press" else step)

    def opened(self, name: str, shown: str) -> None:
        """``open_app`` succeeded; a page's origin goes into the workflow's ``sites`` (policy is written out)."""
        self._window = ""
        if "://" in name:
            parts = urlsplit(name)
            origin = f"{parts.scheme}://{parts.netloc}"
            if origin not in self.sites:
                self.sites.append(origin)
        self._add(OpenStep("open", name, app=shown))

    def waited(self, text: str) -> None:
        self._add(WaitStep("wait", text))

    def text(self) -> str:
        """The workflow file, with a line naming the calls it could not write as steps."""
        partial = "" if self.steps else "no acting call succeeded while recording."
        document = workflow_text(self.name or "recorded", self.steps, self.apps, partial=partial)
        if self.sites:
            front, rest = document.split("\n---\n", 1)
            sites = yaml.safe_dump({"sites": self.sites}, sort_keys=False).rstrip()
            document = f"{front}\n{sites}\n---\n{rest}"
        if self.left_out:
            names = ", ".join(sorted(set(self.left_out)))
            document += f"\n<!-- Not written as steps (no step form, or the element was not found): {names}. -->\n"
        return document

    def _add(self, step: RecordedStep) -> None:
        if step.app and step.app not in self.apps:
            self.apps.append(step.app)
        self.steps.append(step)

    def _find(self, app: str, backend_ref: str) -> tuple[Node, Node, str] | None:
        """The app's tree, the element, and the title of the window it is in."""
        info = self.desktop.find_app(app)
        if info is None:
            return None
        try:
            tree = self.desktop.backend.snapshot(info.ref)
        except DeskhandError:
            return None
        for node, ancestors in tree.walk_with_ancestors():
            if node.ref == backend_ref:
                # The innermost window; else the app's top-level node (Qt's main window reads as a generic one).
                windows = [a for a in ancestors if a.role in WINDOW_ROLES] or list(ancestors[1:2])
                return tree, node, windows[-1].name if windows else ""
        return None


def _label_of(tree: Node, node: Node) -> str:
    """What a person reads as a field's name: its label relation, else the text placed beside it (fields with
    no relation, as zenity's), else its own name or placeholder."""
    for ref in node.labelled_by:
        label = tree.find(ref)
        if label is not None and label.name.strip():
            return label.name.strip().rstrip(":")
    if node.role in TEXT_INPUT_ROLES and not node.name:
        placed = positional_labels(tree).get(node.ref, [])
        if placed:
            return placed[0].strip().rstrip(":")
    return (node.name or node.placeholder).strip()
