"""The key-effect table: every keysym name X knows, with modifiers, judged by what it does.

The properties are checked on every keysym name python-xlib knows (the X server's list, about 1,500 names) and
on the names as a client might mangle them (any case, XF86Close for XF86_Close), with every modifier spelling
(Control_L, ctrl, Meta_L…). No spelling of Enter (Return, KP_Enter, ISO_Enter, 3270_Enter), close or quit may
come out as a key with no effect; and the spelling deskhand sends for a chord is the very key it judged.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from deskhand.backends.atspi import xinput
from deskhand.backends.atspi.key_names import KEYSYM_NAMES
from deskhand.policy.key_effects import (
    ENTER_KEYSYMS,
    Widget,
    chord_effect,
    held,
    key_meaning,
    typed_pieces,
)
from deskhand.policy.rules import Policy, StepPolicy, Target, chord_button
from deskhand.workflows.keys import Chord, parse_chord, x_keysym_names

NAMES = x_keysym_names()
CORE_ENTERS = {"Return": 0xFF0D, "KP_Enter": 0xFF8D, "ISO_Enter": 0xFE34, "3270_Enter": 0xFD1E}
MODIFIER_SPELLINGS = {
    "Ctrl": ("Ctrl", "ctrl", "control", "Control_L", "Control_R", "CONTROL_L"),
    "Alt": ("Alt", "alt", "Alt_L", "Alt_R", "Meta_L", "meta_r"),
    "Shift": ("Shift", "shift", "Shift_L", "Shift_R"),
    "Super": ("Super", "Super_L", "Hyper_L", "win"),
    "": ("Caps_Lock", "Num_Lock", "ISO_Level3_Shift", "Mode_switch"),  # change no effect
}
WIDGETS: tuple[Widget, ...] = (
    "address_bar",
    "web_form_field",
    "one_line_field",
    "multi_line_field",
    "control",
    "other",
)
ASK = StepPolicy(run_id="r", n=1)


def sent_keysym(chord: Chord) -> int:
    """The keysym the X input backend sends for ``chord.key``, by its own name lookup."""
    if len(chord.key) == 1:
        return chord.keysym
    from Xlib import XK

    sender: Any = object.__new__(xinput.XInput)
    sender._XK = XK
    return int(sender._keysym_for_name(KEYSYM_NAMES.get(chord.key.lower(), chord.key)))


def mangled(name: str) -> list[str]:
    variants = {name, name.lower(), name.upper(), name.swapcase()}
    if name.startswith("XF86_"):
        variants.add("XF86" + name[5:])
    return sorted(variants)


def test_every_keysym_name_x_knows_is_a_key_deskhand_judges_and_sends_as_itself() -> None:
    assert len(NAMES) > 1400
    for name, keysym in NAMES.items():
        chord = parse_chord(name)
        assert chord is not None, name
        same_key = chord.keysym == keysym or (len(name) == 1 and name.lower() == chr(chord.keysym))
        assert same_key, (name, hex(keysym), chord)
        assert sent_keysym(chord) in (chord.keysym, keysym), (name, chord)
        for variant in mangled(name):
            again = parse_chord(variant)
            assert again is not None, variant
            if len(name) > 1 and variant.casefold() == name.casefold():
                # Case-folded twins (Greek_alpha / Greek_ALPHA) share a fold: only effects must agree.
                assert chord_effect(again) == chord_effect(chord) or keysym in ENTER_KEYSYMS, (variant, again)


@pytest.mark.parametrize("mods", [(), *[(m,) for m in itertools.chain(*MODIFIER_SPELLINGS.values())]])
def test_no_spelling_of_enter_escapes_on_any_widget(mods: tuple[str, ...]) -> None:
    for name in CORE_ENTERS:
        for variant in mangled(name):
            chord = parse_chord("+".join([*mods, variant]))
            assert chord is not None and chord.keysym in ENTER_KEYSYMS, (mods, variant)
            assert chord_effect(chord) in ("enter", "send", "desktop"), (mods, variant)
            assert (
                key_meaning(chord, "web_form_field").meaning in ("submit", "send") or chord_effect(chord) == "desktop"
            )
            assert key_meaning(chord, "address_bar").effect in ("navigate", "desktop")


@settings(max_examples=400, deadline=None)
@given(
    key=st.sampled_from(sorted(NAMES)),
    mods=st.lists(st.sampled_from([s for group in MODIFIER_SPELLINGS.values() for s in group]), max_size=3),
)
def test_any_chord_of_known_names_parses_to_what_x_would_send(key: str, mods: list[str]) -> None:
    chord = parse_chord("+".join([*mods, key]))
    canonical = {parse_chord(m + "+a").modifiers[0] for m in mods} if mods else set()  # type: ignore[union-attr]
    if len(canonical) < len(mods):
        assert chord is None  # the same modifier twice is a typo, not a chord
        return
    assert chord is not None
    assert sent_keysym(chord) in (chord.keysym, NAMES[key])
    effect = chord_effect(chord)
    if NAMES[key] in ENTER_KEYSYMS:
        assert effect in ("enter", "send", "desktop")


CLOSE_OR_QUIT = {
    ("Ctrl", "W"): "close",
    ("Ctrl", "F4"): "close",
    ("Ctrl", "Q"): "quit",
    ("Alt", "F4"): "quit",
}


@pytest.mark.parametrize(("mod", "key"), CLOSE_OR_QUIT.keys())
def test_no_spelling_of_close_or_quit_escapes(mod: str, key: str) -> None:
    keys = [key, key.lower()] if len(key) == 1 else [key, key.lower(), key.upper()]
    for spelling, extra, written in itertools.product(MODIFIER_SPELLINGS[mod], ("", "Shift_L", "Caps_Lock"), keys):
        chord = parse_chord("+".join(p for p in (spelling, extra, written) if p))
        assert chord is not None and chord_effect(chord) == CLOSE_OR_QUIT[(mod, key)], (spelling, extra, written)
    assert chord_effect(parse_chord("XF86Close")) == "close"  # type: ignore[arg-type]


def test_the_chords_of_the_issue_are_the_chords_they_are() -> None:
    assert parse_chord("Control_L+Return") == parse_chord("Ctrl+Enter")
    assert chord_button("Control_L+Return") == "Send"
    assert chord_button("Alt_L+F4") == chord_button("Alt+F4") == "Quit"
    assert chord_button("meta_l+f4") == "Quit"
    assert chord_effect(parse_chord("KP_Enter")) == chord_effect(parse_chord("Enter")) == "enter"  # type: ignore[arg-type]
    assert held(parse_chord("Control_R+Alt_R+x")) == {"Ctrl", "Alt"}  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "keys",
    [
        "Super",
        "Super_L+e",
        "Alt+F2",
        "Control_L+Alt_L+Delete",
        "Ctrl+Alt+BackSpace",
        "Ctrl+Alt+F1",
        "XF86Terminal",
        "XF86_Switch_VT_1",
        "Terminate_Server",
        "Pointer_Button1",
        "XF86PowerOff",
        "XF86WWW",
    ],
)
def test_keys_for_the_desktop_itself_are_refused_in_every_app(keys: str) -> None:
    decision = Policy(apps=("mousepad",)).classify("press", Target(app="mousepad"), ASK, keys=keys)
    assert decision.verdict == "deny" and "desktop" in decision.reason


def test_a_chord_deskhand_cannot_parse_is_refused_not_sent() -> None:
    for keys in ("Ctrl+Ctrl+A", "NotAKey", "\x03", "Ctrl+"):
        decision = Policy(apps=("mousepad",)).classify("press", Target(app="mousepad"), ASK, keys=keys)
        assert decision.verdict == "deny" and "not a key" in decision.reason, keys


@pytest.mark.parametrize("widget", WIDGETS)
def test_enter_per_widget_kind(widget: Widget) -> None:
    policy = Policy(apps=("chromium",), sites=("http://127.0.0.1:1",))
    target = Target(app="chromium", role="textbox", name="Query", in_web_page=True, origin="127.0.0.1:1", widget=widget)
    for keys in ("Enter", "KP_Enter", "Shift+ISO_Enter", "alt+return"):
        decision = policy.classify("press", target, ASK, keys=keys)
        expected = {"web_form_field": "ask", "multi_line_field": "allow", "address_bar": "deny"}.get(widget, "allow")
        assert decision.verdict == expected, (widget, keys, decision)


def test_typed_text_splits_into_runs_and_the_keys_its_control_characters_press() -> None:
    pieces, bad = typed_pieces("notes\r\nmore\tend\n")
    assert bad == ""
    assert [p if isinstance(p, str) else p.key for p in pieces] == ["notes", "Return", "more", "Tab", "end", "Return"]
    assert typed_pieces("a\x03b")[1] == "\x03"
    assert typed_pieces("a\u2028b")[1] == "\u2028"
    assert typed_pieces("caf\u00e9\u00a0ok") == (["caf\u00e9\u00a0ok"], "")
