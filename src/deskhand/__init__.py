"""deskhand: use apps, don't build apps.

A desktop agent that runs plain-language workflows by operating real applications through their
accessibility interfaces. The public API is listed in ``__all__``; a test guards it.
"""

from __future__ import annotations

from deskhand.errors import (
    AmbiguousMatch,
    AppNotFound,
    BackendError,
    BackendUnavailable,
    DeskhandError,
    LocatorError,
    LocatorTimeout,
    ModelError,
    NodeGone,
    NoMatch,
    NotActionable,
    PolicyDenied,
    PolicyError,
    SandboxError,
    WorkflowError,
)
from deskhand.tree.node import Bounds, Node
from deskhand.tree.roles import Role, State

__version__ = "0.1.0"

__all__ = [
    "AmbiguousMatch",
    "AppNotFound",
    "BackendError",
    "BackendUnavailable",
    "Bounds",
    "DeskhandError",
    "LocatorError",
    "LocatorTimeout",
    "ModelError",
    "NoMatch",
    "Node",
    "NodeGone",
    "NotActionable",
    "PolicyDenied",
    "PolicyError",
    "Role",
    "SandboxError",
    "State",
    "WorkflowError",
    "__version__",
]
