"""An optional seam for web forms: what a submission would send, read from the page before it is sent.

An approval must cover everything a submission sends, not only what a person sees: hidden fields, the
method and the destination (the form's action, resolved; a submit button's ``formaction`` wins). A backend
that can ask the page (the browser backend, over CDP) offers :meth:`FormAccess.form_submission`; the guard
asks ``supports_forms`` first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol, runtime_checkable

How = Literal["click", "enter"]


@dataclass(frozen=True, slots=True)
class SentField:
    """One name=value pair of the form data set; ``secret`` marks a password field's value."""

    name: str
    value: str
    secret: bool = False


@dataclass(frozen=True, slots=True)
class FormSubmission:
    method: str  # "get", "post" or "dialog", as the page reports it
    action: str  # the absolute URL the browser would send it to
    target: str  # "" for this tab, else the window it opens in
    fields: tuple[SentField, ...]


@runtime_checkable
class FormAccess(Protocol):
    def form_submission(self, ref: str, how: How) -> FormSubmission | None:
        """What ``how`` on the element ``ref`` would submit, or None when it submits no form."""
        ...


def supports_forms(backend: object) -> bool:
    return isinstance(backend, FormAccess)
