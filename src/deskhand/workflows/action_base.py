"""The base of the step language's actions: a target named by what a person sees, and the Action protocol.

Kept apart from :mod:`.actions` so families of actions (:mod:`.pointer_actions`) can subclass it without an
import cycle; :mod:`.actions` re-exports everything here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal

from deskhand.workflows.ordinals import KINDS, ordinal_text
from deskhand.workflows.tokens import Token, tokenize

MouseButton = Literal["left", "middle", "right"]


def quote(text: str) -> str:
    """``text`` in quotes the step language reads back as the same text."""
    if '"' not in text:
        return f'"{text}"'
    single = f"'{text}'"
    # An apostrophe inside a word does not close a single-quoted string ("it's"), one before a space does.
    if "'" not in text or tokenize(single) == [Token(text, quoted=True)]:
        return single
    return f'"{text}"'


@dataclass(frozen=True, slots=True)
class Target:
    """An element named by what a person sees, optionally inside a window or group.

    ``position`` picks one of several matches in reading order (0-based, -1 = the last): ``the second
    "checkbutton"``. ``kind`` is a role named by a kind word instead of a text (``the first switch``)."""

    text: str
    within: str | None = None
    position: int | None = None
    kind: str | None = None

    def sentence(self) -> str:
        what = quote(self.text)
        if self.position is not None:
            word = self.kind_word() if not self.text else what
            what = f"the {ordinal_text(self.position)} {word}"
        return what if self.within is None else f"{what} in {quote(self.within)}"

    def kind_word(self) -> str:
        return next((word for word, role in KINDS.items() if role == self.kind), str(self.kind))

    def templates(self) -> tuple[str, ...]:
        return (self.text,) if self.within is None else (self.text, self.within)


class Action:
    """Base of the step language's actions."""

    __slots__ = ()
    kind: ClassVar[str] = ""
    mutates: ClassVar[bool] = True

    def targets(self) -> tuple[Target, ...]:
        """The elements this action finds and acts on or reads."""
        return ()

    def templates(self) -> tuple[str, ...]:
        """Every text of the action that may contain ``{name}`` or ``{secret:name}``."""
        return tuple(text for target in self.targets() for text in target.templates())

    def sentence(self) -> str:
        """The action written in the canonical form of the step language."""
        raise NotImplementedError
