"""The shape of ``apps`` and ``sites`` entries, checked when a workflow is loaded.

Policy never comes from inputs: ``{base}`` in ``sites`` is not expanded (a caller could otherwise widen
what a run may touch), so an entry that is not an origin or an app name is an error at its line, before
anything runs. The guard parses the entries again for matching; this check only refuses what cannot match.
"""

from __future__ import annotations

import re

_SCHEME = r"(?:[a-z][a-z0-9+.-]*://)?"
_HOST = r"(?:\*\.)?(?:[a-z0-9_-]+(?:\.[a-z0-9_-]+)*|\[[0-9a-f:.]+\])"
_ORIGIN = re.compile(rf"^{_SCHEME}{_HOST}(?::\d{{1,5}})?/?$", re.IGNORECASE)
_FILES = re.compile(r"^file://(/\S*)?$", re.IGNORECASE)
_APP = re.compile(r"^[\w][\w .+-]*$")


def site_problem(entry: str) -> str | None:
    """Why ``entry`` is not an origin (None when it is one)."""
    text = entry.strip()
    if _ORIGIN.match(text) or _FILES.match(text):
        return None
    if "{" in text or "}" in text:
        return "policy never comes from inputs, so {…} is not filled in here"
    return "an origin is a scheme, a host and a port, with no path (https://example.com, 127.0.0.1:8765)"


def app_problem(entry: str) -> str | None:
    """Why ``entry`` is not an app name (None when it is one)."""
    if _APP.match(entry.strip()):
        return None
    if "{" in entry or "}" in entry:
        return "policy never comes from inputs, so {…} is not filled in here"
    return "an app name is letters, digits, spaces and . + - _ (mousepad, gnome-calculator, LibreOffice Calc)"
