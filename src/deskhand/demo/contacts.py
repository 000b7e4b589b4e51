"""A CRM contact and the validation of the "New contact" form that makes one."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

PLANS: tuple[str, ...] = ("Basic", "Pro", "Enterprise")
MAX_SEATS = 10_000

_MAX_TEXT = 120
_MAX_NOTES = 2_000
# Deliberately loose: the CRM checks the shape a person can see is wrong, not deliverability.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
_PHONE = re.compile(r"^\+?[0-9 ()./-]+$")
_MIN_PHONE_DIGITS = 5
_WHOLE_NUMBER = re.compile(r"^[0-9]{1,6}$")

# The form's field ids (also its input names), in the order the form shows them.
FORM_FIELDS: tuple[str, ...] = ("name", "email", "company", "phone", "plan", "seats", "newsletter", "notes")


@dataclass(frozen=True, slots=True)
class ContactDraft:
    """What the form sent, cleaned up and valid, before it is stored and given an id."""

    name: str
    email: str
    company: str = ""
    phone: str = ""
    plan: str = PLANS[0]
    seats: int | None = None
    newsletter: bool = False
    notes: str = ""


@dataclass(frozen=True, slots=True)
class Contact:
    """A stored contact. ``id`` counts from 1 in the order contacts were saved."""

    id: int
    name: str
    email: str
    company: str
    phone: str
    plan: str
    seats: int | None
    newsletter: bool
    notes: str

    @classmethod
    def from_draft(cls, contact_id: int, draft: ContactDraft) -> Contact:
        return cls(
            contact_id,
            draft.name,
            draft.email,
            draft.company,
            draft.phone,
            draft.plan,
            draft.seats,
            draft.newsletter,
            draft.notes,
        )

    def to_json(self) -> dict[str, object]:
        """The record as ``GET /api/contacts`` returns it."""
        return {
            "id": self.id,
            "name": self.name,
            "email": self.email,
            "company": self.company,
            "phone": self.phone,
            "plan": self.plan,
            "seats": self.seats,
            "newsletter": self.newsletter,
            "notes": self.notes,
        }


@dataclass(frozen=True, slots=True)
class FormErrors:
    """Why a submitted form was refused: one message per field id, in form order, and the values to show
    again so the person does not retype them."""

    messages: dict[str, str]
    values: dict[str, str] = field(default_factory=dict)


def validate_form(fields: Mapping[str, str]) -> ContactDraft | FormErrors:
    """The draft a submitted form describes, or every problem with it (not just the first)."""
    values = {key: fields.get(key, "").strip() for key in FORM_FIELDS}
    if "newsletter" in fields:
        values["newsletter"] = "yes"
    errors: dict[str, str] = {}

    name = values["name"]
    if not name:
        errors["name"] = "Full name is required."
    elif len(name) > _MAX_TEXT:
        errors["name"] = f"Full name is too long: {len(name)} characters, at most {_MAX_TEXT}."

    email = values["email"]
    if not email:
        errors["email"] = "Email is required."
    elif not _EMAIL.match(email) or len(email) > _MAX_TEXT:
        errors["email"] = f"{email!r} is not an email address; write one like name@example.com."

    if len(values["company"]) > _MAX_TEXT:
        errors["company"] = f"Company is too long: at most {_MAX_TEXT} characters."

    phone = values["phone"]
    if phone and (not _PHONE.match(phone) or sum(c.isdigit() for c in phone) < _MIN_PHONE_DIGITS):
        errors["phone"] = f"{phone!r} is not a phone number; use digits, spaces, + ( ) - only."

    plan = next((p for p in PLANS if p.casefold() == values["plan"].casefold()), None)
    if plan is None:
        errors["plan"] = f"Plan must be one of {', '.join(PLANS)}; got {values['plan']!r}."

    seats = _seats(values["seats"])
    if isinstance(seats, str):
        errors["seats"] = seats

    if len(values["notes"]) > _MAX_NOTES:
        errors["notes"] = f"Notes are too long: {len(values['notes'])} characters, at most {_MAX_NOTES}."

    if errors or plan is None or isinstance(seats, str):
        return FormErrors(errors, values)
    return ContactDraft(
        name=name,
        email=email,
        company=values["company"],
        phone=phone,
        plan=plan,
        seats=seats,
        newsletter="newsletter" in fields,
        notes=values["notes"],
    )


def _seats(text: str) -> int | str | None:
    """The number of seats, ``None`` when left empty, or the message saying why the text is not one."""
    if not text:
        return None
    if not _WHOLE_NUMBER.match(text) or not 1 <= int(text) <= MAX_SEATS:
        return f"Seats must be a whole number from 1 to {MAX_SEATS:,}; got {text!r}."
    return int(text)
