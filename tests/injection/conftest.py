"""The injection suite's fixtures: a run session on its own virtual desktop, two loopback sites and two fake
model providers."""

from tests.injection.fixtures import home, providers, session, sites

__all__ = ["home", "providers", "session", "sites"]
