"""The second wall: every Chromium deskhand opens or attaches to refuses requests to sites outside the policy.

One :class:`~deskhand.backends.browser.network_guard.ChromiumNetworkGuard` per browser (by debugging endpoint),
asking the guard's policy as it is at each request, so a new workflow's ``sites`` apply at once. Firefox gets its
equivalent when deskhand starts it (a proxy script limited to ``sites``: app/site_block.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from deskhand.backends.browser.network_guard import ChromiumNetworkGuard, NetworkGuard
from deskhand.policy.guard import GuardedBackend
from deskhand.policy.web import csp_sources


@dataclass
class BrowserNetwork:
    guarded: GuardedBackend
    guards: dict[str, NetworkGuard] = field(default_factory=dict)

    def guard(self, endpoint: str) -> None:
        """Guard the Chromium at ``endpoint`` (once; again if its guard's connection is gone)."""
        if endpoint in self.guards:
            return
        self.guards[endpoint] = ChromiumNetworkGuard(
            endpoint,
            allows=lambda url: self.guarded.guard.policy.allows_site(url),
            connect_sources=lambda: csp_sources(self.guarded.guard.policy.sites),
            on_refused=self.guarded.network_refusals.note,
        )

    @property
    def refused(self) -> list[str]:
        return [url for guard in self.guards.values() for url in guard.refused]

    def close(self) -> None:
        for guard in self.guards.values():
            guard.close()
        self.guards.clear()
