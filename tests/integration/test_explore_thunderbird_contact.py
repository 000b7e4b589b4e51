"""A new user's contact in Thunderbird's address book: name, email and (behind "Add organizational
properties") the organization, on the 1280x800 desktop `deskhand desktop up` makes. Evidence: the card
Thunderbird wrote to abook.sqlite.

The Organization field opens below the fold of the contact editor (a Gecko page placed past the screen's
bottom edge): it was taken as on screen, as only a place left of or above the screen was not, and the
click meant for it went where X keeps the pointer, on the edge. A place whose centre the pointer cannot
reach is scrolled to first.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from tests.integration.office import guarded_runner, workflow_file
from tests.integration.thunderbird import write_profile

from deskhand.workflows.parse import load_workflow

pytestmark = pytest.mark.desktop


def _card(profile: Path) -> dict[str, str]:
    with sqlite3.connect(profile / "abook.sqlite") as book:
        rows = book.execute("SELECT name, value FROM properties").fetchall()
    return {str(name): str(value) for name, value in rows}


def test_a_new_contact_with_its_organization_reaches_the_address_book(tmp_path: Path) -> None:
    steps = [
        'Switch to "Address Book"',
        'Click the first "New Contact"',
        'Type "Ada" into "First Name"',
        'Type "Lovelace" into "Last Name"',
        'Type "ada@example.org" into "Email"',
        'Click "Add organizational properties"',
        'Type "Analytical Engines Ltd" into "Organization"',
        'Click "Save"',
        'Wait until "ada@example.org" appears',
    ]
    with guarded_runner(size=(1280, 800)) as guarded:
        profile = write_profile(tmp_path / "thunderbird", smtp_port=9)  # read once Thunderbird has ended
        argv = ["env", "GNOME_ACCESSIBILITY=1", "thunderbird", "--no-remote", "--profile", str(profile)]
        guarded.virtual.launch([*argv, "-addressbook"], timeout=120)
        workflow = load_workflow(workflow_file(tmp_path, "contact", "thunderbird", steps), allow_free_form=False)
        outcome = guarded.runner.run(workflow, {})
        assert outcome.status == "succeeded", outcome.error
    card = _card(profile)  # Thunderbird keeps its address book locked while it runs
    assert {key: card.get(key) for key in ("FirstName", "LastName", "PrimaryEmail")} == {
        "FirstName": "Ada",
        "LastName": "Lovelace",
        "PrimaryEmail": "ada@example.org",
    }
    assert "ORG:Analytical Engines Ltd" in card["_vCard"].splitlines()
