"""What the agent's observation costs, against the raw tree, and what the lock saves, on real apps.

    python benchmarks/observation.py           a table
    python benchmarks/observation.py --json    {"apps": [{"app", "raw_tokens", "obs_tokens", "ratio",
                                                "fields_shown"}], "turn_overhead_ms": x,
                                                "turn_with_tools_ms": x, "replay_speedup": x, ...}

On a private virtual desktop, per app used in the tests (the Qt form, a zenity form, the 20-field Chromium
page tests/fixtures/web/form.html): tokens of the first observation the model gets (agent.observe, default
budget) against the raw JSON dump of the same tree (tree.serialize), counted with models.tokens
(``TOKENIZER_NAME``: cl100k_base, GPT-4's BPE, vocabulary shipped offline). The run fails unless the
observation shows every field of the form (by its name where it has one). ``turn_overhead_ms`` is the median
time deskhand spends per agent turn observing (snapshot, outline, diff, pruning) and building the request;
``turn_with_tools_ms`` adds the tool calls' own time (resolution, action, read-back): the whole turn but the
model. ``replay_speedup`` is a free-form step filling the Qt form, run by the agent in as many model calls as
the real agent test needs, each call's latency drawn from a stated lognormal distribution, against the replay
of the same step from the lock (no model)."""

from __future__ import annotations

import argparse
import json
import math
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from deskhand.agent.loop import AgentLoop
from deskhand.agent.observe import Observer
from deskhand.agent.tools import ToolBox
from deskhand.app.launcher import DesktopLauncher
from deskhand.backends.atspi.backend import AtspiBackend
from deskhand.locate.desktop import Desktop
from deskhand.models.scripted import ScriptedModel
from deskhand.models.tokens import TOKENIZER_NAME, count_tokens
from deskhand.policy.guard import Guard, GuardedBackend
from deskhand.policy.rules import Policy
from deskhand.runner.free_form import AgentSolver
from deskhand.runner.run import Runner
from deskhand.runs.store import RunStore
from deskhand.sandbox import LaunchedApp, VirtualDesktop
from deskhand.tree.serialize import node_to_dict
from deskhand.tree.snapshot import RefTable, render
from deskhand.workflows.parse import load_workflow

sys.path.insert(0, str(Path(__file__).resolve().parent))  # run as a script: snapshot.py sits beside it
from snapshot import load_page_server

REPO = Path(__file__).resolve().parent.parent
QT_FORM = REPO / "tests" / "apps" / "qt_form.py"
ZENITY_FORM = ["zenity", "--forms", "--title=Add contact", "--add-entry=Name", "--add-entry=Email"]
TURNS = 3  # model calls the real agent test's free-form step needs (tests/integration/test_agent_free_form.py)
MODEL_MEDIAN_S = 1.5
MODEL_SIGMA = 0.5
SEED = 12
WORKFLOW = """---
name: bench-signup
---
1. Switch to "deskhand Qt form"
2. Sign up Grace Hopper, grace@example.org, on the Enterprise plan for 12 seats with the newsletter
"""


FIELD_ROLES = frozenset({"textbox", "spinbutton", "combobox", "checkbox", "radio", "slider", "listbox", "searchbox"})


def token_row(desktop: Desktop, label: str, app_name: str) -> dict[str, Any]:
    tree = desktop.snapshot(app_name)
    raw = count_tokens(json.dumps(node_to_dict(tree), ensure_ascii=False))
    observation = Observer(desktop, RefTable()).observe(app_name)
    # A smaller view is worth nothing if it drops what the model must fill: every named field must be in it.
    # The form's fields: in a browser those of the page (the window's resize handles are no part of it).
    pages = [n for n in tree.walk() if n.role == "document"]
    fields = [n for root in (pages or [tree]) for n in root.walk() if n.role in FIELD_ROLES]
    missing = sorted(n.name for n in fields if n.name and f'"{n.name}' not in observation.text)
    shown = sum(1 for line in observation.text.splitlines() if line.strip(" -+~").split(" ", 1)[0] in FIELD_ROLES)
    if missing or not fields or shown < len(fields):
        raise SystemExit(f"the observation of {label} shows {shown} of {len(fields)} fields; leaves out {missing}")
    return {
        "app": label,
        "raw_tokens": raw,
        "obs_tokens": observation.tokens,
        "ratio": round(observation.tokens / raw, 3),
        "fields_shown": len(fields),
    }


def qt_refs(desktop: Desktop, app_name: str) -> dict[str, str]:
    """Short refs of the Qt form's fields, as the agent's first observation numbers them."""
    refs = RefTable()
    render(desktop.snapshot(app_name), refs)
    wanted = {"Name": "textbox", "Email": "textbox", "Seats": "spinbutton", "Subscribe to newsletter": "checkbox"}
    out: dict[str, str] = {}
    for node in desktop.snapshot(app_name).walk():
        if wanted.get(node.name) == node.role or (node.role == "combobox" and "Plan" not in out):
            short = refs.lookup(node.ref)
            if short is not None:
                out["Plan" if node.role == "combobox" else node.name] = short
    return out


def qt_script(refs: dict[str, str], delays: list[float] | None = None) -> list[dict[str, Any]]:
    """The replies a model gives to fill the form in TURNS model calls, as many as the real agent test's
    free-form step needs (tests/integration/test_agent_free_form.py: 3): two fields, the rest, then done."""
    first = [
        {"name": "fill", "arguments": {"ref": refs["Name"], "text": "Grace Hopper"}},
        {"name": "fill", "arguments": {"ref": refs["Email"], "text": "grace@example.org"}},
    ]
    second = [
        {"name": "select", "arguments": {"ref": refs["Plan"], "option": "Enterprise"}},
        {"name": "fill", "arguments": {"ref": refs["Seats"], "text": "12"}},
        {"name": "check", "arguments": {"ref": refs["Subscribe to newsletter"], "on": True}},
    ]
    done = [{"name": "done", "arguments": {"summary": "Signed up."}}]
    replies: list[dict[str, Any]] = [{"tool_calls": calls} for calls in (first, second, done)]
    for reply, delay in zip(replies, delays or [], strict=False):
        reply["delay_s"] = delay
    return replies


def model_latencies(count: int, seed: int) -> list[float]:
    """Seconds per model call: lognormal with median MODEL_MEDIAN_S and sigma MODEL_SIGMA (hosted models'
    latencies are skewed: most calls near the median, a long tail of slow ones)."""
    rng = random.Random(seed)
    return [rng.lognormvariate(math.log(MODEL_MEDIAN_S), MODEL_SIGMA) for _ in range(count)]


def launch_qt(virtual: VirtualDesktop) -> LaunchedApp:
    return virtual.launch([sys.executable, str(QT_FORM)], timeout=30)


def turn_overhead(virtual: VirtualDesktop, desktop: Desktop) -> tuple[float, float]:
    """Per agent turn on the Qt form, the model answering at once, over a few sessions: the median time
    deskhand spends observing and building the request, and the mean whole turn including the tool calls'
    own time (locator resolution, the action, its read-back) — everything but the model."""
    observing: list[float] = []
    whole: list[float] = []
    for _ in range(3):
        app = launch_qt(virtual)
        model = ScriptedModel(qt_script(qt_refs(desktop, app.name)))
        started = time.perf_counter()
        result = AgentLoop(model).run("Fill the form", ToolBox(desktop, RefTable(), app=app.name))
        whole.append((time.perf_counter() - started) * 1000 / TURNS)
        observing.extend(result.overhead_ms)
        virtual.stop_app(app)
    return statistics.median(observing), statistics.median(whole)


def replay_speedup(virtual: VirtualDesktop, desktop: Desktop, folder: Path) -> tuple[float, float, float]:
    """Agent run (scripted model at MODEL_DELAY_S per call) against the replay of its lock: seconds, seconds, x."""
    workflow = folder / "signup.md"
    workflow.write_text(WORKFLOW)
    with RunStore(folder / "runs.db") as store:
        runner = Runner(desktop, DesktopLauncher(desktop, virtual), store, timeout=5.0, capture=False)
        app = launch_qt(virtual)
        model = ScriptedModel(qt_script(qt_refs(desktop, app.name), model_latencies(TURNS, SEED)))
        runner.free_form = AgentSolver(model, recorder=store)
        started = time.perf_counter()
        first = runner.run(load_workflow(workflow), {})
        agent_s = time.perf_counter() - started
        virtual.stop_app(app)
        app = launch_qt(virtual)
        started = time.perf_counter()
        second = runner.run(load_workflow(workflow), {})
        replay_s = time.perf_counter() - started
        virtual.stop_app(app)
    if first.status != "succeeded" or second.status != "succeeded" or second.model_calls:
        raise SystemExit(f"the replay benchmark's runs did not go as planned: {first.error or second.error}")
    return agent_s, replay_s, agent_s / replay_s


def measure() -> dict[str, Any]:
    with load_page_server().serve_pages() as site, VirtualDesktop() as virtual, tempfile.TemporaryDirectory() as tmp:
        # Everything goes through the policy guard, as in a real run.
        policy = Policy(apps=("qt_form.py", "zenity", "chromium"), sites=(site.base,))
        backend = GuardedBackend(AtspiBackend(virtual.a11y_address, display=virtual.display), Guard(policy=policy))
        desktop = Desktop(backend, timeout=10.0)
        try:
            rows = []
            qt = launch_qt(virtual)
            rows.append(token_row(desktop, "qt form", qt.name))
            virtual.stop_app(qt)
            zenity = virtual.launch(ZENITY_FORM)
            rows.append(token_row(desktop, "zenity form", zenity.name))
            virtual.stop_app(zenity)
            browser = virtual.launch_chromium(site.url("form.html"))
            desktop.app(browser.name).get_by_role("button", name="Submit").wait_for(timeout=30)
            rows.append(token_row(desktop, "chromium 20-field form", browser.name))
            virtual.stop_app(browser)
            overhead, whole_turn = turn_overhead(virtual, desktop)
            agent_s, replay_s, speedup = replay_speedup(virtual, desktop, Path(tmp))
        finally:
            desktop.close()
    return {
        "apps": rows,
        "turn_overhead_ms": round(overhead, 2),
        "turn_with_tools_ms": round(whole_turn, 1),
        "model_latency": f"lognormal, median {MODEL_MEDIAN_S:g} s, sigma {MODEL_SIGMA:g}, seed {SEED}",
        "turns": TURNS,
        "replay_speedup": round(speedup, 1),
        "tokenizer": TOKENIZER_NAME,
        "agent_run_s": round(agent_s, 2),
        "replay_run_s": round(replay_s, 2),
    }


def print_table(report: dict[str, Any]) -> None:
    print(f"{'app':<26}{'raw tokens*':>12}{'obs tokens*':>12}{'ratio':>8}{'fields shown':>14}")
    for row in report["apps"]:
        print(
            f"{row['app']:<26}{row['raw_tokens']:>12}{row['obs_tokens']:>12}{row['ratio']:>8.3f}"
            f"{row['fields_shown']:>14}"
        )
    print(f"* tokens counted with {report['tokenizer']}")
    print(f"per turn, observing and building the request: {report['turn_overhead_ms']} ms")
    print(f"per turn, with the tool calls' own time (resolution, action, read-back): {report['turn_with_tools_ms']} ms")
    print(
        f"replay: agent {report['agent_run_s']} s ({report['turns']} model calls, {report['model_latency']}) "
        f"vs lock {report['replay_run_s']} s = {report['replay_speedup']}x"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    report = measure()
    if parser.parse_args().json:
        print(json.dumps(report))
    else:
        print_table(report)


if __name__ == "__main__":
    main()
