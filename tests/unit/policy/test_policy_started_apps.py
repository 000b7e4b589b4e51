"""An app the workflow allows by one name may run under another (`LibreOffice Calc` is `soffice` on the bus):
the launch is judged by the desktop entry's program too, and the process an allowed launch started counts as
allowed — known by the process, never by a window title."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest
from tests.unit.policy.test_policy_guard import Sinks, fake, make_guard

from deskhand.app.launcher import DesktopLauncher, runs_program_of
from deskhand.app.session import PolicyLauncher
from deskhand.backends.fake import FakeBackend
from deskhand.errors import PolicyDenied
from deskhand.locate.desktop import Desktop
from deskhand.policy.rules import Policy

__all__ = ["fake"]  # the fixture


class Launcher(DesktopLauncher):
    """Starts nothing: says which program an app's entry runs and which app a launch brought up."""

    def __init__(self, desktop: Desktop, brings_up: str, *, started_it: bool) -> None:
        super().__init__(desktop, None)
        self.brings_up, self.started_it = brings_up, started_it

    def program_names(self, name: str) -> tuple[str, ...]:
        return {"LibreOffice Calc": ("libreoffice", "soffice")}.get(name, ())

    def open_app(self, name: str) -> str:
        if self.started_it:
            self.on_opened(name, self.brings_up)
        return self.brings_up


def launcher(fake: FakeBackend, policy: Policy, sinks: Sinks, *, started_it: bool = True) -> PolicyLauncher:
    guarded = make_guard(fake, policy, sinks)
    return PolicyLauncher(Launcher(Desktop(guarded), "zenity", started_it=started_it), guarded)


def test_the_app_an_allowed_launch_started_is_allowed_and_audited(fake: FakeBackend) -> None:
    sinks = Sinks()
    opener = launcher(fake, Policy(apps=("LibreOffice Calc",)), sinks)
    assert opener.open_app("LibreOffice Calc") == "zenity"
    assert opener.guarded.guard.policy.allows_app("zenity")
    Desktop(opener.guarded).app("zenity").get_by_role("textbox").first.fill("Ada")  # acting on it is allowed
    assert [entry[2] for entry in sinks.audit][:2] == ["open", "admit"]


def test_an_app_found_running_by_its_title_is_not_admitted(fake: FakeBackend) -> None:
    opener = launcher(fake, Policy(apps=("LibreOffice Calc",)), Sinks(), started_it=False)
    assert opener.open_app("LibreOffice Calc") == "zenity"
    assert not opener.guarded.guard.policy.allows_app("zenity")
    with pytest.raises(PolicyDenied, match="'zenity' is not in this workflow's apps"):
        Desktop(opener.guarded).app("zenity").get_by_role("textbox").first.fill("Ada")


def test_a_launch_is_allowed_by_the_program_its_entry_runs(fake: FakeBackend) -> None:
    opener = launcher(fake, Policy(apps=("libreoffice",)), Sinks())
    assert opener.open_app("LibreOffice Calc") == "zenity"
    with pytest.raises(PolicyDenied, match="not in this workflow's apps"):
        launcher(fake, Policy(apps=("gedit",)), Sinks()).open_app("LibreOffice Calc")


def test_a_launch_is_allowed_by_the_file_its_entry_command_leads_to(fake: FakeBackend) -> None:
    # `libreoffice` is a link to `soffice`, the name the app has on the bus and in `deskhand apps`.
    opener = launcher(fake, Policy(apps=("soffice",)), Sinks())
    assert opener.open_app("LibreOffice Calc") == "zenity"


def test_the_program_names_follow_the_command_s_links(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = tmp_path / "lib" / "soffice"
    real.parent.mkdir()
    real.write_text("#!/bin/sh\n")
    real.chmod(0o755)
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "libreoffice").symlink_to(real)
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    opener = DesktopLauncher(Desktop(FakeBackend({})), None)
    assert opener.program_names("libreoffice") == ("libreoffice", "soffice")
    assert opener.program_names("no-such-program-here") == ()


def test_a_running_app_is_known_by_the_program_its_process_runs(tmp_path: Path) -> None:
    assert runs_program_of(os.getpid(), sys.executable)
    assert not runs_program_of(os.getpid(), shutil.which("ls") or "/bin/ls")
    beside = tmp_path / "wrapper"  # a script next to the binary the process runs is the same app
    assert not runs_program_of(os.getpid(), str(beside))
    assert not runs_program_of(os.getpid(), "")
