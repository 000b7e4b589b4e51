"""One understood step of a recording and how it is written in the step language."""

from __future__ import annotations

import re
from dataclasses import dataclass

_SLUG = re.compile(r"[^a-z0-9]+")


def literal(text: str) -> str:
    """Text as a step writes it literally: braces doubled (``{name}`` would be an input)."""
    return text.replace("{", "{{").replace("}", "}}")


def secret_name(label: str) -> str:
    """The name a password typed into ``label`` is kept under (``deskhand secret set NAME``)."""
    return slug(label) or "password"


def slug(label: str) -> str:
    """A field's label as a name for an input or secret: ``E-mail address:`` → ``e_mail_address``."""
    return _SLUG.sub("_", label.casefold()).strip("_")


@dataclass(frozen=True, slots=True)
class RecordedStep:
    """What the person did, in the words the runner resolves: ``kind`` is the runner's target kind
    (``switch``, ``type_text``, ``click``, ``set_checked``, ``choose``) or ``press`` (a key or chord);
    ``ref`` the element it was done to."""

    kind: str
    target: str
    value: str = ""
    checked: bool = True
    app: str = ""
    window: str = ""
    ref: str = ""
    within: str = ""
    note: str = ""
    secret: str = ""
    input: str = ""

    def sentence(self) -> str:
        scope = f' in "{self.within}"' if self.within else ""
        target = self.target
        if self.kind == "switch":
            return f'Switch to "{target}"'
        if self.kind == "press":
            return f'Press "{target}"'
        if self.kind == "type_text":
            text = f"{{secret:{self.secret}}}" if self.secret else literal(self.value)
            text = f"{{{self.input}}}" if self.input else text
            return f'Type "{text}" into "{target}"{scope}'
        if self.kind == "choose":
            return f'Choose "{literal(self.value)}" in "{target}"{scope}'
        if self.kind == "set_checked":
            return f'{"Check" if self.checked else "Uncheck"} "{target}"{scope}'
        return f'Click "{target}"{scope}'
