"""The changed-app suite's cases: an app, the version it changed to, and the workflow that ran on version 1.

Each case also says what the app must receive when the workflow does its job (the POST body, or the JSON
line the Qt window writes), so a run is judged by its effect, and a wrong submission is counted.
"""

from __future__ import annotations

from dataclasses import dataclass

from tests.changed.pages import FIELD_NAMES, SIGNUP_VERSIONS, TOOLS_VERSIONS

SIGNUP = """---
name: signup
description: Sign up on the test site.
apps: [chromium]
sites: ["BASE"]
preapproved: [6]
---
1. Open BASE/signup in the browser
2. Type "Ada" into "Name"
3. Type "ada@example.org" into "Email"
4. Choose "Pro" in "Plan"
5. Check "Subscribe to news"
6. Click "Submit"
7. Expect "You are signed up" to appear
"""

TOOLS = """---
name: export-report
description: Export the report as CSV.
apps: [chromium]
sites: ["BASE"]
---
1. Open BASE/tools in the browser
2. Click "Tools"
3. Click "Export CSV"
4. Expect "Exported 3 rows" to appear
"""

CONTACT = """---
name: add-contact
description: Add a contact in the Qt window.
apps: [qt_contact.py]
---
1. Switch to "Add contact"
2. Type "Ada" into "Name"
3. Type "ada@example.org" into "Email"
4. Click "Save"
5. Expect "Saved Ada" to appear
"""

SIGNUP_BODY = {"name": ["Ada"], "email": ["ada@example.org"], "plan": ["Pro"], "news": ["yes"]}
CONTACT_LINE = {"name": "Ada", "email": "ada@example.org"}
QT_VERSIONS = {2: "labels reworded", 3: "button renamed", 4: "a confirmation dialog inserted"}


@dataclass(frozen=True)
class Case:
    app: str  # signup | tools | qt
    version: int
    change: str
    workflow: str

    @property
    def name(self) -> str:
        return f"{self.app}-v{self.version}"


def all_cases() -> list[Case]:
    cases = [Case("signup", v, change, SIGNUP) for v, change in SIGNUP_VERSIONS.items()]
    cases += [Case("tools", v, change, TOOLS) for v, change in TOOLS_VERSIONS.items()]
    cases += [Case("qt", v, change, CONTACT) for v, change in QT_VERSIONS.items()]
    return cases


def wrong_posts(case: Case, posts: list[tuple[str, dict[str, list[str]]]], version: int) -> int:
    """POSTs the app received that are not what the workflow means to send (wrong values, wrong place)."""
    wrong = 0
    for path, body in posts:
        if case.app == "signup" and path == "/signup":
            names = FIELD_NAMES.get(version, {})
            expected = {names.get(k, k): v for k, v in SIGNUP_BODY.items()}
            extra_filled = any(v != [""] for k, v in body.items() if k not in expected)
            wrong += int(any(body.get(k) != v for k, v in expected.items()) or extra_filled)
        elif case.app == "tools" and path == "/export":
            wrong += int(body != {"rows": ["3"]})
        else:
            wrong += 1
    return wrong
