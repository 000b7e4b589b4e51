"""One web page read and operated over CDP, as deskhand Nodes (same refs, same locators as everywhere).

The page is read by one ``Runtime.evaluate`` of page.js in an isolated world: Blink computes roles and
names, the script adds states, values and boxes, and returns a flat list. Measured against
``Accessibility.getFullAXTree`` (150-340 ms and 2.4 MB of JSON for the 4,800-node test page) and AT-SPI
(1.3 s): see docs/perception-decisions.md. The script keeps a dirty flag (DOM mutations, input, focus,
scroll); a clean page is not read again. Refs are ``cdp:<targetId>|<nonce>.<id>``: the nonce changes with
every document, so a ref of a page navigated away from names nothing.
"""

from __future__ import annotations

import contextlib
import json
import time
from importlib import resources
from typing import Any

from deskhand.backends.browser.cdp import CdpError, CdpSession
from deskhand.backends.browser.page_mirror import PageMirror
from deskhand.backends.browser.page_refs import PageRef
from deskhand.backends.browser.pending import PendingRequests
from deskhand.backends.forms import FormSubmission, How, SentField
from deskhand.errors import ActionFailed, NodeGone, UnexpectedDialog
from deskhand.tree.node import Node

WORLD_NAME = "deskhand"
# The function page.js calls at the first change after a read (Runtime.addBinding): a CDP event.
DIRTY_BINDING = "__deskhandDirty"
# Blink exposes computedRole/computedName only with this feature; deskhand starts Chromium with it.
BLINK_FEATURE = "ComputedAccessibilityInfo"
# How long an action's own read of its element may stand in for the read-back that follows it.
ACTED_FRESH_S = 0.25
_NO_CONTEXT = -32000  # CDP's code for "Cannot find context with specified id" (the page navigated)


class PageUnsupported(Exception):
    """This Chromium does not compute roles for scripts (started without the Blink feature)."""


class WebPage:
    """One tab's document: its reader script, its last tree, and actions on its elements."""

    def __init__(self, session: CdpSession, app_name: str = "") -> None:
        self.session = session
        self.app_name = app_name
        self._context: int | None = None
        self._nodes: tuple[Node, ...] = ()
        # The last read, so a change is patched in without rebuilding the whole page.
        self.mirror = PageMirror(session.target.id, app_name)
        # The element as the last action's own call read it right after acting: the next refresh of that
        # element is served from it once, if no other call reached the page in between.
        self._acted: tuple[PageRef, list[Any], float] | None = None
        # Change announcements over CDP (when the binding reached the isolated world): the newest epoch
        # the script announced, and the epoch of the last read or action answer applied here.
        self._announces = False
        self._runtime_events = False
        self._seen_epoch = 0
        self._read_epoch = -1
        # The last query's answer: (needle, by label, origin), the epoch it was read at, the nodes (None: the
        # page said a read must decide).
        self._queried: tuple[tuple[str, bool, tuple[int, int]], int, tuple[Node, ...] | None] | None = None
        # Requests in flight (fetch/XHR after the load too), watched from the first read on.
        self._requests = PendingRequests()
        self._network_watched = False
        session.on_event(self._on_event)
        session.on_event(self._requests.on_event)

    @property
    def target_id(self) -> str:
        return self.session.target.id

    @property
    def announces(self) -> bool:
        """The page tells of every change (the CDP binding reached its reader): a read that asks it about
        its changes is current without reading it whole."""
        return self._announces

    # ---- reading ---------------------------------------------------------------------------------
    def read(self, origin: tuple[int, int], *, force: bool = False) -> tuple[Node, ...]:
        """The page's top-level nodes, bounds on screen (``origin`` is the viewport's top-left corner).

        The script sends the whole page only on the first read (or a scroll or resize); otherwise just the
        subtrees of the elements that changed, which are patched into the last read here. A page that
        announced no change since the last read (see ``_on_event``) is not asked at all."""
        whole = force or origin != self.mirror.origin or not self.mirror.held
        if not whole and self._announces:
            self.session.drain()
            if self._seen_epoch <= self._read_epoch:
                return self._nodes
        result = self._evaluate(f"globalThis.__deskhand.snapshot({json.dumps(whole)})")
        if not isinstance(result, dict):
            return self._nodes
        if not self._take(result, origin):
            return self.read(origin, force=True)
        return self._nodes

    def query(self, origin: tuple[int, int], needle: str, *, by_label: bool = False) -> tuple[Node, ...] | None:
        """The page cut down to what a name or text ``needle`` could describe, with their ancestors, when the
        page would otherwise be read whole (first sight, a new document); None when a read is as cheap.

        A locator resolved against this finds the same elements as against a whole read (page.js keeps
        every element whose name could hold the words); the answer is kept until the page announces a
        change, so the runner's several selectors for one target ask once. ``by_label``: the words are a
        label's; the page answers even when it is held (what a label names is found in the page, where a
        resolver over the held read looks at every node), and None where a label could name a field by its
        place (that takes the whole read)."""
        held = self.mirror.held and origin == self.mirror.origin
        if self._announces:
            self.session.drain()
        if held and self._announces and not by_label and self._seen_epoch <= self._read_epoch:
            return None  # the page is as last read: the read answers from memory
        key = (needle, by_label, origin)
        kept = self._queried
        if kept is not None and kept[0] == key and self._announces and self._seen_epoch <= kept[1]:
            return kept[2]
        # Not held here means a read would be whole: the page answers the query instead, whatever it
        # thinks was read (it cannot know deskhand forgot its read).
        call = ", ".join(json.dumps(part) for part in (needle, not held, by_label))
        result = self._evaluate(f"globalThis.__deskhand.query({call})")
        if not isinstance(result, dict):
            if by_label and result is None:
                # A label that may name a field by its place: the read decides, until the page changes.
                self._queried = (key, self._seen_epoch, None)
            return None
        nonce = str(result["nonce"])
        if nonce != self.mirror.nonce:
            self.mirror.forget(nonce)
        nodes = self.mirror.build_rows(result["nodes"], origin)
        self._queried = (key, int(result.get("epoch", 0)), nodes)
        return nodes

    def _take(self, result: dict[str, Any], origin: tuple[int, int]) -> bool:
        """Apply what the script sent (the whole page, patches, or nothing new); False when the patches do
        not fit the last read (the whole page must be read)."""
        if "patches" in result and not self.mirror.patch(str(result["nonce"]), result["patches"]):
            return False
        if "nodes" in result:
            self.mirror.load(str(result["nonce"]), origin, result["nodes"])
        self._read_epoch = int(result.get("epoch", -1))
        self._nodes = self.mirror.top()
        return True

    def _on_event(self, method: str, params: dict[str, Any]) -> None:
        """The script calls the binding at the first change after each read, with a new epoch; a new
        document (navigation, reload) destroys the world, and the next read must find that out."""
        if method == "Runtime.bindingCalled":
            if params.get("name") == DIRTY_BINDING and params.get("executionContextId") == self._context:
                self._seen_epoch = max(self._seen_epoch, int(str(params.get("payload", "0")) or 0))
        elif method == "Runtime.executionContextsCleared" or (
            method == "Runtime.executionContextDestroyed" and params.get("executionContextId") == self._context
        ):
            self._read_epoch = -1
            self._queried = None
            self._context = None  # the next call makes the world again, not first fails on the old one

    def may_change(self) -> None:
        """The next read asks the page, announced change or not."""
        self._read_epoch = -1

    def loading(self) -> bool:
        """True while the document is still loading or the page has requests in flight (a step must not fail
        fast on a half-built page, or one whose fetch may still bring what it looks for)."""
        try:
            # The evaluate's reply comes after every network event sent before it: the count is current.
            return bool(self._evaluate("document.readyState") != "complete") or len(self._requests) > 0
        except (CdpError, NodeGone, ActionFailed, UnexpectedDialog, OSError):
            return False  # a tab that is gone, blocked or not answering is not loading anything we will read

    def invalidate(self) -> None:
        """The next read reads the whole page, dirty or not."""
        self.mirror.origin = None
        self._read_epoch = -1
        self._queried = None

    def refresh(self, ref: PageRef) -> Node:
        acted, self._acted = self._acted, None
        fresh = acted is not None and acted[0] == ref and time.monotonic() - acted[2] <= ACTED_FRESH_S
        row: list[Any] = acted[1] if acted is not None and fresh else self._act(ref, "read")["node"]
        return self.mirror.node(row, (), self.mirror.origin or (0, 0))

    def body_ref(self) -> str:
        """The page's body: what an action on the page as a whole (a file it is given) is judged on."""
        return self.mirror.body_ref()

    # ---- acting ----------------------------------------------------------------------------------
    def click(self, ref: PageRef, *, button: str = "left", count: int = 1) -> None:
        answer = self._act(ref, "box")
        x, y, width, height = answer["box"]
        if width <= 0 or height <= 0:
            raise ActionFailed("The element has no size on the page; it cannot be clicked.")
        if answer.get("covered"):
            # The press would go to what lies on top, which nobody judged (a page can lay a clear button there).
            raise ActionFailed(
                f"Another element lies over the middle of this one on the page, {answer['covered']}: a click "
                "there would press it instead.",
                hint="Close what covers it (a dialog, a banner) first, or act on the covering element itself.",
            )
        point = {"x": x + width / 2, "y": y + height / 2}
        try:
            self.session.call("Input.dispatchMouseEvent", {"type": "mouseMoved", **point})
            for clicks in range(1, count + 1):
                for kind in ("mousePressed", "mouseReleased"):
                    self.session.call(
                        "Input.dispatchMouseEvent", {"type": kind, "button": button, "clickCount": clicks, **point}
                    )
        except UnexpectedDialog:
            # The page was answering (the box above), so this click opened the dialog: that is its
            # effect, and the next step meets the dialog.
            return

    def focus(self, ref: PageRef) -> None:
        self._act(ref, "focus")

    def scroll_into_view(self, ref: PageRef) -> None:
        self._act(ref, "scroll")

    def set_text(self, ref: PageRef, text: str) -> None:
        answer = self._act(ref, "fill", text, edits=True)
        self._keep_after(ref, answer)
        if answer.get("refused"):
            raise ActionFailed(
                f"The page refuses {text!r}: {answer['refused']}",
                hint="Write a value the field accepts (its limits are in the message).",
            )

    def set_checked(self, ref: PageRef, on: bool) -> None:
        self._keep_after(ref, self._act(ref, "check", on, edits=True))

    def select_option(self, ref: PageRef, option: str) -> None:
        answer = self._act(ref, "select", option, edits=True)
        if "options" in answer:
            seen = ", ".join(str(o) for o in answer["options"]) or "none"
            raise ActionFailed(f"The list has no option {option!r}.", hint=f"Options seen: {seen}.")
        self._keep_after(ref, answer)

    def form_submission(self, ref: PageRef, how: How) -> FormSubmission | None:
        found = self._act(ref, "submission", how).get("submission")
        if not isinstance(found, dict):
            return None
        fields = tuple(SentField(str(n), str(v), bool(s)) for n, v, s in found.get("fields") or [])
        return FormSubmission(str(found["method"]), str(found["action"]), str(found.get("target") or ""), fields)

    def _keep_after(self, ref: PageRef, answer: dict[str, Any]) -> None:
        row = answer.get("node")
        if isinstance(row, list):
            self._acted = (ref, row, time.monotonic())
        changes = answer.get("changes")
        origin = self.mirror.origin
        if isinstance(changes, dict) and origin is not None and not self._take(changes, origin):
            self.invalidate()

    def _act(self, ref: PageRef, what: str, arg: object = None, *, edits: bool = False) -> dict[str, Any]:
        """``edits``: the answer comes at the page's next turn (page.js nextTurn), as the page then holds it."""
        # The script checks the nonce: an element of a page the tab has left is gone, not another one.
        call = ", ".join(json.dumps(part) for part in (ref.nonce, ref.element, what, arg))
        expression = f"globalThis.__deskhand.act({call})"
        answer: dict[str, Any] = self._evaluate(expression, awaited=edits)
        if answer.get("gone"):
            raise NodeGone("The web element is gone from the page.", hint="Take a fresh snapshot.")
        return answer

    # ---- the isolated world ------------------------------------------------------------------------
    def _evaluate(self, expression: str, *, awaited: bool = False) -> Any:
        """``awaited``: the expression may give a promise; its value is the answer."""
        self._acted = None  # the page may change with any call: only an immediate refresh may use it
        # One JSON string back instead of a value: V8 builds a protocol object per array element for
        # returnByValue, which cost more than reading the page itself (measured, 2,569 nodes).
        as_json = f"Promise.resolve({expression}).then(JSON.stringify)" if awaited else f"JSON.stringify({expression})"
        for attempt in range(3):
            context = self._ensure_world(fresh=attempt > 0)
            try:
                reply = self.session.call(
                    "Runtime.evaluate",
                    {"expression": as_json, "contextId": context, "returnByValue": True, "awaitPromise": awaited},
                )
            except UnexpectedDialog:
                # The script may have run and counted its answer as delivered (its changes since the last
                # read went with the lost reply): the next read takes the whole page.
                self.invalidate()
                raise
            except CdpError as error:
                if error.code == _NO_CONTEXT:
                    continue  # the tab navigated: its world went with the old document
                raise
            if "exceptionDetails" in reply:
                if "__deskhand" in json.dumps(reply["exceptionDetails"]):
                    continue  # a new document in a reused context: install the reader again
                raise ActionFailed(f"The page reader failed: {reply['exceptionDetails'].get('text', '')}.")
            text = reply.get("result", {}).get("value")
            return json.loads(text) if isinstance(text, str) else None
        raise NodeGone("The page changed while it was being read.", hint="Take a fresh snapshot.")

    def _ensure_world(self, *, fresh: bool) -> int:
        if self._context is not None and not fresh:
            return self._context
        self._context = None
        self._seen_epoch, self._read_epoch, self._announces = 0, -1, False
        self._queried = None
        tree = self.session.call("Page.getFrameTree")
        frame_id = tree["frameTree"]["frame"]["id"]
        world = self.session.call("Page.createIsolatedWorld", {"frameId": frame_id, "worldName": WORLD_NAME})
        context = int(world["executionContextId"])
        # Bound to this world only (by name, Chromium 156 binds only worlds that exist already; page
        # scripts never see it). Without it every read asks the page.
        with contextlib.suppress(CdpError):
            self.session.call("Runtime.addBinding", {"name": DIRTY_BINDING, "executionContextId": context})
            if not self._runtime_events:
                # For executionContextDestroyed: a clean page that navigated is no longer clean.
                self.session.call("Runtime.enable")
                self._runtime_events = True
        if not self._network_watched:
            with contextlib.suppress(CdpError):
                # Events only: no response bodies kept for us (deskhand never asks for them).
                self.session.call("Network.enable", {"maxTotalBufferSize": 0, "maxResourceBufferSize": 0})
                self._network_watched = True
        script = resources.files("deskhand.backends.browser").joinpath("page.js").read_text()
        # One call installs the reader and says whether Blink computes roles and the binding reached the world
        # (a page that has just loaded answers each call late: three calls were a third of finding a button).
        expression = (
            f"[(\n{script}\n), 'computedRole' in document.documentElement, typeof {DIRTY_BINDING} === 'function']"
        )
        reply = self.session.call(
            "Runtime.evaluate", {"expression": expression, "contextId": context, "returnByValue": True}
        )
        if "exceptionDetails" in reply:
            raise ActionFailed(f"Could not install the page reader: {reply['exceptionDetails'].get('text', '')}.")
        installed = reply.get("result", {}).get("value")
        if not isinstance(installed, list) or installed[1] is not True:
            raise PageUnsupported(BLINK_FEATURE)
        self._announces = self._runtime_events and installed[2] is True
        self._context = context
        return context
