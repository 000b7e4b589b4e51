"""backends.base.offers: a seam check remembered per class, except for classes that pass attributes through."""

from __future__ import annotations

from typing import Any

from deskhand.backends.base import TextNow, offers


class Reads:
    def text_now(self, ref: str) -> str | None:
        return "x"


class Plain:
    pass


class PassesThrough:
    def __init__(self, inner: object) -> None:
        self.inner = inner

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def test_a_class_offers_a_seam_as_isinstance_says() -> None:
    assert offers(Reads(), TextNow) and offers(Reads(), TextNow)
    assert not offers(Plain(), TextNow) and not offers(Plain(), TextNow)


def test_a_wrapper_offers_what_each_wrapped_backend_offers() -> None:
    assert offers(PassesThrough(Reads()), TextNow)
    assert not offers(PassesThrough(Plain()), TextNow)
    assert offers(PassesThrough(Reads()), TextNow)
