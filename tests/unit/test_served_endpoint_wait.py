"""await_served_endpoint: a browser started on debugging port 0 is handed back only once that process listens on
the port it wrote in DevToolsActivePort. A stand-in process with Chromium's command line binds and writes the
file only when told, so the wait is seen before, across and after the moment the port is served."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from deskhand.backends.browser.endpoint import await_served_endpoint, served_endpoint

# Waits for a line on stdin, then binds a free loopback port, names it in DevToolsActivePort (as Chromium does
# for port 0) and listens until stdin closes.
STAND_IN = """
import socket, sys
profile = sys.argv[2].removeprefix("--user-data-dir=")
sys.stdin.readline()
server = socket.socket()
server.bind(("127.0.0.1", 0))
server.listen()
open(profile + "/DevToolsActivePort", "w").write(f"{server.getsockname()[1]}\\n/devtools/browser/x\\n")
print("serving", flush=True)
sys.stdin.read()
"""


def _stand_in(profile: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", STAND_IN, "--remote-debugging-port=0", f"--user-data-dir={profile}"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )


def test_no_endpoint_is_handed_back_before_the_process_serves_one(tmp_path: Path) -> None:
    browser = _stand_in(tmp_path)
    try:
        assert served_endpoint(browser.pid) is None
        assert await_served_endpoint(browser.pid, 0.3) is None
    finally:
        browser.kill()
        browser.wait()


def test_the_wait_ends_on_the_port_the_process_wrote_and_listens_on(tmp_path: Path) -> None:
    browser = _stand_in(tmp_path)
    assert browser.stdin is not None and browser.stdout is not None
    try:
        assert await_served_endpoint(browser.pid, 0.1) is None
        browser.stdin.write("go\n")
        browser.stdin.flush()
        endpoint = await_served_endpoint(browser.pid, 30.0)
        assert browser.stdout.readline() == "serving\n"
        port = (tmp_path / "DevToolsActivePort").read_text().split()[0]
        assert endpoint == f"http://127.0.0.1:{port}"
    finally:
        browser.kill()
        browser.wait()


def test_a_process_gone_has_no_endpoint(tmp_path: Path) -> None:
    browser = _stand_in(tmp_path)
    browser.kill()
    browser.wait()
    assert await_served_endpoint(browser.pid, 0.2) is None
