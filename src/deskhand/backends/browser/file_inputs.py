"""A web page's file chooser answered in the page, as Playwright does: the session asks Chromium to hand it
each chooser a page opens (Page.setInterceptFileChooserDialog, cdp.py) instead of showing its own dialog,
which is not on AT-SPI; the files are then given to that input (DOM.setFileInputFiles, which fires the page's
input and change events) and read back from the input's own ``files``."""

from __future__ import annotations

from typing import Any

from deskhand.backends.browser.cdp import CdpError, CdpSession
from deskhand.errors import ActionFailed

_FILE_NAMES = "function () { return Array.from(this.files || []).map((file) => file.name); }"


def chooser_waiting(session: CdpSession) -> bool:
    """A chooser the page opened (a click on a file input) is waiting for files."""
    if not session.closed:
        session.drain()
    return session.file_chooser is not None


def give_files(session: CdpSession, paths: list[str]) -> tuple[str, ...]:
    """Give the waiting chooser's input ``paths``; the file names the input holds after."""
    chooser = session.file_chooser
    if chooser is None:
        raise ActionFailed("The page has no file chooser waiting.", hint="Click the page's file button first.")
    if len(paths) > 1 and chooser.get("mode") != "selectMultiple":
        raise ActionFailed(f"The page's file input takes one file, not {len(paths)}.")
    node = {"backendNodeId": chooser["backendNodeId"]}
    try:
        session.call("DOM.setFileInputFiles", {"files": paths, **node})
        session.file_chooser = None
        handle: dict[str, Any] = session.call("DOM.resolveNode", node)["object"]
        held = session.call(
            "Runtime.callFunctionOn",
            {"objectId": handle["objectId"], "functionDeclaration": _FILE_NAMES, "returnByValue": True},
        )
    except CdpError as error:
        raise ActionFailed(f"The page's file input did not take {paths}: {error}.") from None
    return tuple(str(name) for name in held.get("result", {}).get("value") or ())
