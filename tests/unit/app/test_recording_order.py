"""The recorder takes inputs and events in the order they happened: an input handed over late (X RECORD under
load) still comes before the events that arrived after it was made."""

from __future__ import annotations

import time

from deskhand.app.recording.ordering import Arrivals, input_time
from deskhand.app.recording.xpresses import Key, Press
from deskhand.backends.atspi.event import AtspiEvent

TEXT = AtspiEvent(ref=":1.2|/a/1", bus_name=":1.2", member="TextChanged", detail="insert", number=0)


def test_a_press_handed_over_after_an_event_it_came_before_is_given_out_first() -> None:
    arrivals = Arrivals()
    made = int(time.monotonic() * 1000) - 50
    asked: list[float] = []

    def caught_up() -> bool:
        # The late press is handed over while the recorder waits for the input stream to catch up.
        if not asked:
            arrivals.input(Press(10, 10, 1, made))
        asked.append(time.monotonic())
        return True

    arrivals.caught_up = caught_up
    arrivals.event(TEXT)
    assert arrivals.next(timeout=1.0) == Press(10, 10, 1, made)
    assert arrivals.next(timeout=1.0) == TEXT
    assert len(asked) == 1
    assert arrivals.next(timeout=0.0) is None


def test_an_event_after_the_input_stream_caught_up_needs_no_second_marker() -> None:
    arrivals = Arrivals()
    asked: list[int] = []
    arrivals.caught_up = lambda: asked.append(1) is None
    arrivals.event(TEXT)
    arrivals.input(Key("a", frozenset(), int(time.monotonic() * 1000) + 5))  # made after the event arrived
    assert arrivals.next(timeout=1.0) == TEXT
    assert isinstance(arrivals.next(timeout=1.0), Key)
    assert asked == [1]


def test_a_silent_input_stream_is_not_waited_for_twice_for_one_event() -> None:
    arrivals = Arrivals()
    asked: list[int] = []
    arrivals.caught_up = lambda: asked.append(1) is not None  # never answers
    arrivals.event(TEXT)
    assert arrivals.next(timeout=1.0) == TEXT
    assert asked == [1]


def test_server_time_is_read_on_our_clock_across_the_32_bit_wrap_and_not_for_another_machine() -> None:
    now = (1 << 32) / 1000 + 5.0  # 5 s after the server's millisecond counter wrapped
    assert abs(input_time(4_000, now) - (now - 1.0)) < 0.002
    assert abs(input_time((1 << 32) - 1_000, now - 5.5) - (now - 6.0)) < 0.002
    assert input_time(123, 10_000_000.0) == 10_000_000.0  # another clock: stamped on arrival
    assert input_time(0, 42.0) == 42.0
