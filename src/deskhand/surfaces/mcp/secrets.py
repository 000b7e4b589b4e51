"""Secrets by name in an MCP session: ``{secret:name}`` in a fill is replaced at the last moment, and every
text leaving the session (tool results, audit, run history) has the values put back to their names."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable

_PLACEHOLDER = re.compile(r"\{secret:([A-Za-z0-9_.-]+)\}")


class SecretBook:
    """Looks secrets up through ``lookup`` (raises SecretMissing) and remembers them only to hide them."""

    def __init__(self, lookup: Callable[[str], str]) -> None:
        self._lookup = lookup
        self._known: dict[str, str] = {}
        self._lock = threading.Lock()

    def fill_in(self, text: str) -> str:
        """``text`` with each ``{secret:name}`` replaced by the secret's value."""

        def value_of(found: re.Match[str]) -> str:
            name = found.group(1)
            value = self._lookup(name)
            if value:
                with self._lock:
                    self._known[value] = name
            return value

        return _PLACEHOLDER.sub(value_of, text)

    def redact(self, text: str) -> str:
        """``text`` with every secret value used so far shown as ``{secret:name}`` again."""
        with self._lock:
            known = sorted(self._known.items(), key=lambda item: -len(item[0]))
        for value, name in known:
            text = text.replace(value, "{secret:" + name + "}")
        return text
