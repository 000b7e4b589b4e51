"""A new user's leave request in Firefox ESR: text, a <select>, a date, a number, a radio group chosen by
its legend, a check box and a text area, posted to a loopback site. Evidence: the POST body.

Two faults this found. Firefox renames its address bar "Search with Google or enter address" once it knows
its search engine (seen by the second run in a running Firefox): the guard no longer read the page's
address and hid the page (no "Employee" was found), and Open found no bar to type into. And
`Choose "Sick" in "Kind of leave"` took the legend's label to mean the first radio after it, clicked
"Annual", then looked for a list there.
"""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from tests.integration.loopback_site import Site, loopback_site
from tests.integration.office import Guarded, guarded_on, guarded_runner, workflow_file

from deskhand.workflows.parse import load_workflow

pytestmark = pytest.mark.desktop

FORM = b"""<!doctype html><title>Leave request</title><h1>Leave request</h1>
<form method=post action=/submit>
<label for=emp>Employee</label> <input id=emp name=employee>
<label for=dept>Department</label> <select id=dept name=dept><option>Sales<option>Engineering<option>Finance</select>
<label for=start>First day</label> <input type=date id=start name=start>
<label for=days>Days</label> <input type=number id=days name=days min=1 max=30>
<fieldset><legend>Kind of leave</legend>
<input type=radio id=k1 name=kind value=annual><label for=k1>Annual</label>
<input type=radio id=k2 name=kind value=sick><label for=k2>Sick</label>
<input type=radio id=k3 name=kind value=unpaid><label for=k3>Unpaid</label></fieldset>
<input type=checkbox id=cover name=cover value=yes><label for=cover>Cover arranged</label>
<label for=note>Note</label> <textarea id=note name=note></textarea>
<button type=submit>Send request</button></form>"""


def _run(guarded: Guarded, folder: Path, name: str, site: Site, steps: list[str]) -> None:
    header = f'browser: firefox\nsites: ["{site.url}"]\npreapproved: [{len(steps)}]\n'
    workflow = load_workflow(workflow_file(folder, name, "firefox", steps, header), allow_free_form=False)
    outcome = guarded.runner.run(workflow, {})
    assert outcome.status == "succeeded", outcome.error


def test_a_leave_request_in_a_running_firefox_posts_every_field(tmp_path: Path) -> None:
    with loopback_site(FORM) as site, guarded_runner() as guarded:
        _run(guarded, tmp_path, "first", site, [f"Open {site.url}/ in Firefox", 'Wait until "Leave request" appears'])
        steps = [
            f"Open {site.url}/ in Firefox",
            'Type "Grace Hopper" into "Employee"',
            'Choose "Engineering" in "Department"',
            'Type "2026-12-21" into "First day"',
            'Type "4" into "Days"',
            'Choose "Sick" in "Kind of leave"',
            'Check "Cover arranged"',
            'Type "Back on the 28th" into "Note"',
            'Click "Send request"',
        ]
        with guarded_on(guarded.virtual) as second:  # a second run, as a new `deskhand run` in a running Firefox
            _run(second, tmp_path, "leave", site, steps)
        deadline = time.monotonic() + 15
        while not site.posts and time.monotonic() < deadline:
            time.sleep(0.1)
    assert site.posts, "the form was never posted"
    assert parse_qs(site.posts[-1]) == {
        "employee": ["Grace Hopper"],
        "dept": ["Engineering"],
        "start": ["2026-12-21"],
        "days": ["4"],
        "kind": ["sick"],
        "cover": ["yes"],
        "note": ["Back on the 28th"],
    }
