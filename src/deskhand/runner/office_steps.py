"""Office steps: spreadsheet cells (``locate.sheet``), text documents (``locate.document``), attaching a file
and saving under a name — each reads its effect back like every other step."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any, Protocol

from deskhand.errors import ActionFailed, LocatorError, NoMatch
from deskhand.locate.desktop import Desktop
from deskhand.locate.document import Document
from deskhand.locate.file_chooser import choose_file, is_accept_button
from deskhand.locate.locator import Locator, Resolved
from deskhand.locate.sheet import Sheet
from deskhand.locate.visibility import is_visible
from deskhand.locate.waiting import retry_until
from deskhand.runner.attaching import attach_file
from deskhand.runner.resolution import Resolution
from deskhand.runner.saving import finish_save, save_dialog_shown
from deskhand.tree.roles import State
from deskhand.tree.selector import Selector
from deskhand.workflows import actions as a
from deskhand.workflows.secret_text import SecretText


class _Context(Protocol):
    desktop: Desktop
    timeout: float
    values: dict[str, Any]
    current_app: str | None

    def fill_in(self, template: str) -> SecretText: ...

    def scope(self, within: str | None) -> Locator: ...

    def took(self, name: str, value: object) -> None: ...


class OfficeSteps:
    """The office half of :class:`~deskhand.runner.steps.StepRunner`."""

    ctx: _Context
    _kept_sheet: Sheet | None = None

    # ---- spreadsheet cells (locate.sheet) -------------------------------------------------------------
    def _sheet(self) -> Sheet:
        """One Sheet while the steps name the same app: a step finds the sheet the last one found as long as
        the app's tree has not changed since (Sheet keeps what it found in the tree it found it in)."""
        scope = self.ctx.scope(None)
        if self._kept_sheet is None or self._kept_sheet.scope != scope:
            self._kept_sheet = Sheet(scope)
        return self._kept_sheet

    def _cell(self, cell: a.Cell) -> tuple[Sheet, str, str | None]:
        row = None if cell.row is None else self.ctx.fill_in(cell.row)
        return self._sheet(), self.ctx.fill_in(cell.text), row

    def _do_read_cell(self, action: a.ReadCell) -> list[Resolution]:
        sheet, text, row = self._cell(action.cell)
        self.ctx.took(action.name, sheet.read(text, row))
        return [Resolution(action.kind, None, action.cell.sentence())]

    def _do_type_cell(self, action: a.TypeCell) -> list[Resolution]:
        sheet, text, row = self._cell(action.cell)
        sheet.write(text, self.ctx.fill_in(action.text), row)
        return [Resolution(action.kind, None, action.text)]

    def _do_expect_cell(self, action: a.ExpectCell) -> list[Resolution]:
        sheet, text, row = self._cell(action.cell)
        sheet.expect(text, self.ctx.fill_in(action.text), row)
        return [Resolution(action.kind, None, action.text)]

    def _do_read_cells(self, action: a.ReadCells) -> list[Resolution]:
        sheet = self._sheet()
        if action.cells is not None:
            self.ctx.took(action.name, sheet.read_range(self.ctx.fill_in(action.cells)))
        else:
            named = None if action.sheet is None else self.ctx.fill_in(action.sheet)
            self.ctx.took(action.name, sheet.read_used(named))
        return [Resolution(action.kind, None, action.cells)]

    # ---- text documents (locate.document) ------------------------------------------------------------
    def _do_type_document(self, action: a.TypeInDocument) -> list[Resolution]:
        Document(self.ctx.scope(None)).append(self.ctx.fill_in(action.text))
        return [Resolution(action.kind, None, action.text)]

    def _do_read_document(self, action: a.ReadDocument) -> list[Resolution]:
        self.ctx.took(action.name, Document(self.ctx.scope(None)).text())
        return [Resolution(action.kind, None, None)]

    def _do_go_to_heading(self, action: a.GoToHeading) -> list[Resolution]:
        Document(self.ctx.scope(None)).go_to_heading(self.ctx.fill_in(action.heading))
        return [Resolution(action.kind, None, action.heading)]

    def _do_attach_file(self, action: a.AttachFile) -> list[Resolution]:
        attach_file(self.ctx.scope(None), self.ctx.fill_in(action.path), timeout=self.ctx.timeout)
        return [Resolution(action.kind, None, action.path)]

    def _do_choose_file(self, action: a.ChooseFile) -> list[Resolution]:
        path = str(Path(str(self.ctx.fill_in(action.path))).expanduser())
        app = self.ctx.current_app
        choose_file(self.ctx.desktop, app, path, timeout=self.ctx.timeout)
        return [Resolution(action.kind, None, action.path)]

    def _do_save_as(self, action: a.SaveAs) -> list[Resolution]:
        path = self.ctx.fill_in(action.path)
        desktop = self.ctx.desktop
        started = time.time()
        dialogs = self.ctx.scope(None).locator(Selector(role="dialog"))
        shown_before = {r.ref for r in dialogs.resolve_all() if is_visible(r.node)}
        desktop.press("Ctrl+Shift+S")
        dialog = self._wait_for_new_dialog(dialogs, shown_before)
        name_field = desktop.app(dialog.app.name).window(dialog.node.name).with_timeout(self.ctx.timeout)
        field_locator = name_field.get_by_label("Name")
        if field_locator.count() != 1:
            field_locator = name_field.get_by_role("textbox").first
        field_locator.fill(path)
        save = name_field.get_by_role("button", name="Save")
        if save.count() == 1:
            save.click()
        else:
            field_locator.focus()
            self._wait_until_enter_is_taken(dialog, path)
            desktop.press("Enter")
        deadline = time.monotonic() + self.ctx.timeout
        while time.monotonic() < deadline:
            if not save_dialog_shown(desktop, dialog.node.ref):
                finish_save(
                    desktop,
                    dialog.app.name,
                    path,
                    started=started,
                    timeout=self.ctx.timeout,
                    open_before=frozenset(shown_before),
                )
                return [Resolution("save_as", None, action.path)]
            desktop.backend.wait_for_change(0.1)
        raise ActionFailed(
            f"The Save dialog {dialog.node.name!r} stayed open after saving as {path!r}.",
            hint="The app may be asking to replace an existing file, or the folder may not exist.",
        )

    def _wait_until_enter_is_taken(self, dialog: Resolved, path: str) -> None:
        """Wait until the dialog's shown accept button (Save, OK…) is enabled, when it has one: GTK3's chooser
        ignores Enter in its name field while that button, its default, is insensitive — so it is when the dialog
        opens with no name, until 150 ms after the last change to the name (docs/platform-notes.md)."""
        backend = self.ctx.desktop.backend
        deadline = time.monotonic() + self.ctx.timeout
        while True:
            window = backend.snapshot(dialog.app.ref).find(dialog.node.ref)
            shown = [n for n in window.walk() if is_accept_button(n) and is_visible(n)] if window is not None else []
            if not shown or any(State.ENABLED in n.states for n in shown):
                return
            if time.monotonic() >= deadline:
                raise ActionFailed(
                    f"The Save dialog {dialog.node.name!r} kept {shown[0].name!r} greyed out with {path!r}.",
                    hint="The dialog does not take this name: check the folder and the name.",
                )
            backend.wait_for_change(0.1)

    def _wait_for_new_dialog(self, dialogs: Locator, shown_before: set[str]) -> Resolved:
        """The dialog the Save opened: one not shown before it. A dialog already open beside the document
        (LibreOffice's Tip of the Day on a first start, a Find & Replace left open) is not it."""

        def opened() -> Resolved:
            for resolved in dialogs.resolve_all():
                if resolved.ref not in shown_before and is_visible(resolved.node):
                    return resolved
            raise NoMatch("No Save dialog has opened yet.")

        def timed_out(last: LocatorError | None) -> Exception:
            app = self.ctx.desktop.find_app(self.ctx.current_app) if self.ctx.current_app else None
            windows = app.windows if app is not None else ()
            front = next((f" ({w.role} {w.title!r} is in front)" for w in windows if w.active), "")
            documents = [f'`Switch to "{w.title}"`' for w in windows if w.role != "dialog" and w.title]
            return ActionFailed(
                f"Ctrl+Shift+S opened no Save dialog in {dialogs.describe()} within {self.ctx.timeout:g} s{front}.",
                hint="Bring the document's window to the front first: "
                + (" | ".join(documents) or '`Switch to "<its title>"`'),
            )

        return retry_until(self.ctx.desktop.backend, opened, timeout=self.ctx.timeout, on_timeout=timed_out)
