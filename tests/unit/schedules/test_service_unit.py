"""`deskhand service install` writes a systemd user unit that runs deskhand's scheduler."""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.integration.cli_shell import cli_env, deskhand


def test_install_writes_a_unit_that_systemd_reads(tmp_path: Path) -> None:
    env = cli_env(os.environ, HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "config"))
    env["DESKHAND_HOME"] = str(tmp_path / "data with space")
    ran = deskhand(["service", "install"], env, cwd=tmp_path)
    assert ran.code == 0, ran
    unit = tmp_path / "config" / "systemd" / "user" / "deskhand.service"
    assert f"wrote {unit}" in ran.out
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(unit)
    service = parser["Service"]
    command = service["ExecStart"].split()
    assert command[:3] == [sys.executable, "-m", "deskhand"]
    assert command[3:] in (["schedule", "run-loop"], ["serve", "--host", "127.0.0.1"])
    assert service["Environment"] == f'"DESKHAND_HOME={tmp_path / "data with space"}" PYTHONUNBUFFERED=1'
    assert "DISPLAY" in service["PassEnvironment"].split()
    assert service["Restart"] == "on-failure"
    assert parser["Install"]["WantedBy"] == "default.target"
    printed = deskhand(["service", "install", "--print"], env, cwd=tmp_path)
    assert printed.code == 0 and printed.out == unit.read_text(encoding="utf-8")
    analyze = shutil.which("systemd-analyze")
    if analyze is not None:  # systemd's own reader, where the machine has it (Debian's systemd package)
        runtime = tmp_path / "runtime"
        runtime.mkdir(mode=0o700)
        checked = subprocess.run(
            [analyze, "verify", "--user", str(unit)],
            env={**env, "XDG_RUNTIME_DIR": str(runtime)},
            capture_output=True,
            text=True,
            check=False,
        )
        assert checked.returncode == 0, checked.stderr
