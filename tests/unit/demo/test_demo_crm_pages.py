"""The CRM's pages offer what workflows target: headings, labelled fields, named buttons and links."""

from __future__ import annotations

from crm_client import CrmClient
from html_outline import outline

FORM_LABELS = {
    "name": "Full name",
    "email": "Email",
    "company": "Company",
    "phone": "Phone",
    "plan": "Plan",
    "seats": "Seats",
    "newsletter": "Subscribe to newsletter",
    "notes": "Notes",
}


def test_list_page_has_the_heading_and_a_new_contact_link(client: CrmClient) -> None:
    reply = client.get("/")

    page = outline(reply.text)
    assert reply.status == 200
    assert reply.headers["Content-Type"] == "text/html; charset=utf-8"
    assert ("h1", "Contacts") in page.headings
    assert ("New contact", "/contacts/new") in page.links
    assert "No contacts yet." in page.text


def test_list_page_shows_saved_contacts_in_a_table(client: CrmClient, ada: dict[str, str]) -> None:
    client.save(ada)

    reply = client.get("/")

    assert "<table>" in reply.text
    assert '<th scope="col">Email</th>' in reply.text
    page = outline(reply.text)
    assert ("Ada Lovelace", "/contacts/1") in page.links
    assert "ada@example.com" in page.text
    assert "1 contact" in page.text


def test_form_page_labels_every_field_and_names_its_button(client: CrmClient) -> None:
    reply = client.get("/contacts/new")

    page = outline(reply.text)
    assert reply.status == 200
    assert page.title == "New contact – Demo CRM"
    assert page.headings == [("h1", "New contact")]
    assert page.labels == FORM_LABELS
    assert [f["id"] for f in page.fields] == list(FORM_LABELS)
    assert all(f["name"] == f["id"] for f in page.fields)
    assert page.buttons == ["Save contact"]
    assert page.options == {"plan": ["Basic", "Pro", "Enterprise"]}


def test_form_fields_have_the_input_types_people_expect(client: CrmClient) -> None:
    fields = {f["id"]: f for f in outline(client.get("/contacts/new").text).fields}

    assert {key: f.get("type", f["tag"]) for key, f in fields.items()} == {
        "name": "text",
        "email": "email",
        "company": "text",
        "phone": "tel",
        "plan": "select",
        "seats": "number",
        "newsletter": "checkbox",
        "notes": "textarea",
    }
    assert "required" in fields["name"]
    assert "required" in fields["email"]
    assert "required" not in fields["company"]
    assert "checked" not in fields["newsletter"]


def test_pages_load_nothing_from_elsewhere(client: CrmClient) -> None:
    for path in ("/", "/contacts/new"):
        reply = client.get(path)
        assert "<script" not in reply.text
        assert "http://" not in reply.text and "https://" not in reply.text
        assert "default-src 'none'" in reply.headers["Content-Security-Policy"]


def test_unknown_page_is_a_404_with_a_way_back(client: CrmClient) -> None:
    reply = client.get("/nowhere")

    page = outline(reply.text)
    assert reply.status == 404
    assert ("h1", "Page not found") in page.headings
    assert ("Go to the contact list", "/") in page.links


def test_unknown_contact_is_a_404(client: CrmClient) -> None:
    assert client.get("/contacts/99").status == 404


def test_wrong_method_is_refused_with_the_allowed_one(client: CrmClient) -> None:
    reply = client.request("DELETE", "/contacts/new")

    assert reply.status == 405
    assert reply.headers["Allow"] == "GET"
    assert "DELETE /contacts/new" in outline(reply.text).text


def test_head_answers_without_a_body(client: CrmClient) -> None:
    reply = client.request("HEAD", "/")

    assert reply.status == 200
    assert reply.text == ""
    assert int(reply.headers["Content-Length"]) > 0


def test_text_from_people_is_escaped(client: CrmClient, ada: dict[str, str]) -> None:
    hostile = {**ada, "name": "<script>alert(1)</script>", "company": 'Smith & "Sons"'}

    reply = client.save(hostile)

    assert reply.status == 200
    assert "<script>" not in reply.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in reply.text
    assert "Smith &amp; &quot;Sons&quot;" in reply.text
