"""retries: in the front matter, through the Runner on the fake backend: passing failures are tried again
with backoff and each try is recorded; business failures and tries that already acted never are."""

from __future__ import annotations

from pathlib import Path

from notice_bench import Launcher, backend, form, write

from deskhand.backends.fake import FakeBackend
from deskhand.errors import AppNotFound, BackendUnavailable, NodeGone, PolicyDenied
from deskhand.locate.desktop import Desktop
from deskhand.runner.run import Runner
from deskhand.runs.store import RunStore
from deskhand.workflows.parse import load_workflow

HEAD = "---\nname: signup\napps: [form]\nretries: {attempts: 3, backoff: 2s}\n---\n"


def runner(store: RunStore, fake: FakeBackend, launcher: Launcher, waits: list[float]) -> Runner:
    return Runner(Desktop(fake, timeout=0.3), launcher, store, timeout=0.5, capture=False, sleep=waits.append)


def attempts(store: RunStore, run_id: str) -> list[dict[str, object]]:
    return [event.data for event in store.get_run(run_id).events if event.kind == "attempt"]


def test_app_not_up_yet_is_retried_with_doubling_backoff(tmp_path: Path) -> None:
    with RunStore(tmp_path / "runs.db") as store:
        waits: list[float] = []
        launcher = Launcher(missing=2)
        flow = load_workflow(write(tmp_path / "w.md", HEAD + '1. Open form\n2. Click "Submit"\n'))
        outcome = runner(store, backend(), launcher, waits).run(flow, {})
        assert outcome.status == "succeeded"
        assert outcome.steps[0].attempts == 3
        assert launcher.opened == 3
        assert waits == [2.0, 4.0]
        tries = attempts(store, outcome.run_id)
        seen = [(t["attempt"], t["error"], t["retry"]) for t in tries]
        assert seen == [(1, "AppNotFound", True), (2, "AppNotFound", True)]


def test_retries_run_out_and_the_run_fails_with_every_try_recorded(tmp_path: Path) -> None:
    with RunStore(tmp_path / "runs.db") as store:
        waits: list[float] = []
        flow = load_workflow(write(tmp_path / "w.md", HEAD + "1. Open form\n"))
        outcome = runner(store, backend(), Launcher(missing=5), waits).run(flow, {})
        assert outcome.status == "failed"
        assert outcome.steps[0].attempts == 3
        assert [t["retry"] for t in attempts(store, outcome.run_id)] == [True, True, False]


def test_without_retries_a_passing_failure_fails_at_once(tmp_path: Path) -> None:
    with RunStore(tmp_path / "runs.db") as store:
        waits: list[float] = []
        launcher = Launcher(missing=1)
        flow = load_workflow(write(tmp_path / "w.md", "---\nname: signup\napps: [form]\n---\n1. Open form\n"))
        outcome = runner(store, backend(), launcher, waits).run(flow, {})
        assert outcome.status == "failed"
        assert (launcher.opened, waits, attempts(store, outcome.run_id)) == (1, [], [])


class GoneOnce(FakeBackend):
    """The browser's connection drops under the first look (before anything was sent), or the window vanishes
    under the click."""

    def __init__(self, *, in_click: bool) -> None:
        super().__init__({"form": form()})
        self.in_click = in_click
        self.gone = 1

    def snapshot(self, app_ref: str):  # type: ignore[no-untyped-def]
        if not self.in_click and self.gone:
            self.gone -= 1
            raise BackendUnavailable("The browser's debugging connection closed.")
        return super().snapshot(app_ref)

    def click(self, ref: str, *, button: str = "left", count: int = 1) -> None:  # type: ignore[override]
        if self.in_click and self.gone:
            self.gone -= 1
            self._record("click", ref, button, count)
            raise NodeGone("The window closed during the click.")
        super().click(ref, button=button, count=count)  # type: ignore[arg-type]


def test_connection_lost_before_acting_is_retried_and_the_click_happens_once(tmp_path: Path) -> None:
    with RunStore(tmp_path / "runs.db") as store:
        fake = GoneOnce(in_click=False)
        flow = load_workflow(write(tmp_path / "w.md", HEAD + '1. Open form\n2. Click "Submit"\n'))
        outcome = runner(store, fake, Launcher(), []).run(flow, {})
        assert outcome.status == "succeeded"
        assert outcome.steps[1].attempts == 2
        assert len(fake.calls("click")) == 1


def test_window_gone_during_the_click_is_never_retried(tmp_path: Path) -> None:
    with RunStore(tmp_path / "runs.db") as store:
        fake = GoneOnce(in_click=True)
        flow = load_workflow(write(tmp_path / "w.md", HEAD + '1. Open form\n2. Click "Submit"\n'))
        outcome = runner(store, fake, Launcher(), []).run(flow, {})
        assert outcome.status == "failed"
        assert len(fake.calls("click")) == 1
        assert attempts(store, outcome.run_id) == [
            {
                "attempt": 1,
                "error": "NodeGone",
                "message": "The window closed during the click.",
                "acted": True,
                "retry": False,
                "wait_s": None,
            }
        ]


def test_business_failures_are_never_retried(tmp_path: Path) -> None:
    steps = {
        "expect": '1. Open form\n2. Expect "Name" to show "Ada"\n',
        "no match": '1. Open form\n2. Click "Nowhere"\n',
    }
    with RunStore(tmp_path / "runs.db") as store:
        for name, body in steps.items():
            waits: list[float] = []
            flow = load_workflow(write(tmp_path / "w.md", HEAD + body))
            outcome = runner(store, backend(), Launcher(), waits).run(flow, {})
            assert (name, outcome.status, outcome.steps[1].attempts, waits) == (name, "failed", 1, [])
            assert [t["retry"] for t in attempts(store, outcome.run_id)] == [False]


class RefusingLauncher(Launcher):
    def open_app(self, name: str) -> str:
        self.opened += 1
        raise PolicyDenied(f"{name!r} is not in this workflow's apps.")


class NotInstalled(Launcher):
    def open_app(self, name: str) -> str:
        self.opened += 1
        raise AppNotFound(name, ["mousepad"], installed=True)


def test_an_app_that_is_not_installed_is_not_waited_for(tmp_path: Path) -> None:
    with RunStore(tmp_path / "runs.db") as store:
        waits: list[float] = []
        launcher = NotInstalled()
        flow = load_workflow(write(tmp_path / "w.md", HEAD + "1. Open form\n"))
        outcome = runner(store, backend(), launcher, waits).run(flow, {})
        assert (outcome.status, outcome.steps[0].attempts, launcher.opened, waits) == ("failed", 1, 1, [])


def test_a_blocked_action_is_never_retried(tmp_path: Path) -> None:
    with RunStore(tmp_path / "runs.db") as store:
        waits: list[float] = []
        launcher = RefusingLauncher()
        flow = load_workflow(write(tmp_path / "w.md", HEAD + "1. Open form\n"))
        outcome = runner(store, backend(), launcher, waits).run(flow, {})
        assert (outcome.steps[0].status, outcome.steps[0].attempts, launcher.opened, waits) == ("blocked", 1, 1, [])
