"""The guard's judgement of acting on an element, kept while the events say nothing about the element changed.

Judging an action looks the element up in its app's event-kept tree with its window and ancestors, makes the
policy's target of it and classifies it: about a hundred Python calls, which after a pause (the caches cold)
took ~0.18 ms of a 1.5 ms known-element fill (benchmarks/peers.py). Their outcome depends only on the tree
and the policy, so it is kept per (action, element) under the backend's version of that tree
(base.KeptVersions: every event that marks it, every read of it, counts; text deskhand wrote and read back
does not), the policy and the step, and made afresh when any of them differs.

Only an "allow" on an app other than a browser is kept: an approval binds the values on screen, and a
browser's judgement reads the page's address from its address bar, whose text deskhand may have written. What
each action brings is still judged every time by the guard (kill switch, budgets, the secrets and keys in its
text, the audit log).
"""

from __future__ import annotations

import threading
from collections.abc import Hashable
from dataclasses import dataclass

from deskhand.policy.rules import Decision, Policy, StepPolicy, is_browser
from deskhand.policy.targets import Seen

_KEPT_AT_MOST = 256  # judgements; more than this and the memory starts over


@dataclass(frozen=True)
class Judged:
    """What the guard saw of an element and what the policy said of acting on it."""

    seen: Seen
    decision: Decision
    version: Hashable
    policy: Policy
    step: StepPolicy


class JudgedElements:
    """Judgements per (action kind, element ref), each valid while its version, policy and step are the ones now."""

    def __init__(self) -> None:
        self._kept: dict[tuple[str, str], Judged] = {}
        self._lock = threading.Lock()

    def get(self, kind: str, ref: str, version: Hashable | None, policy: Policy, step: StepPolicy) -> Judged | None:
        if version is None:
            return None
        with self._lock:
            found = self._kept.get((kind, ref))
        if found is None or found.policy is not policy or found.step is not step or found.version != version:
            return None
        return found

    def keep(self, kind: str, ref: str, judged: Judged) -> None:
        """Keep ``judged`` if it may be (see the module doc); ``judged.version`` must have been taken before the
        element was looked at, so a change during the look leaves a version that no longer matches."""
        if judged.decision.verdict != "allow" or is_browser(judged.seen.app) or judged.seen.node is None:
            return
        with self._lock:
            if len(self._kept) >= _KEPT_AT_MOST:
                self._kept.clear()
            self._kept[(kind, ref)] = judged
