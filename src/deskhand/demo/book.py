"""The CRM's contact book: contacts in memory, safe to use from the server's request threads."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from deskhand.demo.contacts import Contact, ContactDraft


@dataclass(frozen=True, slots=True)
class Duplicate:
    """An add refused because a contact with that email already exists."""

    existing: Contact


class ContactBook:
    """Contacts in the order they were saved. Emails are unique, compared without case."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._contacts: list[Contact] = []
        self._next_id = 1

    def add(self, draft: ContactDraft) -> Contact | Duplicate:
        """Store the draft as a new contact, unless its email is taken (then nothing changes)."""
        wanted = draft.email.casefold()
        # Check and insert under one lock, so two requests with the same email cannot both succeed.
        with self._lock:
            for contact in self._contacts:
                if contact.email.casefold() == wanted:
                    return Duplicate(contact)
            contact = Contact.from_draft(self._next_id, draft)
            self._contacts.append(contact)
            self._next_id += 1
            return contact

    def get(self, contact_id: int) -> Contact | None:
        with self._lock:
            return next((c for c in self._contacts if c.id == contact_id), None)

    def all(self) -> list[Contact]:
        """A copy of every contact, oldest first."""
        with self._lock:
            return list(self._contacts)

    def reset(self) -> None:
        """Forget every contact; ids start from 1 again."""
        with self._lock:
            self._contacts.clear()
            self._next_id = 1
