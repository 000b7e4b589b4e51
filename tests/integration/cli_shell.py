"""Running deskhand's CLI as a person would, in a subprocess, against this checkout's source."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SRC = REPO / "src"


@dataclass(frozen=True)
class Ran:
    code: int
    out: str
    err: str

    def __str__(self) -> str:
        return f"exit {self.code}\n--- stdout\n{self.out}\n--- stderr\n{self.err}"


def cli_env(base: Mapping[str, str], **extra: str) -> dict[str, str]:
    """``base`` with this checkout's deskhand importable and the venv's scripts first on PATH."""
    env = {**base, **extra}
    env["PYTHONPATH"] = str(SRC)
    env["PATH"] = f"{Path(sys.executable).parent}:{env.get('PATH', os.defpath)}"
    return env


def deskhand(args: list[str], env: Mapping[str, str], *, cwd: Path, timeout: float = 180.0) -> Ran:
    done = subprocess.run(
        [sys.executable, "-m", "deskhand", *args],
        env=dict(env),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )
    return Ran(done.returncode, done.stdout, done.stderr)


def web_workflow(folder: Path, base: str, *, browser: str = "", apps: str = "chromium") -> Path:
    """A workflow that fills and submits the test form; the server keeps what was posted."""
    header = f"browser: {browser}\n" if browser else ""
    path = folder / "web.md"
    path.write_text(
        "---\nname: web\n"
        f"apps: [{apps}]\n"
        f'sites: ["{base}"]\n'
        f"{header}"
        'preapproved: [Click "Submit"]\n'
        "---\n"
        f"1. Open {base}/form.html in the browser\n"
        '2. Type "Ada" into "First name"\n'
        '3. Type "Lovelace" into "Last name"\n'
        '4. Choose "Japan" in "Country"\n'
        '5. Check "Accept terms"\n'
        '6. Click "Submit"\n'
    )
    return path
