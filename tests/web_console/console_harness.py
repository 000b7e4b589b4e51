"""Starting `deskhand serve` as a real process over a home, for the console tests."""

from __future__ import annotations

import os
import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path

from console_seed import SECRET, Seeded
from playwright.sync_api import Page

CHROMIUM = "/usr/bin/chromium"
TOKEN = "console-test-token-0123456789"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Served:
    url: str
    token: str
    seeded: Seeded
    process: subprocess.Popen[str]

    def bearer(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def console_env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DESKHAND_")}
    src = str(Path(__file__).resolve().parents[2] / "src")
    return env | {
        "DESKHAND_HOME": str(home),
        "DESKHAND_SECRET_CRM_PASSWORD": SECRET,
        "PYTHONPATH": src + os.pathsep + env.get("PYTHONPATH", ""),
        **extra,
    }


def log_in(page: Page, served: Served) -> None:
    page.goto(f"{served.url}/runs")
    page.get_by_label("Token").fill(served.token)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{served.url}/runs")
