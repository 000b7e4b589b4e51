"""The injection suite's fixtures: a run session on its own virtual desktop and two loopback sites."""

from tests.injection.fixtures import home, session, sites

__all__ = ["home", "session", "sites"]
