"""Selectors: an immutable description of which element to find, and its Playwright-flavoured text form.

Grammar (whitespace between tokens is free)::

    selector := part ( ">>" ( part | "nth=" INT ) )*
    part     := head attr*
    head     := "role=" ROLE | KEY "=" VALUE | "*"
    attr     := "[" KEY "=" VALUE "]" | "[exact]" | "[" STATE "]"
    KEY      := name | label | text | placeholder
    VALUE    := "double quoted" | 'single quoted' | bare text (up to "[", "]" or ">>")

``A >> B`` finds B inside the first match of A; ``A >> nth=2`` picks the third match of A (``nth=-1`` is
the last). Examples: ``role=button[name="Save"][exact]``, ``label="Email"``, ``role=checkbox[checked]``,
``role=dialog[name="Save As"] >> role=button[name="Save"]``.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field, fields, replace

from deskhand.errors import SelectorSyntaxError
from deskhand.tree.roles import Role, State

TEXT_KEYS: tuple[str, ...] = ("name", "label", "text", "placeholder")
_ROLE_NAMES: tuple[str, ...] = tuple(role.value for role in Role)
_STATE_NAMES: tuple[str, ...] = tuple(state.value for state in State)
# Toolkit spellings people type out of habit; parsed to the neutral role, printed canonically.
_ROLE_ALIASES: dict[str, str] = {
    "entry": Role.TEXTBOX,
    "pushbutton": Role.BUTTON,
    "togglebutton": Role.BUTTON,
    "checkbutton": Role.CHECKBOX,
    "radiobutton": Role.RADIO,
    "combo": Role.COMBOBOX,
    "image": Role.IMAGE,
    "frame": Role.WINDOW,
    "statictext": Role.TEXT,
    "row_header": Role.ROWHEADER,
}


def _syntax_error(source: str, column: int, problem: str, fix: str) -> SelectorSyntaxError:
    pointer = " " * (column - 1) + "^"
    return SelectorSyntaxError(
        f"Selector {source!r}, column {column}: {problem}.\n    {source}\n    {pointer}",
        hint=fix,
    )


def _nearest(word: str, choices: tuple[str, ...]) -> str | None:
    close = difflib.get_close_matches(word.lower(), choices, n=1, cutoff=0.5)
    return close[0] if close else None


def _canonical_role(role: str) -> str | None:
    lowered = role.strip().lower()
    if lowered in _ROLE_NAMES:
        return lowered
    alias = _ROLE_ALIASES.get(lowered)
    return str(alias) if alias is not None else None


@dataclass(frozen=True, slots=True)
class Selector:
    """Which element to find. Every set field must hold; ``within`` scopes the search to a subtree."""

    role: str | None = None
    name: str | None = None
    label: str | None = None
    text: str | None = None
    placeholder: str | None = None
    exact: bool = False
    nth: int | None = None
    states: frozenset[str] = field(default_factory=frozenset)
    within: Selector | None = None

    def __post_init__(self) -> None:
        if self.role is not None:
            role = _canonical_role(self.role)
            if role is None:
                near = _nearest(self.role, _ROLE_NAMES)
                raise SelectorSyntaxError(
                    f"Unknown role {self.role!r}.",
                    hint=(f"Did you mean {near!r}? " if near else "") + "Roles: " + ", ".join(_ROLE_NAMES),
                )
            object.__setattr__(self, "role", role)
        unknown = sorted(set(self.states) - set(_STATE_NAMES))
        if unknown:
            raise SelectorSyntaxError(
                f"Unknown state {unknown[0]!r} in a selector.", hint="States: " + ", ".join(_STATE_NAMES)
            )
        object.__setattr__(self, "states", frozenset(str(state) for state in self.states))

    @classmethod
    def parse(cls, text: str) -> Selector:
        """Read selector text; raises SelectorSyntaxError naming the column and the fix."""
        return _Parser(text).parse()

    def __str__(self) -> str:
        scope = f"{self.within} >> " if self.within is not None else ""
        nth = f" >> nth={self.nth}" if self.nth is not None else ""
        return f"{scope}{self._own_text()}{nth}"

    def _own_text(self) -> str:
        values = {key: getattr(self, key) for key in TEXT_KEYS if getattr(self, key) is not None}
        if self.role is not None:
            head = f"role={self.role}"
        elif values:
            first = next(iter(values))
            head = f"{first}={_quote(values.pop(first))}"
        else:
            head = "*"
        attrs = [f"[{key}={_quote(value)}]" for key, value in values.items()]
        attrs += [f"[{state}]" for state in sorted(self.states)]
        if self.exact:
            attrs.append("[exact]")
        return head + "".join(attrs)

    @property
    def is_empty(self) -> bool:
        """True when the selector's own part sets no criterion (``*``): it matches every element."""
        return self.role is None and not self.states and all(getattr(self, k) is None for k in TEXT_KEYS)

    def scoped_to(self, scope: Selector) -> Selector:
        """This selector searched inside ``scope`` (attached beneath any scope it already has)."""
        if self.within is None:
            return replace(self, within=scope)
        return replace(self, within=self.within.scoped_to(scope))

    def with_nth(self, nth: int | None) -> Selector:
        return replace(self, nth=nth)

    def criteria(self) -> dict[str, object]:
        """The set fields, for logs and error messages."""
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) not in (None, False)}


def _quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


class _Parser:
    """A small hand-written scanner: the grammar is tiny and errors must point at a column."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.pos = 0

    def error(self, problem: str, fix: str, at: int | None = None) -> SelectorSyntaxError:
        return _syntax_error(self.source, (self.pos if at is None else at) + 1, problem, fix)

    def parse(self) -> Selector:
        current = self.parse_step(None)
        while True:
            self.skip_spaces()
            if self.at_end():
                return current
            if not self.source.startswith(">>", self.pos):
                raise self.error(
                    f"unexpected {self.source[self.pos]!r}",
                    'Put attributes in brackets right after the part, e.g. role=button[name="Save"], '
                    "and separate scopes with '>>'.",
                )
            self.pos += 2
            current = self.parse_step(current)

    def parse_step(self, current: Selector | None) -> Selector:
        """One part, or ``nth=`` applied to the part before it."""
        self.skip_spaces()
        if self.at_end():
            raise self.error(
                "a selector is missing after '>>'" if current is not None else "the selector is empty",
                'Write what to find, e.g. role=button[name="Save"] or text="Hello".',
            )
        if self.source.startswith("nth=", self.pos):
            return self.parse_nth(current)
        return self.parse_part(current)

    def parse_nth(self, current: Selector | None) -> Selector:
        start = self.pos
        if current is None:
            raise self.error("nth= has nothing to pick from", "Write it after a selector: role=listitem >> nth=2.")
        if current.nth is not None:
            raise self.error("nth= is given twice for the same part", "Keep one nth=.")
        self.pos += len("nth=")
        digits_start = self.pos
        if self.peek() == "-":
            self.pos += 1
        while not self.at_end() and self.source[self.pos].isdigit():
            self.pos += 1
        number = self.source[digits_start : self.pos]
        if number in ("", "-"):
            raise self.error(
                "nth= needs a whole number", "Write nth=0 for the first match, nth=-1 for the last.", start
            )
        return replace(current, nth=int(number))

    def parse_part(self, scope: Selector | None) -> Selector:
        values: dict[str, str] = {}
        role: str | None = None
        if self.peek() == "*":
            self.pos += 1
        else:
            key_at = self.pos
            key = self.read_word()
            if key == "role":
                self.expect_equals(key)
                role = self.read_role()
            elif key in TEXT_KEYS:
                self.expect_equals(key)
                values[key] = self.read_value(key, in_brackets=False)
            else:
                raise self.unknown_key(key, key_at, ("role", *TEXT_KEYS, "nth"), 'e.g. role=button or text="Hello"')
        states: set[str] = set()
        exact = False
        self.skip_spaces()
        while self.peek() == "[":
            open_at = self.pos
            self.pos += 1
            self.skip_spaces()
            key_at = self.pos
            key = self.read_word()
            self.skip_spaces()
            if self.peek() == "=":
                if key not in TEXT_KEYS:
                    raise self.unknown_key(key, key_at, TEXT_KEYS, 'e.g. [name="Save"]')
                if key in values:
                    raise self.error(f"{key}= is given twice", f"Keep one {key}=.", key_at)
                self.pos += 1
                values[key] = self.read_value(key, in_brackets=True)
            elif key == "exact":
                exact = True
            elif key.lower() in _STATE_NAMES:
                states.add(key.lower())
            else:
                raise self.unknown_key(key, key_at, ("exact", *_STATE_NAMES, *TEXT_KEYS), "e.g. [checked] or [exact]")
            self.skip_spaces()
            if self.peek() != "]":
                raise self.error("this '[' is not closed", "End the attribute with ']'.", open_at)
            self.pos += 1
            self.skip_spaces()
        return Selector(
            role=role,
            name=values.get("name"),
            label=values.get("label"),
            text=values.get("text"),
            placeholder=values.get("placeholder"),
            exact=exact,
            states=frozenset(states),
            within=scope,
        )

    def unknown_key(self, key: str, at: int, known: tuple[str, ...], example: str) -> SelectorSyntaxError:
        if not key:
            shown = self.source[at] if at < len(self.source) else "the end"
            return self.error(
                f"expected a word, found {shown!r}", f"Start with one of {', '.join(known)} ({example}).", at
            )
        near = _nearest(key, known)
        fix = f"Did you mean {near!r}? " if near else ""
        return self.error(f"unknown attribute {key!r}", f"{fix}Known: {', '.join(known)} ({example}).", at)

    def read_role(self) -> str:
        self.skip_spaces()
        start = self.pos
        word = self.read_word()
        role = _canonical_role(word)
        if role is None:
            near = _nearest(word, _ROLE_NAMES)
            fix = f"Did you mean role={near}? " if near else ""
            problem = f"unknown role {word!r}" if word else "role= needs a role"
            raise self.error(problem, fix + "Roles: " + ", ".join(_ROLE_NAMES), start)
        return role

    def read_value(self, key: str, *, in_brackets: bool) -> str:
        self.skip_spaces()
        quote = self.peek()
        if quote in ('"', "'"):
            return self.read_quoted(quote, key)
        start = self.pos
        stops = ("]",) if in_brackets else ("[", ">>")
        while not self.at_end() and not any(self.source.startswith(stop, self.pos) for stop in stops):
            self.pos += 1
        value = self.source[start : self.pos].strip()
        if not value:
            raise self.error(f"{key}= has no value", f'Quote the text: {key}="…".', start)
        return value

    def read_quoted(self, quote: str, key: str) -> str:
        open_at = self.pos
        self.pos += 1
        chars: list[str] = []
        while not self.at_end():
            char = self.source[self.pos]
            if char == "\\" and self.pos + 1 < len(self.source):
                chars.append(self.source[self.pos + 1])
                self.pos += 2
            elif char == quote:
                self.pos += 1
                return "".join(chars)
            else:
                chars.append(char)
                self.pos += 1
        raise self.error(
            f"the quote of {key}= is never closed",
            f"Close it: {key}={quote}…{quote}; write \\{quote} for a quote inside the text.",
            open_at,
        )

    def read_word(self) -> str:
        start = self.pos
        while not self.at_end() and (self.source[self.pos].isalnum() or self.source[self.pos] in "_-"):
            self.pos += 1
        return self.source[start : self.pos]

    def expect_equals(self, key: str) -> None:
        self.skip_spaces()
        if self.peek() != "=":
            raise self.error(f"{key} needs '='", f"Write {key}=… (e.g. role=button).")
        self.pos += 1

    def skip_spaces(self) -> None:
        while not self.at_end() and self.source[self.pos].isspace():
            self.pos += 1

    def peek(self) -> str:
        return self.source[self.pos] if not self.at_end() else ""

    def at_end(self) -> bool:
        return self.pos >= len(self.source)
