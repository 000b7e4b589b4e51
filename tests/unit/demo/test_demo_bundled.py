"""The bundled sample contacts and workflows fit the CRM they are meant for."""

from __future__ import annotations

from pathlib import Path

import pytest
from crm_client import CrmClient
from html_outline import outline

from deskhand.demo.bundled import CONTACT_COLUMNS, contacts_csv_path, read_contact_rows, workflow_path
from deskhand.demo.contacts import PLANS, ContactDraft, validate_form
from deskhand.errors import InputError
from deskhand.workflows.actions import Click, Target, WaitFor
from deskhand.workflows.parse import load_workflow

EXAMPLES = Path(__file__).parents[3] / "examples" / "workflows"


def test_the_sample_has_five_valid_contacts_with_distinct_emails() -> None:
    rows = read_contact_rows()

    assert len(rows) == 5
    assert all(tuple(row) == CONTACT_COLUMNS for row in rows)
    assert len({row["email"].casefold() for row in rows}) == 5
    for row in rows:
        form = {**row, "newsletter": "yes"} if row["newsletter"] == "true" else dict(row)
        assert isinstance(validate_form(form), ContactDraft), row


def test_every_sample_contact_subscribes_to_the_newsletter() -> None:
    # add-contact always ticks the box: the step language cannot tick it only for some rows.
    assert {row["newsletter"] for row in read_contact_rows()} == {"true"}


def test_a_csv_without_a_needed_column_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "contacts.csv"
    path.write_text("name,email\nAda,ada@example.com\n", encoding="utf-8")

    with pytest.raises(InputError, match="lacks the column") as caught:
        read_contact_rows(path)
    assert caught.value.line == 1
    assert "name,email,company" in caught.value.hint


def test_an_unknown_workflow_name_lists_the_known_ones() -> None:
    with pytest.raises(InputError, match="add-contact, write-summary"):
        workflow_path("add-contacts")


def test_add_contact_takes_the_csv_columns_as_inputs() -> None:
    workflow = load_workflow(workflow_path("add-contact"), allow_free_form=False)

    assert set(CONTACT_COLUMNS) <= set(workflow.inputs)
    assert workflow.inputs["plan"].choices == PLANS
    assert [name for name, spec in workflow.inputs.items() if spec.required] == ["name", "email"]
    assert workflow.inputs["crm_url"].default == "http://127.0.0.1:8765"
    assert workflow.apps == ("chromium",)
    assert workflow.sites == ("http://127.0.0.1",)


def test_add_contact_approves_only_the_save_click_in_advance() -> None:
    workflow = load_workflow(workflow_path("add-contact"), allow_free_form=False)

    approved = [step for step in workflow.steps if workflow.is_preapproved(step)]
    assert [step.action for step in approved] == [Click(Target("Save contact"))]


def test_add_contact_targets_what_the_crm_form_shows(client: CrmClient) -> None:
    workflow = load_workflow(workflow_path("add-contact"), allow_free_form=False)
    form = outline(client.get("/contacts/new").text)
    on_form = set(form.labels.values()) | set(form.buttons)

    targets = {target.text for step in workflow.steps if step.action for target in step.action.targets()}
    waits = [step.action.text for step in workflow.steps if isinstance(step.action, WaitFor)]

    assert targets <= on_form
    assert {"Full name", "Email", "Company", "Phone", "Plan", "Seats", "Save contact"} <= targets
    assert waits == ["New contact", "Contact saved"]
    assert ("h1", "New contact") in form.headings


def test_add_contact_waits_for_the_heading_the_saved_page_shows(client: CrmClient) -> None:
    client.save({"name": "Ada Lovelace", "email": "ada@example.com", "plan": "Pro"})

    assert ("h1", "Contact saved") in outline(client.get("/contacts/1?saved=1").text).headings


def test_write_summary_takes_a_summary_and_a_path() -> None:
    workflow = load_workflow(workflow_path("write-summary"), allow_free_form=False)

    assert {name: spec.required for name, spec in workflow.inputs.items()} == {"summary": True, "path": True}
    assert workflow.apps == ("mousepad",)
    assert [step.action.kind for step in workflow.steps if step.action] == [
        "open_app",
        "type_text",
        "save_as",
        "wait_for",
    ]


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*-*.md")), ids=lambda p: p.stem)
def test_examples_need_no_model_and_are_listed_in_the_readme(path: Path) -> None:
    workflow = load_workflow(path, allow_free_form=False)

    assert workflow.name == path.stem
    assert workflow.steps
    assert f"`{path.name}`" in (EXAMPLES / "README.md").read_text(encoding="utf-8")


def test_there_are_at_least_four_examples() -> None:
    assert len(list(EXAMPLES.glob("*-*.md"))) >= 4


def test_the_bundled_files_are_where_the_package_says() -> None:
    assert contacts_csv_path().is_file()
    assert workflow_path("write-summary").name == "write-summary.md"
