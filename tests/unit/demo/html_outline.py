"""A tiny reading of the CRM's HTML with the stdlib parser: what a screen reader would be offered."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

_FIELDS = ("input", "select", "textarea")


@dataclass
class Outline:
    title: str = ""
    headings: list[tuple[str, str]] = field(default_factory=list)  # (tag, text)
    labels: dict[str, str] = field(default_factory=dict)  # for= → label text
    fields: list[dict[str, str]] = field(default_factory=list)  # attributes of each form field
    buttons: list[str] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)  # (text, href)
    options: dict[str, list[str]] = field(default_factory=dict)  # select id → option texts
    alerts: list[str] = field(default_factory=list)  # text inside role="alert"
    text: str = ""  # every visible text, space-joined


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.outline = Outline()
        self._open: list[tuple[str, dict[str, str], list[str]]] = []
        self._select = ""
        self._in_style = False
        self._texts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {key: value or "" for key, value in attrs}
        if tag == "style":
            self._in_style = True
        if tag in _FIELDS:
            self.outline.fields.append({"tag": tag, **attributes})
        if tag == "select":
            self._select = attributes.get("id", "")
            self.outline.options[self._select] = []
        if tag not in ("input", "meta", "br"):
            self._open.append((tag, attributes, []))

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False
        while self._open:
            open_tag, attributes, parts = self._open.pop()
            text = " ".join("".join(parts).split())
            if self._open:
                self._open[-1][2].append(" " + text + " ")
            if open_tag == tag:
                self._closed(tag, attributes, text)
                return

    def _closed(self, tag: str, attributes: dict[str, str], text: str) -> None:
        outline = self.outline
        if tag == "title":
            outline.title = text
        elif tag in ("h1", "h2", "h3"):
            outline.headings.append((tag, text))
        elif tag == "label":
            outline.labels[attributes.get("for", "")] = text
        elif tag == "button":
            outline.buttons.append(text)
        elif tag == "a":
            outline.links.append((text, attributes.get("href", "")))
        elif tag == "option":
            outline.options[self._select].append(text)
        elif attributes.get("role") == "alert":
            outline.alerts.append(text)

    def handle_data(self, data: str) -> None:
        if self._in_style:
            return
        if self._open:
            self._open[-1][2].append(data)
        self._texts.append(data)


def outline(html: str) -> Outline:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    reader.outline.text = " ".join(" ".join(reader._texts).split())
    return reader.outline
