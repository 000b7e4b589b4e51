"""A deskhand home with real history for the console to show: runs made by the real Runner (over a
FakeBackend whose form changes between versions: heals, a failure with its diagnosis, a batch), an approval
waiting in the queue, and notices delivered and not."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from PIL import Image

from deskhand.backends.fake import FakeBackend
from deskhand.locate.desktop import Desktop
from deskhand.policy.approval import ApprovalRequest, FieldValue
from deskhand.policy.approval_queue import ApprovalQueue
from deskhand.runner.run import Runner
from deskhand.runs.outbox import Outbox
from deskhand.runs.store import RunStore
from deskhand.tree.node import Bounds, Node
from deskhand.workflows.parse import load_workflow

SHOWN = frozenset({"visible", "showing", "enabled", "sensitive", "focusable"})
EDITABLE = SHOWN | {"editable"}
# A secret the console must never show: the server process knows it as DESKHAND_SECRET_CRM_PASSWORD.
SECRET = "hunter2-do-not-show"

SIGNUP = """---
name: signup
description: Sign up.
apps: [form]
---
1. Open form
2. Type "Ada" into "Name"
3. Type "ada@example.org" into "Email"
4. Click "Submit"
"""

BROKEN = """---
name: newsletter
description: Subscribe.
apps: [form]
---
1. Open form
2. Type "Ada" into "Name"
3. Click "Subscribe now"
"""


def _n(ref: str, role: str, name: str, box: tuple[int, int, int, int], **fields: object) -> Node:
    fields.setdefault("states", SHOWN)
    attrs = fields.pop("attrs", None)
    if isinstance(attrs, dict):
        fields["attributes"] = MappingProxyType(attrs)
    return Node(ref=ref, role=role, name=name, bounds=Bounds(*box), **fields)  # type: ignore[arg-type]


def signup(version: int) -> Node:
    email = "E-mail address" if version >= 2 else "Email"
    return _n(
        "win",
        "window",
        "Sign up",
        (0, 0, 800, 600),
        states=SHOWN | {"active"},
        children=(
            _n("name", "textbox", "Name", (40, 60, 300, 28), value="", states=EDITABLE, attrs={"id": "name"}),
            _n("email", "textbox", email, (40, 110, 300, 28), value="", states=EDITABLE, attrs={"id": "email"}),
            _n("submit", "button", "Submit", (40, 170, 120, 32), attrs={"type": "button"}),
        ),
    )


class _Launcher:
    def open_app(self, name: str) -> str:
        return name

    def open_url(self, url: str, browser: str = "") -> str:
        return "browser"


def png(width: int = 800, height: int = 600) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "#dde").save(buffer, format="PNG")
    return buffer.getvalue()


@dataclass
class Seeded:
    home: Path
    signup_path: Path
    contact_path: Path
    outcomes: dict[str, dict[str, object]]  # run id → what the Runner returned, as `deskhand run --json` prints it
    succeeded: str
    healed: str
    failed: str
    batch_id: str
    batch_runs: list[str]
    approval_id: str
    approval_digest: str
    undelivered: int


def seed(home: Path) -> Seeded:
    home.mkdir(parents=True, exist_ok=True)
    backend = FakeBackend({"form": signup(1)})
    store = RunStore(home / "runs.db")
    try:
        outcomes: dict[str, dict[str, object]] = {}
        runner = Runner(Desktop(backend, timeout=0.5), _Launcher(), store, timeout=2.0, capture=True)
        signup_path = home / "signup.md"
        signup_path.write_text(SIGNUP, encoding="utf-8")
        first = runner.run(load_workflow(signup_path), {})
        assert first.status == "succeeded", first.error
        batch_id = store.create_batch(signup_path, 3)
        batch_runs = []
        for row in range(3):
            outcome = runner.run(load_workflow(signup_path), {}, batch_id=batch_id, row=row, use_lock=False)
            store.mark_row(batch_id, row, outcome.run_id, outcome.status)
            batch_runs.append(outcome.run_id)
            outcomes[outcome.run_id] = outcome.to_json()
        contact_path = home / "contact.md"
        contact_path.write_text(SIGNUP.replace("name: signup", "name: contact"), encoding="utf-8")
        contact_first = runner.run(load_workflow(contact_path), {})
        assert contact_first.status == "succeeded"
        backend.set_app("form", signup(2))
        healed = runner.run(load_workflow(signup_path), {})
        assert healed.steps[2].healed, healed.to_json()
        healed_too = runner.run(load_workflow(contact_path), {})
        assert healed_too.steps[2].healed, healed_too.to_json()
        broken_path = home / "newsletter.md"
        broken_path.write_text(BROKEN, encoding="utf-8")
        failed = runner.run(load_workflow(broken_path), {})
        assert failed.status == "failed"
        for each in (first, contact_first, healed, healed_too, failed):
            outcomes[each.run_id] = each.to_json()
    finally:
        store.close()
    request = ApprovalRequest(
        run_id=first.run_id,
        step=3,
        sentence='Click "Submit"',
        action="submit",
        target='button "Submit"',
        reason="Submitting a form cannot be undone.",
        fields=(FieldValue("Name", "textbox", "Ada"), FieldValue("Password", "textbox", SECRET)),
        digest="d1e5" * 16,
        screenshot_png=png(),
        method="post",
        destination="http://127.0.0.1:9/signup",
        sent=(FieldValue("name", "", "Ada"), FieldValue("token", "", "hidden-42")),
    )
    approval_id = ApprovalQueue(home / "approvals.db").submit(request)
    outbox = Outbox(home / "runs.db")
    common = {"workflow": "newsletter", "step": 2, "kind": "failed", "attachment": None}
    undelivered = outbox.add(
        run_id=failed.run_id,
        group_key="newsletter:2:failed",
        title="newsletter failed at step 2",
        body="Nothing called 'Subscribe now'.",
        urls=["json://127.0.0.1:9/"],
        status="undelivered",
        **common,  # type: ignore[arg-type]
    )
    outbox.add(
        run_id=failed.run_id,
        group_key="newsletter:2:failed:old",
        title="newsletter failed at step 2 (earlier)",
        body="...",
        urls=["json://127.0.0.1:9/"],
        status="delivered",
        **common,  # type: ignore[arg-type]
    )
    return Seeded(
        home,
        signup_path,
        contact_path,
        outcomes,
        first.run_id,
        healed.run_id,
        failed.run_id,
        batch_id,
        batch_runs,
        approval_id,
        request.digest,
        undelivered,
    )
