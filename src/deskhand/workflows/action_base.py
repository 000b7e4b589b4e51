"""The base of the step language's actions: a target named by what a person sees, and the Action protocol.

Kept apart from :mod:`.actions` so families of actions (:mod:`.pointer_actions`) can subclass it without an
import cycle; :mod:`.actions` re-exports everything here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal, Protocol

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


class Templated(Protocol):
    """A part of an action that holds texts of its own (a :class:`Target`, a spreadsheet cell)."""

    def templates(self) -> tuple[str, ...]: ...


class Action:
    """Base of the step language's actions.

    An action names its fields rather than restating them in methods: ``target_fields``, the fields that
    hold a :class:`Target` (or None, where the sentence leaves it out), and ``template_fields``, in order,
    the fields whose texts may hold templates: a text, a part with texts of its own, or None. Without
    ``template_fields`` an action's templates are its targets' texts.
    """

    __slots__ = ()
    kind: ClassVar[str] = ""
    mutates: ClassVar[bool] = True
    target_fields: ClassVar[tuple[str, ...]] = ()
    template_fields: ClassVar[tuple[str, ...] | None] = None

    def targets(self) -> tuple[Target, ...]:
        """The elements this action finds and acts on or reads."""
        named: tuple[Target | None, ...] = tuple(getattr(self, name) for name in self.target_fields)
        return tuple(target for target in named if target is not None)

    def templates(self) -> tuple[str, ...]:
        """Every text of the action that may contain ``{name}`` or ``{secret:name}``."""
        names = self.target_fields if self.template_fields is None else self.template_fields
        return tuple(text for name in names for text in _texts(getattr(self, name)))

    def sentence(self) -> str:
        """The action written in the canonical form of the step language."""
        raise NotImplementedError


def _texts(part: str | Templated | None) -> tuple[str, ...]:
    if part is None:
        return ()
    return (part,) if isinstance(part, str) else part.templates()
