"""What a workflow may touch, and which actions need a person's go-ahead: default deny.

``Policy.classify`` judges one action on one target and answers allow, ask or deny with a reason:

- **deny** when the target's app is not in ``apps`` (names match case-insensitively, through the aliases
  below), or when the action is on a web page whose origin is not in ``sites``;
- **ask** when the action is irreversible (a control whose name means submit, send, delete, pay, buy,
  transfer, post or confirm; on a web page also save, create, sign up, register, order, book and apply,
  which send the form to a server; key chords that stand for those buttons; Enter in a one-line field of
  a web form, which submits it) and the step is not ``preapproved``; and for the first action of every step
  listed under ``confirm``;
- **allow** otherwise.

"Save" or "Create" in a desktop app writes local files the person still controls, so they are not
irreversible there;
quit and close chords (Ctrl+Q, Alt+F4, Ctrl+W) are classed as the Quit and Close buttons: they must target
an allowed app, and are not irreversible.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Literal

from deskhand.errors import WorkflowError
from deskhand.policy.key_effects import Widget, chord_effect, meaning_of
from deskhand.policy.web import SiteRule, is_blank_page
from deskhand.workflows.keys import parse_chord
from deskhand.workflows.model import Step, StepRef, Workflow

Verdict = Literal["allow", "ask", "deny"]

# Each group is one app under several names: the workflow may use any of them.
APP_ALIASES: tuple[frozenset[str], ...] = (
    frozenset({"chromium", "chromium-browser", "chrome", "google chrome", "browser", "the browser", "web browser"}),
    frozenset({"mousepad", "text editor"}),
    frozenset({"gnome-calculator", "calculator"}),
    frozenset({"gedit", "org.gnome.gedit"}),
    frozenset({"firefox", "firefox-esr", "mozilla firefox"}),
)
BROWSER_NAMES: frozenset[str] = APP_ALIASES[0]
_BROWSERS = frozenset({min(APP_ALIASES[0]), "firefox"})

IRREVERSIBLE_WORDS: tuple[str, ...] = (
    "submit",
    "send",
    "delete",
    "pay",
    "buy",
    "purchase",
    "checkout",
    "transfer",
    "post",
    "publish",
    "confirm",
)
_IRREVERSIBLE = re.compile(r"\b(" + "|".join(IRREVERSIBLE_WORDS) + r")\b")
# On a web page these send the form to a server; in a desktop app they only change local files.
WEB_IRREVERSIBLE_WORDS: tuple[str, ...] = ("save", "create", "sign up", "register", "order", "book", "apply")
_WEB_ONLY = re.compile(r"\b(" + "|".join(WEB_IRREVERSIBLE_WORDS) + r")\b")
# Roles a person presses; text fields named "Send to" are not buttons.
PRESSABLE_ROLES = frozenset({"button", "link", "menuitem", "listitem", "cell", "img", "generic", "unknown"})

# What a chord's effect (policy.key_effects) is classed as: the button it stands for.
EFFECT_BUTTONS: Mapping[str, str] = {"quit": "Quit", "close": "Close", "send": "Send", "delete": "Delete permanently"}

POLICY_KEYS = ("apps", "sites", "confirm", "preapproved", "secrets")

ActionKind = Literal[
    "read",
    "open",
    "click",
    "focus",
    "set_text",
    "type_text",
    "press",
    "select_option",
    "set_checked",
    "scroll",
    "scroll_into_view",
    "activate_window",
    "drag",
    "window",
    "close_window",
    "upload",
]


@dataclass(frozen=True, slots=True)
class Decision:
    verdict: Verdict
    reason: str
    hint: str = ""
    meaning: str = ""  # the irreversible word that made it "ask", e.g. "send"


@dataclass(frozen=True, slots=True)
class Target:
    """What an action lands on, as the guard saw it just before acting."""

    app: str
    role: str = ""
    name: str = ""
    window: str = ""
    in_web_page: bool = False
    origin: str | None = None  # the page's address when the app is a browser
    destination: str | None = None  # where Enter in the address bar would go
    submits_form: bool = False  # Enter in a one-line field of a web form sends the form
    widget: Widget = "other"  # what kind of widget has the focus, for the key-effect table
    form_method: str = ""  # the method of the web form this action submits ("post" changes the server)

    def describe(self) -> str:
        what = f"{self.role} {self.name!r}" if self.role else "the focused element"
        return f"{what} in {self.app}" + (f" ({self.origin})" if self.origin else "")


@dataclass(frozen=True, slots=True)
class StepPolicy:
    """How the workflow treats the current step."""

    run_id: str
    n: int | None
    sentence: str = ""
    preapproved: bool = False
    needs_confirmation: bool = False


NO_STEP = StepPolicy(run_id="", n=None)


@lru_cache(maxsize=1024)  # asked ~20 times per judged action, of a handful of app names
def canonical_app(name: str) -> str:
    """One name per app: the first-listed alias group's sorted head, else the name folded."""
    folded = " ".join(name.split()).casefold()
    for group in APP_ALIASES:
        if folded in group:
            return min(group)
    return folded


def is_browser(app: str) -> bool:
    """Chromium or Firefox: an app whose web pages the ``sites`` list governs."""
    return canonical_app(app) in _BROWSERS


def chord_button(keys: str) -> str | None:
    """The button a chord stands for (Ctrl+Q, Alt_L+F4 → Quit), judged by its keysyms, not its spelling."""
    chord = parse_chord(keys)
    return None if chord is None else EFFECT_BUTTONS.get(chord_effect(chord))


def irreversible_meaning(role: str, name: str, *, in_web_page: bool) -> str:
    """The word that makes pressing this control irreversible, or "" when it is not."""
    if role and role not in PRESSABLE_ROLES:
        return ""
    folded = name.casefold()
    found = _IRREVERSIBLE.search(folded) or (_WEB_ONLY.search(folded) if in_web_page else None)
    return found.group(1) if found else ""


@dataclass(frozen=True)
class Policy:
    """The apps and sites a run may touch and which steps need approval (see the module doc)."""

    apps: tuple[str, ...] = ()
    sites: tuple[str, ...] = ()
    confirm: tuple[StepRef, ...] = ()
    preapproved: tuple[StepRef, ...] = ()
    secrets: tuple[str, ...] = ()
    _site_rules: tuple[SiteRule, ...] = field(init=False, repr=False, compare=False)
    _app_keys: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Parse once so a bad site fails when the policy is made, not mid-run.
        object.__setattr__(self, "_site_rules", tuple(SiteRule.parse(s) for s in self.sites))
        object.__setattr__(self, "_app_keys", frozenset(canonical_app(a) for a in self.apps))

    @classmethod
    def from_workflow(cls, workflow: Workflow) -> Policy:
        return cls(workflow.apps, workflow.sites, workflow.confirm, workflow.preapproved, workflow.secrets)

    @classmethod
    def from_mapping(cls, data: Mapping[str, object], *, where: str = "policy") -> Policy:
        """A policy from settings or an API call; an unknown key is an error, not a silent no-op."""
        unknown = [str(k) for k in data if k not in POLICY_KEYS]
        if unknown:
            raise WorkflowError(
                f"Unknown policy key {unknown[0]!r} in {where}.",
                file=where,
                hint=f"Policy keys are: {', '.join(POLICY_KEYS)}.",
            )
        return cls(
            apps=_strings(data.get("apps"), "apps", where),
            sites=_strings(data.get("sites"), "sites", where),
            confirm=_step_refs(data.get("confirm"), "confirm", where),
            preapproved=_step_refs(data.get("preapproved"), "preapproved", where),
            secrets=_strings(data.get("secrets"), "secrets", where),
        )

    def for_step(self, run_id: str, step: Step) -> StepPolicy:
        return StepPolicy(
            run_id=run_id,
            n=step.n,
            sentence=step.sentence,
            preapproved=any(ref.matches(step) for ref in self.preapproved),
            needs_confirmation=any(ref.matches(step) for ref in self.confirm),
        )

    def allows_app(self, app: str) -> bool:
        return canonical_app(app) in self._app_keys

    def admitting(self, app: str) -> Policy:
        """This policy with ``app`` allowed too (the process an allowed launch started)."""
        return replace(self, apps=(*self.apps, app))

    def allows_site(self, address: str) -> bool:
        if is_blank_page(address):
            return True
        return any(rule.matches(address) for rule in self._site_rules)

    def covers_site(self, site: str) -> bool:
        """Whether everything the ``sites`` entry ``site`` allows, this policy allows too."""
        rule = SiteRule.parse(site)
        return any(rule.within(own) for own in self._site_rules)

    def allows_secret(self, name: str) -> bool:
        return name in self.secrets

    def classify(self, kind: ActionKind, target: Target, step: StepPolicy, *, keys: str = "") -> Decision:
        """Allow, ask or deny ``kind`` on ``target`` during ``step`` (``keys``: the chord of a press)."""
        refused = self._refusal(kind, target)
        if refused is not None:
            return refused
        if kind in ("read", "open"):
            return Decision("allow", f"{kind} in an allowed app")
        if kind == "press":
            refused_key = self._key_refusal(target, keys)
            if refused_key is not None:
                return refused_key
        meaning = self._meaning(kind, target, keys)
        if meaning:
            what = f"{kind} {keys}" if keys else kind
            if step.needs_confirmation:
                return Decision("ask", f"step {step.n} is listed under confirm", meaning=meaning)
            if step.preapproved:
                return Decision("allow", f"{what} means {meaning!r}; step {step.n} is preapproved", meaning=meaning)
            return Decision(
                "ask",
                f"{what} on {target.describe()} means {meaning!r}, which cannot be undone",
                hint="List this step under preapproved: in the front matter to let it run unattended.",
                meaning=meaning,
            )
        if step.needs_confirmation:
            return Decision("ask", f"step {step.n} is listed under confirm")
        return Decision("allow", f"{kind} in an allowed app")

    def _refusal(self, kind: ActionKind, target: Target) -> Decision | None:
        if not self.allows_app(target.app):
            allowed = ", ".join(self.apps) or "none"
            return Decision(
                "deny",
                f"{kind} on {target.describe()} refused: {target.app!r} is not in this workflow's apps "
                f"(allowed: {allowed})",
                hint=f"If the workflow should use it, add {target.app!r} under apps: in the front matter.",
            )
        if is_browser(target.app) and target.in_web_page and not self._site_ok(target.origin):
            return self._site_refusal(kind, target, target.origin)
        if target.destination is not None and not self.allows_site(target.destination):
            return self._site_refusal(kind, target, target.destination)
        return None

    @staticmethod
    def _key_refusal(target: Target, keys: str) -> Decision | None:
        chord = parse_chord(keys)
        if chord is None:
            return Decision(
                "deny",
                f"press {keys!r} refused: it is not a key or chord deskhand can judge",
                hint="Write keys like Enter, Ctrl+S, Alt+F4, KP_Enter (X keysym names work too).",
            )
        widget: Widget = "web_form_field" if target.submits_form else target.widget
        effect = meaning_of(keys, widget)
        if effect is not None and effect.effect == "desktop":
            return Decision(
                "deny",
                f"press {chord.spelling} refused: it acts on the desktop itself (a launcher, the session, a console), "
                "outside every app the workflow allows",
                hint="Open apps with an Open step instead.",
            )
        if effect is not None and effect.effect == "navigate" and target.destination is None and is_browser(target.app):
            return Decision(
                "deny",
                f"press {chord.spelling} on {target.describe()} refused: it goes to an address deskhand cannot see "
                "before it goes there",
                hint="Open the page with an Open step, or type its address into the address bar and press Enter.",
            )
        return None

    def _site_ok(self, origin: str | None) -> bool:
        return origin is not None and self.allows_site(origin)

    def _site_refusal(self, kind: ActionKind, target: Target, address: str | None) -> Decision:
        allowed = ", ".join(self.sites) or "none"
        shown = address or "a page whose address cannot be read"
        return Decision(
            "deny",
            f"{kind} on {target.describe()} refused: {shown} is not in this workflow's sites (allowed: {allowed})",
            hint="If the workflow should use that site, add its origin (e.g. https://example.com) under sites:.",
        )

    @staticmethod
    def _meaning(kind: ActionKind, target: Target, keys: str) -> str:
        # Judged by effect: a form POSTed to a server cannot be taken back, whatever its button says.
        posts = "submit" if target.form_method == "post" else ""
        if kind == "click":
            return irreversible_meaning(target.role, target.name, in_web_page=target.in_web_page) or posts
        if kind == "close_window":
            return "close"  # the app may drop unsaved work without asking (policy/pointer_guard.py)
        if kind != "press":
            return ""
        widget: Widget = "web_form_field" if target.submits_form else target.widget
        meaning = meaning_of(keys, widget)
        if meaning is None:
            return ""
        if meaning.meaning:
            return meaning.meaning
        if meaning.effect in ("enter", "activate"):
            return irreversible_meaning(target.role, target.name, in_web_page=target.in_web_page) or posts
        return ""


def _strings(value: object, key: str, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise WorkflowError(f"Policy key {key!r} must be a list of text.", file=where, hint=f"{key}: [a, b]")
    return tuple(value)


def _step_refs(value: object, key: str, where: str) -> tuple[StepRef, ...]:
    if value is None:
        return ()
    if not isinstance(value, list | tuple):
        raise WorkflowError(f"Policy key {key!r} must be a list.", file=where, hint=f"{key}: [3, 'Click \"Send\"']")
    refs = []
    for item in value:
        if isinstance(item, int) and not isinstance(item, bool):
            refs.append(StepRef(number=item))
        elif isinstance(item, str):
            refs.append(StepRef(sentence=item))
        else:
            raise WorkflowError(
                f"Items of {key!r} must be step numbers or sentences, not {item!r}.",
                file=where,
                hint=f"{key}: [3, 'Click \"Send\"']",
            )
    return tuple(refs)
