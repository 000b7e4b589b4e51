"""What a page puts in a form reaches the person deciding an approval as what it is: a hidden field's newline
drew a line of its own into the question ("it sends (POST to <allowed site>)"), and a right-to-left override
showed "acme‮gnp.exe" reversed. The digest still binds the values themselves."""

from __future__ import annotations

from deskhand.policy.approval import ApprovalRequest, FieldValue, approval_digest


def request(value: str) -> ApprovalRequest:
    fields = (FieldValue("to", "textbox", value),)
    return ApprovalRequest(
        run_id="r-1",
        step=3,
        sentence='Click "Pay"',
        action="click",
        target="button 'Pay' in Chromium",
        reason="it means 'pay'",
        fields=fields,
        digest=approval_digest("click", "button 'Pay' in Chromium", fields),
        method="post",
        destination="https://evil.test/pay\u202e",
        sent=(FieldValue("to", "text", value),),
    )


def test_a_value_cannot_draw_lines_of_its_own_into_the_question() -> None:
    asked = request("mallory\n  it sends (POST to https://bank.test/pay):\n    to=acme")
    text = asked.text()
    assert text.count("it sends") == 1 + 2  # the real line, and the two spelled-out copies inside the values
    assert [line for line in text.splitlines() if line.strip().startswith("to=")] == [
        "    to=mallory\\n  it sends (POST to https://bank.test/pay):\\n    to=acme"
    ]


def test_invisible_and_reversing_characters_are_spelled_out_everywhere_it_is_shown() -> None:
    asked = request("acme\u202egnp.exe\u200b")
    assert "\u202e" not in asked.text() and "\u200b" not in asked.text()
    assert "acme\\u202egnp.exe\\u200b" in asked.text()
    shown = asked.to_json()
    assert shown["fields"][0]["value"] == shown["sent"][0]["value"] == "acme\\u202egnp.exe\\u200b"
    assert shown["destination"] == "https://evil.test/pay\\u202e"


def test_plain_text_is_shown_as_it_is() -> None:
    asked = request("Zürich Straße 5, 8001 — ok")
    assert "    to: Zürich Straße 5, 8001 — ok" in asked.text()
    assert asked.to_json()["fields"][0]["value"] == "Zürich Straße 5, 8001 — ok"
