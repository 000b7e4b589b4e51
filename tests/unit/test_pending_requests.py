"""The requests a tab has in flight, as CDP's Network events tell them (backends/browser/pending.py)."""

from __future__ import annotations

from deskhand.backends.browser.pending import PendingRequests


def _sent(pending: PendingRequests, rid: str, loader: str = "L1", kind: str = "Fetch") -> None:
    pending.on_event("Network.requestWillBeSent", {"requestId": rid, "loaderId": loader, "type": kind})


def test_a_request_is_pending_until_it_finishes_or_fails() -> None:
    pending = PendingRequests()
    _sent(pending, "1")
    _sent(pending, "2")
    _sent(pending, "1")  # a redirect comes again under the same id
    assert len(pending) == 2
    pending.on_event("Network.loadingFinished", {"requestId": "1"})
    pending.on_event("Network.loadingFailed", {"requestId": "2", "canceled": True})
    pending.on_event("Network.loadingFinished", {"requestId": "seen-before-we-watched"})
    assert len(pending) == 0


def test_a_stream_that_never_ends_is_not_counted() -> None:
    pending = PendingRequests()
    _sent(pending, "1", kind="EventSource")
    assert len(pending) == 0


def test_a_new_main_document_drops_what_the_old_one_had_in_flight() -> None:
    pending = PendingRequests()
    _sent(pending, "old", loader="L1")
    _sent(pending, "doc", loader="L2", kind="Document")
    pending.on_event("Page.frameNavigated", {"frame": {"id": "F", "parentId": "P", "loaderId": "L3"}})
    assert len(pending) == 2  # a subframe's navigation leaves the page's requests alone
    pending.on_event("Page.frameNavigated", {"frame": {"id": "F0", "loaderId": "L2"}})
    assert len(pending) == 1
