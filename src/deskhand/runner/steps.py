"""Carrying out one step of the step language on the desktop, and saying what it resolved to.

Every mutating step reads its effect back (the locator does: a typed value must be there, a box must be
checked); waits are event-driven with deadlines. What a step resolved to (selector + fingerprint of the
element) is returned so the lock can record it and a later run can replay it without searching.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from deskhand.agent.tools import element_fingerprint
from deskhand.backends.base import WindowInfo
from deskhand.errors import ActionFailed, HealNeedsReview, LocatorError, NoMatch
from deskhand.locate.desktop import Desktop
from deskhand.locate.locator import Locator, Resolved, is_visible
from deskhand.runner.check_steps import CheckSteps
from deskhand.runner.heal import Heal, heal_from_lock
from deskhand.runner.keys_taken import FocusHistory, press_to_focus, type_and_wait_taken
from deskhand.runner.menus import MENU_ROLES, MenuWalker, split_path
from deskhand.runner.office_steps import OfficeSteps
from deskhand.runner.pointer_steps import PointerSteps
from deskhand.runner.resolution import Resolution as Resolution  # re-exported: callers import it from here
from deskhand.runner.resolution import screen_facts
from deskhand.runner.screen_fallback import begin_step, end_step, find_on_screen
from deskhand.runner.settle import find_target_fast
from deskhand.runner.targets import names
from deskhand.tree.selector import Selector
from deskhand.workflows import actions as a
from deskhand.workflows.interpolate import compose
from deskhand.workflows.secret_text import SecretText

DEFAULT_WAIT_S = 10.0


def fingerprint(resolved: Resolved) -> dict[str, Any]:
    """What the lock keeps of the element: enough to find it again by its ids, form, neighbours and place
    when its wording changes (the same record a model's action gets); an element read off the screen says
    so (``via: screen``, its box for the report)."""
    return {**element_fingerprint(resolved), **screen_facts(resolved.node)}


def screen_box(resolved: Resolved) -> list[int] | None:
    box = resolved.node.bounds
    return None if box is None else [box.x, box.y, box.width, box.height]


def fingerprint_matches(locked: Mapping[str, Any], resolved: Resolved) -> bool:
    """The element the lock saw is still the one found: same app, role and name."""
    now = fingerprint(resolved)
    return all(str(locked.get(key, "")) == str(now[key]) for key in ("app", "role", "name"))


@dataclass
class StepContext:
    """What steps share during one run.

    ``step_secrets`` are the secrets the current step's own sentence names: the only ones text a model
    wrote (or the lock recorded from a model) may type for it."""

    desktop: Desktop
    values: dict[str, object]
    open_app: Callable[[str], str]
    open_url: Callable[[str, str], str]  # (url, browser name or "" for the workflow's)
    current_app: str | None = None
    timeout: float = DEFAULT_WAIT_S
    step_secrets: frozenset[str] = frozenset()
    # Asked before an irreversible step acts on an element found only by its fingerprint; no = stop.
    approve_heal: Callable[[Heal], bool] = lambda heal: False
    heals: list[Heal] = field(default_factory=list)
    focus_seen: FocusHistory = field(default_factory=FocusHistory)
    # What the run's reads took (`Read … as <name>`, a cell, a range, a document), in order: the run reports
    # them; later steps use them from ``values``.
    reads: list[tuple[str, object]] = field(default_factory=list)

    def took(self, name: str, value: object) -> None:
        """A read's value, kept as ``{name}`` for later steps and reported by the run."""
        self.values[name] = value
        self.reads.append((name, value))

    def fill_in(self, template: str) -> SecretText:
        """An action text of the workflow itself, filled in: its ``{secret:x}`` are the author's; values put
        in for ``{name}`` are literal text, whatever they hold."""
        return compose(template, self.values)

    def fill_in_unauthored(self, text: str) -> SecretText:
        """Text a model wrote, or the lock kept from a model: it may type only the secrets the step's own
        sentence names; any other ``{secret:x}`` in it is typed literally."""
        return compose(text, self.values, secrets=lambda name: name in self.step_secrets)

    def scope(self, within: str | None) -> Locator:
        base = self.desktop.app(self.current_app) if self.current_app else Locator(self.desktop)
        if within:
            base = base.window(self.fill_in(within))
        return base.with_timeout(self.timeout)


class StepRunner(PointerSteps, OfficeSteps, CheckSteps):
    """Runs step-language actions; ``locked`` maps a target text to a selector a previous run found."""

    ctx: StepContext

    def __init__(self, ctx: StepContext) -> None:
        self.ctx = ctx

    def run(self, action: a.StepAction, locked: list[Resolution] | None = None) -> tuple[list[Resolution], bool]:
        """Carry out ``action``; returns what it resolved to and whether a locked target had to be re-found."""
        self._locked = list(locked or [])
        self._within: str | None = None
        self._healed = False
        self._action = action
        begin_step(self.ctx.scope(None), self.ctx.timeout)
        handler = getattr(self, f"_do_{action.kind}")
        try:
            resolutions: list[Resolution] = handler(action)
        finally:
            end_step(self.ctx.scope(None))
        return resolutions, self._healed

    def replay(self, resolutions: list[Resolution]) -> list[Resolution]:
        """Carry out concrete actions recorded in the lock (what a model did for a free-form step).

        Each element must still match its fingerprint; otherwise NoMatch is raised and the caller asks the
        model again. Values are templates, filled in from this run's inputs.
        """
        done: list[Resolution] = []
        for item in resolutions:
            if item.kind in ("open_app", "open_url", "press", "type_text") and not item.selector:
                self._replay_plain(item)
                done.append(item)
                continue
            if not item.selector:
                raise NoMatch(f"The lock has no element for a {item.kind!r} action.")
            scope = self.ctx.desktop.app(str(item.fingerprint.get("app") or self.ctx.current_app or ""))
            found = scope.with_timeout(self.ctx.timeout).locator(Selector.parse(item.selector))
            resolved = found.wait_for(state="attached")
            if resolved is None or not fingerprint_matches(item.fingerprint, resolved):
                raise NoMatch(f"The element the lock recorded ({item.selector}) is not the one on screen now.")
            self.ctx.current_app = resolved.app.name
            item.bounds = screen_box(resolved)
            self._replay_on(item, found)
            done.append(item)
        return done

    def _replay_plain(self, item: Resolution) -> None:
        value = self.ctx.fill_in_unauthored(item.value or "")
        if item.kind == "open_app":
            self.ctx.current_app = self.ctx.open_app(value)
        elif item.kind == "open_url":
            self.ctx.current_app = self.ctx.open_url(value, "")
        elif item.kind == "press":
            self.ctx.desktop.press(value)
        else:
            self.ctx.desktop.type(value)

    def _replay_on(self, item: Resolution, locator: Locator) -> None:
        value = self.ctx.fill_in_unauthored(item.value or "")
        if item.kind == "click":
            locator.click()
        elif item.kind == "type_text":
            locator.fill(value)
        elif item.kind == "choose":
            locator.select_option(value)
        elif item.kind == "set_checked":
            locator.check() if value != "off" else locator.uncheck()
        elif item.kind == "read":
            self.ctx.took(str(item.fingerprint.get("as", "value")), locator.text())
        elif item.kind == "scroll":
            locator.scroll("up" if value == "up" else "down")
        else:
            raise NoMatch(f"The lock holds an action deskhand cannot replay: {item.kind!r}.")

    # ---- finding elements, with the lock's help ------------------------------------------------------
    def _target(self, kind: str, target: a.Target) -> tuple[Resolved, Selector]:
        scope = self.ctx.scope(target.within)
        # The action resolves the element again in the same window or group (two groups may hold one name).
        self._within = self.ctx.fill_in(target.within) if target.within else None
        text = self.ctx.fill_in(target.text)
        locked = self._locked.pop(0) if self._locked else None
        if locked is not None and locked.selector:
            try:
                selector = Selector.parse(locked.selector)
                found = scope.locator(selector).resolve_all()
                one = len(found) == 1 and names(kind, text, found[0].node)  # a lock's own rules may be older
                if one and fingerprint_matches(locked.fingerprint, found[0]):
                    return found[0], selector
            except LocatorError:
                pass
        try:
            return find_target_fast(
                scope, kind, text, timeout=self.ctx.timeout, position=target.position, role=target.kind
            )
        except NoMatch as missed:
            healed = (
                heal_from_lock(scope, self._action, kind, locked.fingerprint) if locked and locked.fingerprint else None
            )
            if healed is None:  # the tree has no match: the window's pixels may (OCR)
                return find_on_screen(
                    scope, kind, text, missed, timeout=self.ctx.timeout, position=target.position, role=target.kind
                )
        heal, resolved, selector = healed
        self.ctx.heals.append(heal)
        self._healed = True
        if heal.irreversible and not self.ctx.approve_heal(heal):
            raise HealNeedsReview(
                f"Nothing called {text!r} any more; the element the lock knows is now "
                f"{heal.new.get('role')} {heal.new.get('name') or heal.new.get('label')!r}, and this step "
                f"means {heal.irreversible!r}, which cannot be undone, so it is not healed without a person.",
                proposal=heal.proposal,
                evidence=heal.evidence(),
                hint="Apply the proposed sentence with `deskhand fix RUN_ID`, or approve the heal when asked.",
            )
        return resolved, selector

    def _record(self, kind: str, resolved: Resolved, selector: Selector, value: str | None = None) -> Resolution:
        return Resolution(kind, str(selector), value, fingerprint(resolved), screen_box(resolved))

    def _act_on(self, resolved: Resolved, selector: Selector) -> Locator:
        """A locator that resolves to exactly this element again (for the locator's actions + read-back)."""
        scope = self.ctx.desktop.app(resolved.app.name).with_timeout(self.ctx.timeout)
        if self._within:
            scope = scope.window(self._within)
        locator = scope.locator(selector)
        # A pick by place is held to the element picked: the app may add one before it meanwhile.
        return locator.pinned_to(resolved.ref) if selector.nth is not None else locator

    # ---- the actions --------------------------------------------------------------------------------
    def _do_open_app(self, action: a.OpenApp) -> list[Resolution]:
        app = self.ctx.fill_in(action.app)
        self.ctx.current_app = self.ctx.open_app(app)
        return [Resolution("open_app", None, app)]

    def _do_open_url(self, action: a.OpenUrl) -> list[Resolution]:
        url = self.ctx.fill_in(action.url)
        self.ctx.current_app = self.ctx.open_url(url, action.browser)
        return [Resolution("open_url", None, action.url)]

    def _do_switch_to(self, action: a.SwitchTo) -> list[Resolution]:
        title = self.ctx.fill_in(action.window)
        app = self.ctx.desktop.wait_for_app(title, timeout=self.ctx.timeout)
        self.ctx.current_app = app.name
        window = next((w for w in app.windows if title.casefold() in w.title.casefold()), None)
        if window is not None:
            self.ctx.desktop.backend.activate_window(window.ref)
            self._wait_active(app.name, window.ref)
        return [Resolution("switch_to", None, title)]

    def _wait_active(self, app_name: str, window_ref: str, cap_s: float = 2.0) -> None:
        """X raises the window at once; the bus says it is active a moment later (0.2 s for mousepad), and
        a Type that follows is judged by what the bus says has the focus: an unknown focus is refused."""
        deadline = time.monotonic() + min(cap_s, self.ctx.timeout)
        while time.monotonic() < deadline:
            app = self.ctx.desktop.find_app(app_name)
            if app is None or any(w.active for w in app.windows if w.ref == window_ref):
                return
            self.ctx.desktop.backend.wait_for_change(0.05)

    def _do_click(self, action: a.Click) -> list[Resolution]:
        parts = split_path(self.ctx.fill_in(action.target.text)) if action.button == "left" else None
        if parts is not None:
            # `Click "Edit > Preferences..."`: each menu of the path in turn, as a person opens them (the
            # path itself is what a replay follows: a submenu's items may exist only once it is open).
            if self._locked:
                self._locked.pop(0)
            item = self._menus(action.target).walk(parts)
            self.ctx.desktop.backend.click(item.ref)
            return [Resolution("click", None, action.target.text, fingerprint(item), screen_box(item))]
        resolved, selector = self._target("right_click" if action.button == "right" else "click", action.target)
        if not is_visible(resolved.node) and resolved.node.role in MENU_ROLES:
            self._menus(action.target).open_to(resolved)  # an item in a closed menu: open its way
        self._act_on(resolved, selector).click(button=action.button, count=action.count)
        return [self._record("click", resolved, selector)]

    def _menus(self, target: a.Target) -> MenuWalker:
        backend = self.ctx.desktop.backend
        return MenuWalker(
            self.ctx.scope(target.within),
            press=lambda ref: backend.click(ref),
            escape=lambda: backend.press("Escape"),
            timeout=self.ctx.timeout,
        )

    def _do_type_text(self, action: a.TypeText) -> list[Resolution]:
        text = self.ctx.fill_in(action.text)
        if action.into is None:
            # Secrets are typed by the guard and read back redacted: their keys are not watched.
            app = None if text.secret_names else self.ctx.current_app
            send = lambda: self.ctx.desktop.type(text)  # noqa: E731
            type_and_wait_taken(self.ctx.desktop.backend, app, text, send, self.ctx.focus_seen)
            return [Resolution("type_text", None, action.text)]
        resolved, selector = self._target("type_text", action.into)
        self._act_on(resolved, selector).fill(text)
        return [self._record("type_text", resolved, selector, action.text)]

    def _do_choose(self, action: a.Choose) -> list[Resolution]:
        resolved, selector = self._target("choose", action.field)
        self._act_on(resolved, selector).select_option(self.ctx.fill_in(action.option))
        return [self._record("choose", resolved, selector, action.option)]

    def _do_set_checked(self, action: a.SetChecked) -> list[Resolution]:
        resolved, selector = self._target("set_checked", action.target)
        locator = self._act_on(resolved, selector)
        locator.check() if action.checked else locator.uncheck()
        return [self._record("set_checked", resolved, selector, "on" if action.checked else "off")]

    def _do_press(self, action: a.Press) -> list[Resolution]:
        send = lambda: self.ctx.desktop.press(action.chord)  # noqa: E731
        press_to_focus(self.ctx.desktop.backend, self.ctx.current_app, send, self.ctx.focus_seen)
        return [Resolution("press", None, action.chord)]

    def _do_close(self, action: a.Close) -> list[Resolution]:
        desktop = self.ctx.desktop
        window: WindowInfo | None = None
        if action.window is not None:
            title = self.ctx.fill_in(action.window)
            app = desktop.wait_for_app(title, timeout=self.ctx.timeout)
            window = next((w for w in app.windows if title.casefold() in w.title.casefold()), None)
            if window is not None:
                desktop.backend.activate_window(window.ref)
        else:
            window = next((w for app in desktop.apps() for w in app.windows if w.active), None)
        desktop.press("Ctrl+W")
        if window is not None:
            self._wait_closed(window)
        return [Resolution("close", None, action.window)]

    def _wait_closed(self, window: WindowInfo) -> None:
        """Closing is judged by the window going away, not by the key sent."""
        desktop = self.ctx.desktop
        deadline = time.monotonic() + self.ctx.timeout
        while any(w.ref == window.ref for app in desktop.apps() for w in app.windows):
            if time.monotonic() >= deadline:
                raise ActionFailed(
                    f"The window {window.title!r} is still open after Ctrl+W.",
                    hint="The app may be asking whether to save changes (answer it in a step), or Ctrl+W may not "
                    "close its windows.",
                )
            desktop.backend.wait_for_change(0.1)
