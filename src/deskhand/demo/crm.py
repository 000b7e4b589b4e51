"""The demo CRM as a plain request → response function, independent of any HTTP server.

Routes::

    GET  /                  the contact list ("Contacts", a "New contact" link)
    GET  /contacts/new      the "New contact" form
    POST /contacts          save a contact (form-encoded): 303 to /contacts/<id>?saved=1,
                            422 with the form and reasons when invalid, 409 when the email exists
    GET  /contacts/<id>     one contact ("Contact saved" right after saving)
    GET  /api/contacts      every contact as JSON, oldest first
    POST /api/reset         forget every contact
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib.resources import files
from urllib.parse import parse_qs, urlsplit

from deskhand.demo import pages
from deskhand.demo.book import ContactBook, Duplicate
from deskhand.demo.contacts import FormErrors, validate_form

_HTML = "text/html; charset=utf-8"
_JSON = "application/json"
_FORM = "application/x-www-form-urlencoded"
_CONTACT_PATH = re.compile(r"^/contacts/(\d{1,9})$")


@dataclass(frozen=True, slots=True)
class Response:
    status: int
    body: bytes
    content_type: str = _HTML
    headers: tuple[tuple[str, str], ...] = ()


class CrmApp:
    """Answers requests against one contact book."""

    def __init__(self, book: ContactBook | None = None) -> None:
        self.book = book if book is not None else ContactBook()
        self._css = files("deskhand.demo").joinpath("crm.css").read_text(encoding="utf-8")

    def handle(self, method: str, target: str, body: bytes = b"", content_type: str = _FORM) -> Response:
        """The response to one request; ``target`` is the request line's path and query."""
        parts = urlsplit(target)
        path = parts.path.rstrip("/") or "/"
        method = method.upper()

        if path in ("/", "/contacts"):
            if path == "/contacts" and method == "POST":
                return self._create(body, content_type)
            return self._only("GET", method, path) or self._page(pages.contact_list_page(self.book.all()))
        if path == "/contacts/new":
            return self._only("GET", method, path) or self._page(pages.contact_form_page())
        if path == "/api/contacts":
            return self._only("GET", method, path) or _json([c.to_json() for c in self.book.all()])
        if path == "/api/reset":
            if refused := self._only("POST", method, path):
                return refused
            self.book.reset()
            return _json({"reset": True, "count": 0})
        if found := _CONTACT_PATH.match(path):
            if refused := self._only("GET", method, path):
                return refused
            contact = self.book.get(int(found.group(1)))
            if contact is not None:
                just_saved = "saved" in parse_qs(parts.query)
                return self._page(pages.contact_page(contact, just_saved=just_saved))
        return self._page(pages.not_found_page(path), 404)

    def _create(self, body: bytes, content_type: str) -> Response:
        if content_type.split(";")[0].strip().lower() != _FORM:
            message = f"POST /contacts takes a form ({_FORM}), not {content_type or 'no content type'}."
            return Response(415, message.encode(), "text/plain; charset=utf-8")
        sent = {key: values[0] for key, values in parse_qs(body.decode("utf-8", "replace"), True).items()}
        checked = validate_form(sent)
        if isinstance(checked, FormErrors):
            return self._page(pages.contact_form_page(checked), 422)
        added = self.book.add(checked)
        if isinstance(added, Duplicate):
            old = added.existing
            message = (
                f"A contact with the email {checked.email} already exists ({old.name}, contact {old.id}); "
                "nothing was saved."
            )
            return self._page(pages.contact_form_page(FormErrors({"email": message}, _echo(sent))), 409)
        return Response(303, b"", _HTML, (("Location", f"/contacts/{added.id}?saved=1"),))

    def _page(self, page: pages.Page, status: int = 200) -> Response:
        return Response(status, pages.document(page, self._css).encode("utf-8"))

    def _only(self, allowed: str, method: str, path: str) -> Response | None:
        """``None`` when the method is the allowed one (HEAD counts as GET), else a 405 response."""
        if method == allowed or (method == "HEAD" and allowed == "GET"):
            return None
        page = pages.method_not_allowed_page(method, path, [allowed])
        return Response(405, pages.document(page, self._css).encode("utf-8"), _HTML, (("Allow", allowed),))


def _echo(sent: dict[str, str]) -> dict[str, str]:
    """The sent values to show again in the form, trimmed."""
    values = {key: value.strip() for key, value in sent.items()}
    if "newsletter" in sent:
        values["newsletter"] = "yes"
    return values


def _json(data: object) -> Response:
    return Response(200, json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8"), _JSON)
