"""One ARIA-like vocabulary of roles and states shared by every backend.

Backends map their toolkit's roles onto these (AT-SPI's ``push button`` and ``toggle button`` become
``button``; ``text``, ``entry`` and ``password text`` become ``textbox``). Names follow WAI-ARIA where ARIA
has one, so selectors read like Playwright's (``role=button[name="Save"]``).
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    APPLICATION = "application"
    WINDOW = "window"
    DIALOG = "dialog"
    ALERT = "alert"
    BUTTON = "button"
    CHECKBOX = "checkbox"
    RADIO = "radio"
    SWITCH = "switch"
    TEXTBOX = "textbox"
    SEARCHBOX = "searchbox"
    COMBOBOX = "combobox"
    LISTBOX = "listbox"
    OPTION = "option"
    LIST = "list"
    LISTITEM = "listitem"
    MENUBAR = "menubar"
    MENU = "menu"
    MENUITEM = "menuitem"
    MENUITEMCHECKBOX = "menuitemcheckbox"
    MENUITEMRADIO = "menuitemradio"
    TABLIST = "tablist"
    TAB = "tab"
    TABPANEL = "tabpanel"
    TABLE = "table"
    ROW = "row"
    CELL = "cell"
    COLUMNHEADER = "columnheader"
    ROWHEADER = "rowheader"
    TREE = "tree"
    TREEITEM = "treeitem"
    SLIDER = "slider"
    SPINBUTTON = "spinbutton"
    PROGRESSBAR = "progressbar"
    SCROLLBAR = "scrollbar"
    SEPARATOR = "separator"
    TOOLBAR = "toolbar"
    STATUS = "status"
    TOOLTIP = "tooltip"
    HEADING = "heading"
    LINK = "link"
    IMAGE = "img"
    LABEL = "label"
    TEXT = "text"
    PARAGRAPH = "paragraph"
    DOCUMENT = "document"
    FORM = "form"
    GROUP = "group"
    GENERIC = "generic"
    UNKNOWN = "unknown"


class State(StrEnum):
    ENABLED = "enabled"
    SENSITIVE = "sensitive"
    FOCUSABLE = "focusable"
    FOCUSED = "focused"
    VISIBLE = "visible"
    SHOWING = "showing"
    CHECKED = "checked"
    MIXED = "mixed"
    SELECTED = "selected"
    SELECTABLE = "selectable"
    EXPANDABLE = "expandable"
    EXPANDED = "expanded"
    EDITABLE = "editable"
    READ_ONLY = "readonly"
    MULTILINE = "multiline"
    PRESSED = "pressed"
    MODAL = "modal"
    ACTIVE = "active"
    REQUIRED = "required"
    INVALID = "invalid"
    CHECKABLE = "checkable"
    DEFUNCT = "defunct"
    PASSWORD = "password"


# Roles a person can operate: the snapshot keeps them, the agent prefers them, the policy classifies them.
INTERACTIVE_ROLES: frozenset[str] = frozenset(
    {
        Role.BUTTON,
        Role.CHECKBOX,
        Role.RADIO,
        Role.SWITCH,
        Role.TEXTBOX,
        Role.SEARCHBOX,
        Role.COMBOBOX,
        Role.LISTBOX,
        Role.OPTION,
        Role.LISTITEM,
        Role.MENUITEM,
        Role.MENUITEMCHECKBOX,
        Role.MENUITEMRADIO,
        Role.TAB,
        Role.TREEITEM,
        Role.SLIDER,
        Role.SPINBUTTON,
        Role.LINK,
        Role.CELL,
    }
)

# Roles that hold typed text.
TEXT_INPUT_ROLES: frozenset[str] = frozenset({Role.TEXTBOX, Role.SEARCHBOX, Role.SPINBUTTON, Role.COMBOBOX})

# Roles whose job is to hold a window's content; they are top-level containers for scoping.
WINDOW_ROLES: frozenset[str] = frozenset({Role.WINDOW, Role.DIALOG, Role.ALERT})

# Roles that carry no meaning of their own; the compact snapshot folds them when they have no name.
STRUCTURAL_ROLES: frozenset[str] = frozenset({Role.GENERIC, Role.GROUP, Role.UNKNOWN, Role.SEPARATOR})
