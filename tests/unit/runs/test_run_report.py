from __future__ import annotations

import base64
import re
from pathlib import Path

from deskhand.runs.report import write_report
from deskhand.runs.store import RunStore

HOSTILE = "<script>alert('x')</script>"


def test_the_report_is_self_contained_and_escapes_everything(store: RunStore, tiny_png: bytes) -> None:
    run_id = store.start_run("flow.md", f"Flow {HOSTILE}", {"name": HOSTILE})
    store.start_step(run_id, 1, "Open Mousepad")
    store.finish_step(run_id, 1, "succeeded", 300, healed=True, screenshot_png=tiny_png, snapshot_text="[frame] Main")
    store.start_step(run_id, 2, f"Type {HOSTILE} into the body")
    store.finish_step(run_id, 2, "blocked", 12, reason="Policy: mousepad may not type here")
    store.record_model_call(run_id, 2, "anthropic", "claude", 1234, 56, 700, 0.002)
    store.record_event(run_id, 2, "policy", {"decision": "deny", "why": HOSTILE})
    store.finish_run(
        run_id,
        "failed",
        {
            "step": 2,
            "message": "No text field named Body",
            "suggestion": "Name the field as shown",
            "looked_for": "text field named 'Body'",
            "candidates": ["text field 'Text'", HOSTILE],
            "rewrite": "Type {name} into the Text field",
        },
    )

    path = write_report(store, run_id)

    assert path == store.artifacts_root / run_id / "report.html"
    html = path.read_text()
    assert "Open Mousepad" in html and "Type &lt;script&gt;" in html
    assert "<script" not in html.lower()
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert f'src="data:image/png;base64,{base64.b64encode(tiny_png).decode()}"' in html
    assert "healed" in html and "Policy: mousepad may not type here" in html
    assert "<details><summary>Accessibility snapshot</summary><pre>[frame] Main</pre></details>" in html
    assert "text field named &#39;Body&#39;" in html and "Type {name} into the Text field" in html
    assert "1234 tokens in" in html
    # Nothing is fetched from elsewhere: every src/href is a data URI or a fragment.
    assert all(ref.startswith(("data:", "#")) for ref in re.findall(r'(?:src|href)="([^"]*)"', html))
    assert store.get_run(run_id).to_json()["report"] == str(path)


def test_a_report_of_a_run_still_going_renders(store: RunStore) -> None:
    run_id = store.start_run("flow.md", "Flow", {})
    store.start_step(run_id, 1, "Open Mousepad")
    html = Path(write_report(store, run_id)).read_text()
    assert "running" in html and "Open Mousepad" in html
