"""Locators over any backend: Desktop → app/window → get_by_role / get_by_label / get_by_text."""

from deskhand.locate.desktop import Desktop
from deskhand.locate.expect import expect
from deskhand.locate.locator import Locator, Resolved

__all__ = ["Desktop", "Locator", "Resolved", "expect"]
