"""The web apps of the changed-app suite, one function per app, each page in several versions.

Version 1 is what the workflows were written against. Each later version makes one change a real app
update makes: labels reworded (the ids stay), the submit button renamed, fields reordered, a field added,
a confirmation dialog inserted before the form is sent, a menu moved (and renamed) on the page.
"""

from __future__ import annotations

from html import escape

_STYLE = """<style>
body { font: 14px sans-serif; margin: 12px; }
form { display: grid; grid-template-columns: 14em 18em; gap: 6px 10px; align-items: center; }
.actions { grid-column: 1 / -1; }
nav, aside { margin-bottom: 10px; }
[role=menu] { border: 1px solid #888; padding: 4px; width: 12em; }
</style>"""

# (id, label in version 1, label in the reworded version)
_FIELDS = (("name", "Name", "Full name"), ("email", "Email", "E-mail address"))
_PLAN = ("plan", "Plan", "Subscription plan")
_NEWS = ("news", "Subscribe to news", "Send me the newsletter")

SIGNUP_VERSIONS = {
    2: "labels reworded",
    3: "submit button renamed",
    4: "fields reordered",
    5: "a field added",
    6: "a confirmation dialog inserted",
    7: "redesign: labels reworded and the ids renamed",
    8: "submit button renamed, a Delete button beside it",
}
TOOLS_VERSIONS = {2: "menu moved and renamed"}
# The redesign (version 7) renamed the fields on the server too.
FIELD_NAMES = {7: {"name": "full_name", "email": "mail"}}


def _page(title: str, body: str) -> str:
    head = f'<meta charset="utf-8"><title>{escape(title)}</title>{_STYLE}'
    return f'<!doctype html><html lang="en"><head>{head}</head><body>{body}</body></html>'


def signup(version: int) -> str:
    """A sign-up form posting name, email, plan and news to /signup."""
    reworded = version in (2, 7)
    renamed = FIELD_NAMES.get(version, {})
    rows = [_text_row(renamed.get(i, i), new if reworded else old) for i, old, new in _FIELDS]
    if version == 4:
        rows.reverse()
    if version == 5:
        rows.append(_text_row("company", "Company"))
    plan_label = _PLAN[2] if reworded else _PLAN[1]
    options = "".join(f"<option>{p}</option>" for p in ("Basic", "Pro", "Team"))
    rows.append(f'<label for="plan">{plan_label}</label><select id="plan" name="plan">{options}</select>')
    news = _NEWS[2] if reworded else _NEWS[1]
    rows.append(f'<label for="news">{news}</label><input type="checkbox" id="news" name="news" value="yes">')
    actions, dialog = _actions(version), ""
    if version == 6:
        dialog = (
            '<dialog id="sure" aria-label="Confirm sign-up"><p>Send this sign-up?</p>'
            '<button type="button" onclick="document.getElementById(\'sure\').close()">Cancel</button> '
            '<button type="submit" form="signup">Confirm</button></dialog>'
        )
    fields = "".join(rows)
    form = f'<form id="signup" method="post" action="/signup">{fields}<div class="actions">{actions}</div></form>'
    search = '<input type="search" aria-label="Search the site" name="q">'
    return _page("Sign up", f"<header>{search}</header><h1>Sign up</h1>{form}{dialog}")


def _actions(version: int) -> str:
    if version == 6:
        opens = "document.getElementById('sure').showModal()"
        return f'<button type="button" id="go" onclick="{opens}">Submit</button>'
    if version == 8:
        delete = '<button type="submit" formaction="/delete">Delete account</button>'
        return f'<button type="submit">Create account</button> {delete}'
    return f'<button type="submit">{"Create account" if version == 3 else "Submit"}</button>'


def _text_row(field: str, label: str) -> str:
    return f'<label for="{field}">{escape(label)}</label><input id="{field}" name="{field}" type="text">'


def thanks() -> str:
    return _page("Thanks", "<h1>Thanks</h1><p>You are signed up.</p>")


def tools(version: int) -> str:
    """A report page with a Tools menu whose Export item posts to /export."""
    menu_button = "Utilities" if version == 2 else "Tools"
    menu = (
        f'<button id="tools-menu" aria-haspopup="menu" aria-expanded="false" onclick="toggle()">{menu_button}</button>'
        '<div id="items" role="menu" hidden>'
        '<div role="menuitem" tabindex="-1" id="export" onclick="exportRows()">Export CSV</div>'
        '<div role="menuitem" tabindex="-1" id="print" onclick="done(\'Printed\')">Print</div></div>'
    )
    holder = f"<aside><h2>Side panel</h2>{menu}</aside>" if version == 2 else f"<nav>{menu}</nav>"
    script = """<script>
function toggle() { const m = document.getElementById('items'); m.hidden = !m.hidden;
  document.getElementById('tools-menu').setAttribute('aria-expanded', String(!m.hidden)); }
function done(text) {
  document.getElementById('items').hidden = true; document.getElementById('out').textContent = text; }
function exportRows() { fetch('/export', {method: 'POST', body: 'rows=3'}).then(() => done('Exported 3 rows')); }
</script>"""
    rows = "".join(f"<tr><td>{cell}</td></tr>" for cell in "abc")
    body = f'<h1>Report</h1>{holder}<p id="out"></p><table>{rows}</table>'
    return _page("Report", body + script)
