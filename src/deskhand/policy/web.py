"""Web origins: the rules a workflow's ``sites`` list makes, and where a browser's page is.

Chromium does not put the page's URL on its document node; its address bar ("Address and search bar")
holds it, with ``http://`` (and sometimes ``https://``) trimmed. A scheme the bar does not show is
treated as unknown: host and port must still match.

An address is read as the browser reads it (the WHATWG URL rules), not as Python's ``urlsplit`` alone would:
a backslash ends the host like a slash (``http://evil.test\\@127.0.0.1/`` goes to evil.test), the host is
compared as written (``casefold`` made ``claß.test`` into ``class.test``, a host the browser never visits),
and only web schemes (http, https, ws, wss) go where a site's host and port say: ``javascript:``, ``data:``,
``view-source:``, ``chrome:`` and the like match a rule only where it names that very scheme. A ``file:`` rule
allows its own folder (its path with dot segments and %-escapes resolved), not every file on the disk.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from deskhand.errors import WorkflowError
from deskhand.tree.node import Node
from deskhand.tree.roles import State

# Chromium's, older names, and Firefox's (a combo box whose text is the full address, scheme included).
ADDRESS_BAR_NAMES = ("address and search bar", "address bar", "location", "search or enter address")
BLANK_PAGES = frozenset({"about:blank", "chrome://newtab/", "chrome://newtab", "chrome://new-tab-page/"})
# Schemes whose address is a host and port a site rule can name; any other goes only where its rule says so.
WEB_SCHEMES = frozenset({"http", "https", "ws", "wss"})
# What a browser drops from a link's href before reading it: C0 controls and spaces at its ends, and every
# tab and line break inside it (WHATWG URL parsing).
_URL_ENDS = "".join(chr(c) for c in range(0x21))
_TAB_OR_NEWLINE = str.maketrans("", "", "\t\n\r")


@dataclass(frozen=True, slots=True)
class Address:
    scheme: str  # "" when the address bar hid it
    host: str
    port: int | None
    folder: str = ""  # a file: address's path, its dot segments and %-escapes resolved as the browser does


def parse_address(text: str) -> Address | None:
    """The scheme, host and port of a URL as typed or shown (``127.0.0.1:8000/x``); None if it has none."""
    text = text.strip()
    if not text or any(c.isspace() for c in text):
        return None
    # The browser ends the host at a backslash as at a slash; urlsplit does not (it found 127.0.0.1 in
    # "http://evil.test\\@127.0.0.1:8765/"). Beyond the host it no longer matters here.
    text = text.replace("\\", "/")
    has_scheme = "://" in text
    try:
        parts = urlsplit(text if has_scheme else f"//{text}")
        port = parts.port
    except ValueError:
        return None
    host = (parts.hostname or "").lower()  # as written: casefold's "ß" → "ss" is not what a browser does
    if not host and parts.scheme != "file":
        return None
    scheme = parts.scheme.casefold() if has_scheme else ""
    return Address(scheme, host, port, _file_path(parts.path) if scheme == "file" else "")


def _file_path(path: str) -> str:
    """A file: path as the browser opens it: "%2e%2e" is "..", and "/pages/../../etc" is "/etc"."""
    return posixpath.normpath("/" + unquote(path)).replace("//", "/")


def as_browser_reads(href: str) -> str:
    """A link's href as the browser takes it before resolving it: ends trimmed, tabs and line breaks gone,
    backslashes read as slashes (what ``urljoin`` should see: ``/\\evil.test`` is another host, not a path)."""
    return href.strip(_URL_ENDS).translate(_TAB_OR_NEWLINE).replace("\\", "/")


def is_blank_page(address: str) -> bool:
    return address.strip().casefold() in BLANK_PAGES


@dataclass(frozen=True, slots=True)
class SiteRule:
    """One entry of ``sites``: ``https://example.com``, ``example.com:8080``, ``*.example.com``."""

    text: str
    scheme: str
    host: str
    port: int | None
    subdomains: bool
    folder: str = ""  # for a file: rule, the folder it allows

    @classmethod
    def parse(cls, text: str) -> SiteRule:
        subdomains = False
        body = text.strip()
        scheme_part, sep, rest = body.partition("://")
        if rest.startswith("*."):
            subdomains, body = True, f"{scheme_part}{sep}{rest[2:]}"
        elif body.startswith("*."):
            subdomains, body = True, body[2:]
        address = parse_address(body)
        if address is None or (not address.host and address.scheme != "file"):
            raise WorkflowError(
                f"{text!r} in sites is not a web origin.",
                hint="Write origins like https://example.com, http://127.0.0.1:8765 or *.example.com.",
            )
        return cls(text, address.scheme, address.host, address.port, subdomains, address.folder)

    def within(self, outer: SiteRule) -> bool:
        """Whether every address this rule allows, ``outer`` allows too (a workflow's site inside a session's)."""
        if outer.scheme and self.scheme != outer.scheme:
            return False  # "example.com" (any web scheme) is not inside "https://example.com"
        if "file" in (self.scheme, outer.scheme):
            inside = outer.folder in ("", "/") or (self.folder + "/").startswith(outer.folder.rstrip("/") + "/")
            return self.scheme == outer.scheme == "file" and inside
        if outer.port is not None and self.port != outer.port:
            return False
        if self.subdomains and not outer.subdomains:
            return False
        return self.host == outer.host or (outer.subdomains and self.host.endswith("." + outer.host))

    def matches(self, url: str) -> bool:
        address = parse_address(url)
        if address is None:
            return False
        if self.scheme and address.scheme and self.scheme != address.scheme:
            return False
        if address.scheme and address.scheme not in WEB_SCHEMES and address.scheme != self.scheme:
            return False  # javascript://127.0.0.1:8765/… runs a script; data://…, chrome://… are no site
        if self.scheme == "file" or address.scheme == "file":
            # A file rule allows its own folder, not the whole disk (file:///home/me/pages is no way to ~/.ssh).
            inside = self.folder in ("", "/") or (address.folder + "/").startswith(self.folder.rstrip("/") + "/")
            return self.scheme == address.scheme == "file" and inside
        if self.port is not None and address.port != self.port:
            return False
        if address.host == self.host:
            return True
        return self.subdomains and address.host.endswith("." + self.host)


def address_bar(browser: Node) -> Node | None:
    """The browser's address bar: a text field named like one, outside any web page."""
    # Pages are not entered at all: judging any element walks the whole tree here (~1,900 nodes in an
    # office app), so no ancestor chain is built per node.
    stack = [browser]
    while stack:
        node = stack.pop()
        if node.role == "document":
            continue
        if node.role in ("textbox", "searchbox", "combobox") and is_address_bar_name(node.name):
            return node
        stack.extend(reversed(node.children))
    return None


def is_address_bar_name(name: str) -> bool:
    """A browser's own name for its address bar. Firefox names it "Search or enter address" until it knows
    its default search engine, then "Search with Google or enter address" (firefox-esr 153, measured: a
    second run in a running Firefox found its page hidden, the address unread)."""
    folded = " ".join(name.split()).casefold()
    return folded in ADDRESS_BAR_NAMES or (folded.startswith("search with ") and folded.endswith(" or enter address"))


def page_address(browser: Node) -> str | None:
    """The address the browser shows (its bar's text), or None when it cannot be read.

    While the bar has the focus its text is whatever is being typed, not the page: unknown then.
    """
    bar = address_bar(browser)
    if bar is None:
        return None
    text = (bar.value or "").strip()
    if not text:
        return "about:blank"
    return None if State.FOCUSED in bar.states else text


def csp_sources(sites: tuple[str, ...]) -> list[str]:
    """``sites`` as Content-Security-Policy sources, for WebSockets (ws/wss) as much as for http(s)."""
    sources: list[str] = []
    for site in sites:
        rule = SiteRule.parse(site)
        if rule.scheme == "file":
            continue
        host = f"*.{rule.host}" if rule.subdomains else rule.host
        port = f":{rule.port}" if rule.port is not None else ":*"
        schemes = [rule.scheme] if rule.scheme else ["http", "https"]
        schemes += [{"http": "ws", "https": "wss"}.get(s, s) for s in list(schemes)]
        sources += [f"{scheme}://{host}{port}" for scheme in dict.fromkeys(schemes)]
        if rule.subdomains:
            sources += [f"{scheme}://{rule.host}{port}" for scheme in dict.fromkeys(schemes)]
    return sources
