"""AT-SPI numbers (roles, states, relations, interfaces) and their mapping onto deskhand's vocabulary."""

from __future__ import annotations

from deskhand.tree.roles import Role, State

REGISTRY = "org.a11y.atspi.Registry"
ROOT_PATH = "/org/a11y/atspi/accessible/root"
# The largest end offset Text.GetText takes: "to the end" where a toolkit does not honour -1.
TEXT_END_MAX = 2**31 - 1
REGISTRY_PATH = "/org/a11y/atspi/registry"
CACHE_PATH = "/org/a11y/atspi/cache"
NULL_PATH = "/org/a11y/atspi/null"

I_ACCESSIBLE = "org.a11y.atspi.Accessible"
I_ACTION = "org.a11y.atspi.Action"
I_APPLICATION = "org.a11y.atspi.Application"
I_CACHE = "org.a11y.atspi.Cache"
I_COLLECTION = "org.a11y.atspi.Collection"
I_COMPONENT = "org.a11y.atspi.Component"
I_EDITABLE_TEXT = "org.a11y.atspi.EditableText"
I_HYPERLINK = "org.a11y.atspi.Hyperlink"
I_SELECTION = "org.a11y.atspi.Selection"
I_TABLE = "org.a11y.atspi.Table"
I_TEXT = "org.a11y.atspi.Text"
I_VALUE = "org.a11y.atspi.Value"
I_PROPERTIES = "org.freedesktop.DBus.Properties"
I_EVENT_OBJECT = "org.a11y.atspi.Event.Object"
I_EVENT_WINDOW = "org.a11y.atspi.Event.Window"

COORD_SCREEN = 0
RELATION_LABELLED_BY = 2

# AtspiStateType bit numbers (atspi-constants.h).
STATE_BITS: dict[int, str] = {
    1: State.ACTIVE,
    4: State.CHECKED,
    6: State.DEFUNCT,
    7: State.EDITABLE,
    8: State.ENABLED,
    9: State.EXPANDABLE,
    10: State.EXPANDED,
    11: State.FOCUSABLE,
    12: State.FOCUSED,
    16: State.MODAL,
    17: State.MULTILINE,
    20: State.PRESSED,
    22: State.SELECTABLE,
    23: State.SELECTED,
    24: State.SENSITIVE,
    25: State.SHOWING,
    30: State.VISIBLE,
    32: State.MIXED,
    33: State.REQUIRED,
    36: State.INVALID,
    41: State.CHECKABLE,
    43: State.READ_ONLY,
}
MANAGES_DESCENDANTS_BIT = 31


def states_from_bits(words: list[int]) -> frozenset[str]:
    found: set[str] = set()
    for word_index, word in enumerate(words[:2]):
        base = 32 * word_index
        bits = word
        while bits:
            low = bits & -bits
            name = STATE_BITS.get(base + low.bit_length() - 1)
            if name is not None:
                found.add(name)
            bits ^= low
    return frozenset(found)


def manages_descendants(words: list[int]) -> bool:
    return bool(words and words[0] & (1 << MANAGES_DESCENDANTS_BIT))


# AtspiRole numbers (atspi-constants.h) → deskhand roles. Unlisted numbers become "generic".
_ROLE_TABLE: dict[int, tuple[str, Role]] = {
    1: ("accelerator label", Role.LABEL),
    2: ("alert", Role.ALERT),
    5: ("calendar", Role.TABLE),
    6: ("canvas", Role.GENERIC),
    7: ("check box", Role.CHECKBOX),
    8: ("check menu item", Role.MENUITEMCHECKBOX),
    10: ("column header", Role.COLUMNHEADER),
    11: ("combo box", Role.COMBOBOX),
    12: ("date editor", Role.TEXTBOX),
    16: ("dialog", Role.DIALOG),
    17: ("directory pane", Role.GROUP),
    18: ("drawing area", Role.GENERIC),
    19: ("file chooser", Role.DIALOG),
    20: ("filler", Role.GENERIC),
    23: ("frame", Role.WINDOW),
    25: ("html container", Role.DOCUMENT),
    26: ("icon", Role.IMAGE),
    27: ("image", Role.IMAGE),
    28: ("internal frame", Role.WINDOW),
    29: ("label", Role.LABEL),
    31: ("list", Role.LIST),
    32: ("list item", Role.LISTITEM),
    33: ("menu", Role.MENU),
    34: ("menu bar", Role.MENUBAR),
    35: ("menu item", Role.MENUITEM),
    36: ("option pane", Role.DIALOG),
    37: ("page tab", Role.TAB),
    38: ("page tab list", Role.TABLIST),
    39: ("panel", Role.GROUP),
    40: ("password text", Role.TEXTBOX),
    41: ("popup menu", Role.MENU),
    42: ("progress bar", Role.PROGRESSBAR),
    43: ("push button", Role.BUTTON),
    44: ("radio button", Role.RADIO),
    45: ("radio menu item", Role.MENUITEMRADIO),
    46: ("root pane", Role.GENERIC),
    47: ("row header", Role.ROWHEADER),
    48: ("scroll bar", Role.SCROLLBAR),
    49: ("scroll pane", Role.GENERIC),
    50: ("separator", Role.SEPARATOR),
    51: ("slider", Role.SLIDER),
    52: ("spin button", Role.SPINBUTTON),
    53: ("split pane", Role.GENERIC),
    54: ("status bar", Role.STATUS),
    55: ("table", Role.TABLE),
    56: ("table cell", Role.CELL),
    57: ("table column header", Role.COLUMNHEADER),
    58: ("table row header", Role.ROWHEADER),
    60: ("terminal", Role.TEXTBOX),
    61: ("text", Role.TEXTBOX),
    62: ("toggle button", Role.BUTTON),
    63: ("tool bar", Role.TOOLBAR),
    64: ("tool tip", Role.TOOLTIP),
    65: ("tree", Role.TREE),
    66: ("tree table", Role.TREE),
    67: ("unknown", Role.UNKNOWN),
    68: ("viewport", Role.GENERIC),
    69: ("window", Role.WINDOW),
    71: ("header", Role.GROUP),
    72: ("footer", Role.GROUP),
    73: ("paragraph", Role.PARAGRAPH),
    75: ("application", Role.APPLICATION),
    76: ("autocomplete", Role.COMBOBOX),
    77: ("edit bar", Role.TEXTBOX),
    78: ("embedded", Role.GENERIC),
    79: ("entry", Role.TEXTBOX),
    81: ("caption", Role.TEXT),
    82: ("document frame", Role.DOCUMENT),
    83: ("heading", Role.HEADING),
    84: ("page", Role.GROUP),
    85: ("section", Role.GENERIC),
    86: ("redundant object", Role.GENERIC),
    87: ("form", Role.FORM),
    88: ("link", Role.LINK),
    90: ("table row", Role.ROW),
    91: ("tree item", Role.TREEITEM),
    92: ("document spreadsheet", Role.DOCUMENT),
    93: ("document presentation", Role.DOCUMENT),
    94: ("document text", Role.DOCUMENT),
    95: ("document web", Role.DOCUMENT),
    96: ("document email", Role.DOCUMENT),
    98: ("list box", Role.LISTBOX),
    99: ("grouping", Role.GROUP),
    101: ("notification", Role.ALERT),
    102: ("info bar", Role.STATUS),
    103: ("level bar", Role.PROGRESSBAR),
    104: ("title bar", Role.GENERIC),
    105: ("block quote", Role.GROUP),
    109: ("article", Role.GROUP),
    110: ("landmark", Role.GROUP),
    111: ("log", Role.GROUP),
    116: ("static", Role.TEXT),
    121: ("description list", Role.LIST),
    122: ("description term", Role.LISTITEM),
    123: ("description value", Role.TEXT),
    129: ("push button menu", Role.BUTTON),
    130: ("switch", Role.SWITCH),
}


def named_roles() -> list[int]:
    """The AtspiRole numbers deskhand names, in number order."""
    return sorted(_ROLE_TABLE)


ROLE_APPLICATION = 75
# GTK 4's widgets of no role (an entry's inner GtkText): their parent leaves them out of its children.
ROLE_INVALID = 0
ROLE_PASSWORD_TEXT = 40
ROLE_TOGGLE_BUTTON = 62
ROLE_COMBO_BOX = 11
ROLE_DOCUMENT_WEB = 95
ROLE_PANEL = 39
ROLE_ROOT_PANE = 46
# Menus a toolkit may open as windows of their own (a context menu).
POPUP_ROLES = frozenset({33, 41})


_MAPPED: dict[int, tuple[str, str]] = {}


def map_role(number: int) -> tuple[str, str]:
    """(deskhand role, AT-SPI role name) for an AtspiRole number (kept: twice per node of every read)."""
    mapped = _MAPPED.get(number)
    if mapped is None:
        raw, role = _ROLE_TABLE.get(number, (f"role {number}", Role.GENERIC))
        mapped = _MAPPED[number] = (role.value, raw)
    return mapped
