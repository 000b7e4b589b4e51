"""The CRM's HTML pages. Plain semantic HTML: a heading per page, a ``<label for>`` for every input and
buttons that say what they do, so the accessibility tree names everything a workflow targets."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from html import escape

from deskhand.demo.contacts import PLANS, Contact, FormErrors

APP_NAME = "Demo CRM"


@dataclass(frozen=True, slots=True)
class Page:
    """A page's title (the browser window shows it) and the HTML inside ``<main>``."""

    title: str
    main: str


def document(page: Page, css: str) -> str:
    """The whole HTML document for a page, styles inline (the CRM loads nothing else)."""
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(page.title)} – {APP_NAME}</title>
<style>{css}</style>
</head>
<body>
<header class="bar">
<a class="brand" href="/">{APP_NAME}</a><nav aria-label="Main"><a href="/">All contacts</a></nav>
</header>
<main>
{page.main}
</main>
</body>
</html>
"""


def contact_list_page(contacts: list[Contact]) -> Page:
    if contacts:
        rows = "\n".join(_contact_row(c) for c in contacts)
        count = "1 contact" if len(contacts) == 1 else f"{len(contacts)} contacts"
        listing = f"""<p class="muted">{count}</p>
<table>
<thead><tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Company</th><th scope="col">Phone</th>
<th scope="col">Plan</th><th scope="col" class="num">Seats</th><th scope="col">Newsletter</th></tr></thead>
<tbody>
{rows}
</tbody>
</table>"""
    else:
        listing = '<p class="empty">No contacts yet.</p>'
    main = f"""<div class="page-head"><h1>Contacts</h1><a class="button" href="/contacts/new">New contact</a></div>
{listing}"""
    return Page("Contacts", main)


def contact_form_page(problems: FormErrors | None = None) -> Page:
    """The "New contact" form; after a refused submit, with the reasons and the values that were sent."""
    values = problems.values if problems else {}
    errors = problems.messages if problems else {}
    summary = ""
    if errors:
        items = "\n".join(f"<li>{escape(message)}</li>" for message in errors.values())
        summary = f"""<div class="alert" role="alert">
<h2>The contact was not saved</h2>
<ul>
{items}
</ul>
</div>"""
    plan = values.get("plan", PLANS[0])
    options = "".join(
        f"<option{' selected' if p.casefold() == plan.casefold() else ''}>{escape(p)}</option>" for p in PLANS
    )
    checked = " checked" if values.get("newsletter") else ""
    notes = escape(values.get("notes", ""))
    main = f"""<h1>New contact</h1>
{summary}
<form class="card" method="post" action="/contacts" novalidate autocomplete="off">
{_text_field("name", "Full name", "text", values, errors, required=True)}
{_text_field("email", "Email", "email", values, errors, required=True)}
<div class="row">
{_text_field("company", "Company", "text", values, errors)}
{_text_field("phone", "Phone", "tel", values, errors)}
</div>
<div class="row">
<div class="field"><label for="plan">Plan</label>
<select id="plan" name="plan"{_described("plan", errors)}>{options}</select>{_error("plan", errors)}</div>
{_text_field("seats", "Seats", "number", values, errors, extra=' min="1" step="1"')}
</div>
<div class="check"><input type="checkbox" id="newsletter" name="newsletter" value="yes"{checked}>
<label for="newsletter">Subscribe to newsletter</label></div>
<div class="field"><label for="notes">Notes</label>
<textarea id="notes" name="notes" rows="4"{_described("notes", errors)}>{notes}</textarea>
{_error("notes", errors)}</div>
<div class="actions"><button type="submit">Save contact</button><a href="/">Cancel</a></div>
</form>"""
    return Page("New contact", main)


def contact_page(contact: Contact, *, just_saved: bool) -> Page:
    """One contact's details; right after saving, headed "Contact saved"."""
    heading = "Contact saved" if just_saved else contact.name
    # A live region around the heading (not on it: role="status" on the h1 would replace its heading role).
    title = (
        f'<div role="status" class="saved"><h1>{escape(heading)}</h1></div>'
        if just_saved
        else f"<h1>{escape(heading)}</h1>"
    )
    seats = str(contact.seats) if contact.seats is not None else "—"
    details = _details(
        (
            ("Full name", contact.name),
            ("Email", contact.email),
            ("Company", contact.company or "—"),
            ("Phone", contact.phone or "—"),
            ("Plan", contact.plan),
            ("Seats", seats),
            ("Newsletter", "Subscribed" if contact.newsletter else "Not subscribed"),
            ("Notes", contact.notes or "—"),
        )
    )
    main = f"""{title}
<dl class="card details">
{details}
</dl>
<p class="actions"><a class="button" href="/contacts/new">Add another contact</a><a href="/">Back to the list</a></p>"""
    return Page(heading, main)


def not_found_page(path: str) -> Page:
    main = f"""<h1>Page not found</h1>
<p>There is no page at <code>{escape(path)}</code>. <a href="/">Go to the contact list</a>.</p>"""
    return Page("Page not found", main)


def method_not_allowed_page(method: str, path: str, allowed: Iterable[str]) -> Page:
    main = f"""<h1>Not allowed</h1>
<p><code>{escape(method)} {escape(path)}</code> is not supported; use {escape(" or ".join(allowed))}.</p>"""
    return Page("Not allowed", main)


def _contact_row(contact: Contact) -> str:
    cells = (
        f'<td><a href="/contacts/{contact.id}">{escape(contact.name)}</a></td>',
        f"<td>{escape(contact.email)}</td>",
        f"<td>{escape(contact.company)}</td>",
        f"<td>{escape(contact.phone)}</td>",
        f"<td>{escape(contact.plan)}</td>",
        f'<td class="num">{contact.seats if contact.seats is not None else ""}</td>',
        f"<td>{'Yes' if contact.newsletter else 'No'}</td>",
    )
    return f"<tr>{''.join(cells)}</tr>"


def _text_field(
    field_id: str,
    label: str,
    input_type: str,
    values: dict[str, str],
    errors: dict[str, str],
    *,
    required: bool = False,
    extra: str = "",
) -> str:
    value = escape(values.get(field_id, ""))
    # `required` exposes the state to assistive tech; `novalidate` on the form leaves checking to the server,
    # whose messages are in the page (and so in the accessibility tree), unlike the browser's bubbles.
    attributes = f"{' required' if required else ''}{extra}{_described(field_id, errors)}"
    return f"""<div class="field"><label for="{field_id}">{escape(label)}</label>
<input id="{field_id}" name="{field_id}" type="{input_type}" value="{value}"{attributes}>
{_error(field_id, errors)}</div>"""


def _described(field_id: str, errors: dict[str, str]) -> str:
    if field_id not in errors:
        return ""
    return f' aria-invalid="true" aria-describedby="{field_id}-error"'


def _error(field_id: str, errors: dict[str, str]) -> str:
    if field_id not in errors:
        return ""
    return f'<p class="field-error" id="{field_id}-error">{escape(errors[field_id])}</p>'


def _details(pairs: Iterable[tuple[str, str]]) -> str:
    return "\n".join(f"<div><dt>{escape(term)}</dt><dd>{escape(value)}</dd></div>" for term, value in pairs)
