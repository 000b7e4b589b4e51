"""Validating the "New contact" form, without a server."""

from __future__ import annotations

from deskhand.demo.contacts import ContactDraft, FormErrors, validate_form


def test_a_minimal_form_becomes_a_draft_with_defaults() -> None:
    draft = validate_form({"name": "Bo Li", "email": "bo@example.com", "plan": "Basic"})

    assert draft == ContactDraft(name="Bo Li", email="bo@example.com")


def test_any_newsletter_value_means_ticked_and_absence_means_not() -> None:
    base = {"name": "Bo Li", "email": "bo@example.com", "plan": "Pro"}

    ticked = validate_form({**base, "newsletter": "on"})
    unticked = validate_form(base)

    assert isinstance(ticked, ContactDraft) and ticked.newsletter is True
    assert isinstance(unticked, ContactDraft) and unticked.newsletter is False


def test_plan_is_matched_without_case_and_stored_as_listed() -> None:
    draft = validate_form({"name": "Bo", "email": "bo@example.com", "plan": "ENTERPRISE"})

    assert isinstance(draft, ContactDraft)
    assert draft.plan == "Enterprise"


def test_problems_are_reported_per_field_in_form_order() -> None:
    problems = validate_form({"name": "x" * 121, "email": "a@b", "plan": "", "seats": "10001", "phone": "12"})

    assert isinstance(problems, FormErrors)
    assert list(problems.messages) == ["name", "email", "phone", "plan", "seats"]
    assert problems.messages["name"] == "Full name is too long: 121 characters, at most 120."
    assert problems.values["seats"] == "10001"


def test_non_ascii_digits_are_not_seats() -> None:
    problems = validate_form({"name": "Bo", "email": "bo@example.com", "plan": "Pro", "seats": "²"})

    assert isinstance(problems, FormErrors)
    assert "seats" in problems.messages


def test_plausible_international_phone_numbers_pass() -> None:
    for phone in ("+49 30 5550 1870", "(555) 010-0199", "020.7946.0001"):
        draft = validate_form({"name": "Bo", "email": "bo@example.com", "plan": "Pro", "phone": phone})
        assert isinstance(draft, ContactDraft), phone
