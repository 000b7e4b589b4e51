"""What a step in the step language means: one frozen action per sentence form.

Texts keep their templates (``{name}``, ``{secret:name}``); the runner fills them in at run time.
Targets are free text (accessible name, label, visible text or placeholder); the locator decides roles.
Every action can say whether it may change data (``mutates``, for the policy layer), which elements it
acts on (``targets()``), which texts may hold templates (``templates()``) and how it is written in
canonical form (``sentence()``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from deskhand.workflows.action_base import Action, MouseButton, Target, quote
from deskhand.workflows.pointer_actions import ClickAt, Drag, ScrollBy, WindowControl

__all__ = ["Action", "ClickAt", "Drag", "MouseButton", "ScrollBy", "Target", "WindowControl", "quote"]


@dataclass(frozen=True, slots=True)
class OpenApp(Action):
    kind: ClassVar[str] = "open_app"
    mutates: ClassVar[bool] = False
    template_fields: ClassVar[tuple[str, ...]] = ("app",)
    app: str

    def sentence(self) -> str:
        return f"Open {quote(self.app) if ' ' in self.app else self.app}"


@dataclass(frozen=True, slots=True)
class OpenUrl(Action):
    kind: ClassVar[str] = "open_url"
    mutates: ClassVar[bool] = False
    template_fields: ClassVar[tuple[str, ...]] = ("url",)
    url: str
    browser: str = ""  # "firefox" or "chromium" when the sentence names one; else the workflow's browser

    def sentence(self) -> str:
        return f"Open {self.url} in {self.browser.capitalize() if self.browser else 'the browser'}"


@dataclass(frozen=True, slots=True)
class SwitchTo(Action):
    kind: ClassVar[str] = "switch_to"
    mutates: ClassVar[bool] = False
    template_fields: ClassVar[tuple[str, ...]] = ("window",)
    window: str

    def sentence(self) -> str:
        return f"Switch to {quote(self.window)}"


@dataclass(frozen=True, slots=True)
class Click(Action):
    kind: ClassVar[str] = "click"
    target_fields: ClassVar[tuple[str, ...]] = ("target",)
    target: Target
    button: MouseButton = "left"
    count: int = 1

    def sentence(self) -> str:
        verb = {"left": "Click", "right": "Right-click", "middle": "Middle-click"}[self.button]
        if self.count == 2:
            verb = "Double-click" if self.button == "left" else f"Double-{verb.lower()}"
        return f"{verb} {self.target.sentence()}"


@dataclass(frozen=True, slots=True)
class TypeText(Action):
    """Type ``text`` into a field, or into whatever has the keyboard focus when ``into`` is ``None``."""

    kind: ClassVar[str] = "type_text"
    target_fields: ClassVar[tuple[str, ...]] = ("into",)
    template_fields: ClassVar[tuple[str, ...]] = ("text", "into")
    text: str
    into: Target | None = None

    def sentence(self) -> str:
        where = "" if self.into is None else f" into {self.into.sentence()}"
        return f"Type {quote(self.text)}{where}"


@dataclass(frozen=True, slots=True)
class Choose(Action):
    """Pick ``option`` in a combo box, list or radio group named ``field``."""

    kind: ClassVar[str] = "choose"
    target_fields: ClassVar[tuple[str, ...]] = ("field",)
    template_fields: ClassVar[tuple[str, ...]] = ("option", "field")
    option: str
    field: Target

    def sentence(self) -> str:
        return f"Choose {quote(self.option)} in {self.field.sentence()}"


@dataclass(frozen=True, slots=True)
class SetChecked(Action):
    kind: ClassVar[str] = "set_checked"
    target_fields: ClassVar[tuple[str, ...]] = ("target",)
    target: Target
    checked: bool = True

    def sentence(self) -> str:
        return f"{'Check' if self.checked else 'Uncheck'} {self.target.sentence()}"


@dataclass(frozen=True, slots=True)
class Press(Action):
    """A key or chord in canonical spelling: modifiers Ctrl, Alt, Shift, Super (in that order) + a key."""

    kind: ClassVar[str] = "press"
    chord: str

    @property
    def modifiers(self) -> tuple[str, ...]:
        return self._parts()[:-1]

    @property
    def key(self) -> str:
        return self._parts()[-1]

    def _parts(self) -> tuple[str, ...]:
        if self.chord.endswith("++"):  # Ctrl++ : the key itself is the plus sign
            return (*self.chord[:-2].split("+"), "+")
        return (self.chord,) if self.chord == "+" else tuple(self.chord.split("+"))

    def sentence(self) -> str:
        return f"Press {self.chord}"


@dataclass(frozen=True, slots=True)
class WaitFor(Action):
    """Wait until ``text`` appears (or disappears) anywhere in the active window."""

    kind: ClassVar[str] = "wait_for"
    mutates: ClassVar[bool] = False
    template_fields: ClassVar[tuple[str, ...]] = ("text",)
    text: str
    appear: bool = True
    timeout_s: float | None = None

    def sentence(self) -> str:
        verb = "appears" if self.appear else "disappears"
        limit = "" if self.timeout_s is None else f" within {_seconds(self.timeout_s)}"
        return f"Wait until {quote(self.text)} {verb}{limit}"


@dataclass(frozen=True, slots=True)
class Read(Action):
    """Read the text of a field into the variable ``name``, usable as ``{name}`` by later steps."""

    kind: ClassVar[str] = "read"
    mutates: ClassVar[bool] = False
    target_fields: ClassVar[tuple[str, ...]] = ("target",)
    target: Target
    name: str

    def sentence(self) -> str:
        return f"Read {self.target.sentence()} as {self.name}"


@dataclass(frozen=True, slots=True)
class ExpectField(Action):
    """Check that a field shows ``text`` (exactly, or as a part when ``contains``)."""

    kind: ClassVar[str] = "expect_field"
    mutates: ClassVar[bool] = False
    target_fields: ClassVar[tuple[str, ...]] = ("target",)
    template_fields: ClassVar[tuple[str, ...]] = ("target", "text")
    target: Target
    text: str
    contains: bool = False

    def sentence(self) -> str:
        verb = "contain" if self.contains else "show"
        return f"Expect {self.target.sentence()} to {verb} {quote(self.text)}"


@dataclass(frozen=True, slots=True)
class ExpectText(Action):
    """Check that ``text`` is (or is not) visible in the active window."""

    kind: ClassVar[str] = "expect_text"
    mutates: ClassVar[bool] = False
    template_fields: ClassVar[tuple[str, ...]] = ("text",)
    text: str
    present: bool = True

    def sentence(self) -> str:
        return f"Expect {quote(self.text)} to {'appear' if self.present else 'disappear'}"


@dataclass(frozen=True, slots=True)
class SaveAs(Action):
    """Save the current document under ``path`` through the app's Save As dialog."""

    kind: ClassVar[str] = "save_as"
    template_fields: ClassVar[tuple[str, ...]] = ("path",)
    path: str

    def sentence(self) -> str:
        return f"Save the file as {quote(self.path)}"


@dataclass(frozen=True, slots=True)
class Close(Action):
    """Close a window by its title, or the active window when ``window`` is ``None``."""

    kind: ClassVar[str] = "close"
    template_fields: ClassVar[tuple[str, ...]] = ("window",)
    window: str | None = None

    def sentence(self) -> str:
        return "Close the window" if self.window is None else f"Close {quote(self.window)}"


@dataclass(frozen=True, slots=True)
class Cell:
    """A spreadsheet cell: an address (``C3``, ``Sheet2.B4``), or a column header and a row number."""

    text: str
    row: str | None = None

    def sentence(self) -> str:
        return f"cell {quote(self.text)}" + ("" if self.row is None else f" of row {self.row}")

    def templates(self) -> tuple[str, ...]:
        return (self.text,) if self.row is None else (self.text, self.row)


@dataclass(frozen=True, slots=True)
class ReadCell(Action):
    """Read the shown text of one cell of the open spreadsheet into ``name``."""

    kind: ClassVar[str] = "read_cell"
    mutates: ClassVar[bool] = False
    template_fields: ClassVar[tuple[str, ...]] = ("cell",)
    cell: Cell
    name: str

    def sentence(self) -> str:
        return f"Read {self.cell.sentence()} as {self.name}"


@dataclass(frozen=True, slots=True)
class TypeCell(Action):
    """Type ``text`` into one cell, commit it with Enter, and read the cell back."""

    kind: ClassVar[str] = "type_cell"
    template_fields: ClassVar[tuple[str, ...]] = ("text", "cell")
    text: str
    cell: Cell

    def sentence(self) -> str:
        return f"Type {quote(self.text)} into {self.cell.sentence()}"


@dataclass(frozen=True, slots=True)
class ExpectCell(Action):
    """Check that a cell shows ``text`` exactly."""

    kind: ClassVar[str] = "expect_cell"
    mutates: ClassVar[bool] = False
    template_fields: ClassVar[tuple[str, ...]] = ("cell", "text")
    cell: Cell
    text: str

    def sentence(self) -> str:
        return f"Expect {self.cell.sentence()} to show {quote(self.text)}"


@dataclass(frozen=True, slots=True)
class ReadCells(Action):
    """Read a range (``A1:D20``), or the used area of a sheet (``cells`` None), as rows into ``name``."""

    kind: ClassVar[str] = "read_cells"
    mutates: ClassVar[bool] = False
    template_fields: ClassVar[tuple[str, ...]] = ("cells", "sheet")
    name: str
    cells: str | None = None
    sheet: str | None = None

    def sentence(self) -> str:
        if self.cells is not None:
            return f"Read cells {quote(self.cells)} as {self.name}"
        where = "" if self.sheet is None else f" of sheet {quote(self.sheet)}"
        return f"Read the used cells{where} as {self.name}"


@dataclass(frozen=True, slots=True)
class TypeInDocument(Action):
    """Type ``text`` at the end of the open document (a line break is Enter) and check it is there."""

    kind: ClassVar[str] = "type_document"
    template_fields: ClassVar[tuple[str, ...]] = ("text",)
    text: str

    def sentence(self) -> str:
        return f"Type {quote(self.text)} at the end of the document"


@dataclass(frozen=True, slots=True)
class ReadDocument(Action):
    """Read the open document's text (the paragraphs the app exposes) into ``name``."""

    kind: ClassVar[str] = "read_document"
    mutates: ClassVar[bool] = False
    name: str

    def sentence(self) -> str:
        return f"Read the document as {self.name}"


@dataclass(frozen=True, slots=True)
class GoToHeading(Action):
    """Put the cursor at the start of a heading of the open document."""

    kind: ClassVar[str] = "go_to_heading"
    mutates: ClassVar[bool] = False
    template_fields: ClassVar[tuple[str, ...]] = ("heading",)
    heading: str

    def sentence(self) -> str:
        return f"Go to the heading {quote(self.heading)}"


@dataclass(frozen=True, slots=True)
class AttachFile(Action):
    """Attach a file through the app's Attach button and its file chooser, then check it is attached."""

    kind: ClassVar[str] = "attach_file"
    template_fields: ClassVar[tuple[str, ...]] = ("path",)
    path: str

    def sentence(self) -> str:
        return f"Attach the file {quote(self.path)}"


@dataclass(frozen=True, slots=True)
class ChooseFile(Action):
    """Choose a file in the file chooser the app shows (opened by an earlier step); the chooser must take it
    and close. The path must be absolute (or start at ``~`` or with an input: ``{report}``)."""

    kind: ClassVar[str] = "choose_file"
    template_fields: ClassVar[tuple[str, ...]] = ("path",)
    path: str

    def sentence(self) -> str:
        return f"Choose the file {quote(self.path)}"

    def path_is_full(self) -> bool:
        return self.path.startswith(("/", "~", "{"))


StepAction = (
    OpenApp
    | OpenUrl
    | SwitchTo
    | Click
    | TypeText
    | Choose
    | SetChecked
    | Press
    | WaitFor
    | Read
    | ExpectField
    | ExpectText
    | SaveAs
    | Close
    | ReadCell
    | TypeCell
    | ExpectCell
    | ReadCells
    | TypeInDocument
    | ReadDocument
    | GoToHeading
    | AttachFile
    | ChooseFile
    | Drag
    | ClickAt
    | ScrollBy
    | WindowControl
)

# Actions that read a value into a name later steps may use as ``{name}``.
READS = (Read, ReadCell, ReadCells, ReadDocument)


def _seconds(value: float) -> str:
    amount = int(value) if float(value).is_integer() else value
    return f"{amount} second" if amount == 1 else f"{amount} seconds"
