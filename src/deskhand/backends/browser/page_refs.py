"""Refs of web elements: ``cdp:<targetId>|<nonce>.<id>``. The nonce changes with every document, so a ref of a
page navigated away from names nothing."""

from __future__ import annotations

from dataclasses import dataclass

from deskhand.errors import NodeGone

REF_PREFIX = "cdp:"


@dataclass(frozen=True, slots=True)
class PageRef:
    target_id: str
    nonce: str
    element: int


def parse_ref(ref: str) -> PageRef:
    target, sep, rest = ref.removeprefix(REF_PREFIX).partition("|")
    nonce, dot, number = rest.partition(".")
    if not ref.startswith(REF_PREFIX) or not sep or not dot or not number.isdigit():
        raise NodeGone(f"{ref!r} is not a web element reference.", hint="Take a fresh snapshot.")
    return PageRef(target, nonce, int(number))


def is_page_ref(ref: str) -> bool:
    return ref.startswith(REF_PREFIX)
