"""Exactly once, at the guard: an irreversible action (one the guard asks approval for, or a preapproved one)
gets an intent record before it is sent and its outcome after, whatever source the action came from."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Protocol

from deskhand.policy.rules import StepPolicy


class IntentSink(Protocol):
    """Where intents are kept (deskhand.runs.intents.IntentLog fits); ``intend`` returns once it is durable."""

    def intend(self, run_id: str, step: int | None, action: str, target: Mapping[str, str], meaning: str) -> int: ...

    def settle(self, intent_id: int, outcome: str) -> None: ...


class IntentRecording:
    """Mixed into the guarded backend: ``_intend`` after judging, ``with self._sending():`` around the send."""

    _intent_sink: IntentSink | None = None
    _open_intents: tuple[int, ...] = ()

    def _intend(
        self, sink: IntentSink | None, step: StepPolicy, kind: str, target: Mapping[str, str], meaning: str
    ) -> None:
        if sink is None or not step.run_id:
            return
        # Durable before the action goes: a batch that dies now knows this row may have been done.
        self._intent_sink = sink
        self._open_intents = (*self._open_intents, sink.intend(step.run_id, step.n, kind, target, meaning))

    @contextmanager
    def _sending(self) -> Iterator[None]:
        """Around the input event judged just before: the intents it opened get their outcome after it."""
        try:
            yield
        except BaseException as error:
            self._settle_intents(f"error: {type(error).__name__}")
            raise
        self._settle_intents("sent")

    def _settle_intents(self, outcome: str) -> None:
        opened, self._open_intents = self._open_intents, ()
        if self._intent_sink is not None:
            for intent in opened:
                self._intent_sink.settle(intent, outcome)
