"""Saving a contact through the form: the redirect, validation messages and the duplicate guard."""

from __future__ import annotations

import threading
import urllib.parse

import pytest
from crm_client import CrmClient
from html_outline import outline

from deskhand.demo.server import CrmServer


def test_a_valid_contact_is_saved_and_shown(crm: CrmServer, client: CrmClient, ada: dict[str, str]) -> None:
    reply = client.post_form("/contacts", ada)

    assert reply.status == 303
    assert reply.headers["Location"] == "/contacts/1?saved=1"
    shown = outline(client.get("/contacts/1?saved=1").text)
    assert ("h1", "Contact saved") in shown.headings
    for value in ("Ada Lovelace", "ada@example.com", "Analytical Engines Ltd", "+44 20 7946 0001", "Pro"):
        assert value in shown.text
    assert "Subscribed" in shown.text
    assert [c.email for c in crm.records()] == ["ada@example.com"]


def test_a_contact_page_without_the_saved_flag_is_headed_by_the_name(client: CrmClient, ada: dict[str, str]) -> None:
    client.save(ada)

    page = outline(client.get("/contacts/1").text)

    assert ("h1", "Ada Lovelace") in page.headings
    assert "Contact saved" not in page.text


def test_the_stored_record_has_typed_values(crm: CrmServer, client: CrmClient, ada: dict[str, str]) -> None:
    client.save({**ada, "plan": "enterprise", "name": "  Ada Lovelace  "})

    (record,) = crm.records()
    assert record.name == "Ada Lovelace"
    assert record.plan == "Enterprise"
    assert record.seats == 3
    assert record.newsletter is True


def test_optional_fields_may_be_left_empty(crm: CrmServer, client: CrmClient) -> None:
    reply = client.save({"name": "Bo Li", "email": "bo@example.com", "plan": "Basic"})

    assert reply.status == 200
    (record,) = crm.records()
    assert (record.company, record.phone, record.seats, record.newsletter) == ("", "", None, False)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": ""}, "Full name is required."),
        ({"email": ""}, "Email is required."),
        ({"email": "ada.example.com"}, "'ada.example.com' is not an email address"),
        ({"phone": "call me"}, "'call me' is not a phone number"),
        ({"plan": "Gold"}, "Plan must be one of Basic, Pro, Enterprise; got 'Gold'."),
        ({"seats": "0"}, "Seats must be a whole number from 1 to 10,000; got '0'."),
        ({"seats": "2.5"}, "Seats must be a whole number"),
    ],
)
def test_an_invalid_form_is_shown_again_with_the_reason(
    crm: CrmServer, client: CrmClient, ada: dict[str, str], changes: dict[str, str], message: str
) -> None:
    reply = client.post_form("/contacts", {**ada, **changes})

    page = outline(reply.text)
    assert reply.status == 422
    assert ("h1", "New contact") in page.headings
    assert ("h2", "The contact was not saved") in page.headings
    assert any(message in alert for alert in page.alerts)
    assert crm.records() == []


def test_every_problem_is_listed_and_the_values_are_kept(client: CrmClient) -> None:
    sent = {"name": "", "email": "nope", "company": "Kept Ltd", "seats": "many", "newsletter": "yes"}

    reply = client.post_form("/contacts", sent)

    page = outline(reply.text)
    fields = {f["id"]: f for f in page.fields}
    assert len(page.alerts) == 1
    assert "Full name is required." in page.alerts[0]
    assert "'nope' is not an email address" in page.alerts[0]
    assert "Seats must be a whole number" in page.alerts[0]
    assert fields["company"]["value"] == "Kept Ltd"
    assert fields["email"]["value"] == "nope"
    assert fields["email"]["aria-invalid"] == "true"
    assert fields["email"]["aria-describedby"] == "email-error"
    assert "checked" in fields["newsletter"]
    assert "aria-invalid" not in fields["company"]


def test_a_second_contact_with_the_same_email_is_refused(
    crm: CrmServer, client: CrmClient, ada: dict[str, str]
) -> None:
    client.save(ada)

    reply = client.post_form("/contacts", {**ada, "name": "Ada King", "email": "ADA@example.com"})

    page = outline(reply.text)
    assert reply.status == 409
    assert any(
        "A contact with the email ADA@example.com already exists (Ada Lovelace, contact 1); nothing was saved." in alert
        for alert in page.alerts
    )
    assert {f["id"]: f for f in page.fields}["name"]["value"] == "Ada King"
    assert [c.name for c in crm.records()] == ["Ada Lovelace"]


def test_simultaneous_posts_of_one_email_save_it_once(crm: CrmServer, ada: dict[str, str]) -> None:
    statuses: list[int] = []

    def post() -> None:
        statuses.append(CrmClient(crm.url).post_form("/contacts", ada).status)

    threads = [threading.Thread(target=post) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(statuses) == [303] + [409] * 7
    assert len(crm.records()) == 1


def test_a_body_that_is_not_a_form_is_refused(crm: CrmServer, client: CrmClient) -> None:
    reply = client.request("POST", "/contacts", b'{"name": "Ada"}', "application/json")

    assert reply.status == 415
    assert "application/x-www-form-urlencoded" in reply.text
    assert crm.records() == []


def test_utf8_text_round_trips(crm: CrmServer, client: CrmClient) -> None:
    fields = {"name": "Zoë Ångström", "email": "zoe@example.com", "plan": "Basic", "notes": "Café ☕"}
    body = urllib.parse.urlencode(fields, encoding="utf-8").encode()

    client.request("POST", "/contacts", body, "application/x-www-form-urlencoded; charset=utf-8")

    (record,) = crm.records()
    assert (record.name, record.notes) == ("Zoë Ångström", "Café ☕")
    assert "Zoë Ångström" in client.get("/contacts/1").text
