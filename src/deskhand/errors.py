"""The one error tree of deskhand.

Every error carries a message for people (what was tried, what was seen) and a ``hint`` (how to fix it),
plus a ``model_text`` an agent can recover from. Foreign errors (D-Bus, X, HTTP, SDKs) are translated into
these at the seam where they happen; nothing above a seam sees a foreign exception.

    DeskhandError
    ├── SandboxError          the virtual desktop could not start or stop
    ├── StoreUnavailable      the run store's database cannot be reached (names host:port and the fix)
    ├── BackendError
    │   ├── BackendUnavailable   accessibility is off or unreachable (hint: how to enable it)
    │   ├── AppNotFound          no such application (lists the ones there are)
    │   ├── NodeGone             the element (or its app) went away
    │   └── ActionFailed         the toolkit refused an action
    ├── LocatorError
    │   ├── SelectorSyntaxError  malformed selector text
    │   ├── NoMatch              nothing matched (nearest candidates)
    │   ├── AmbiguousMatch       several matched in strict mode (lists them)
    │   ├── NotActionable        disabled, hidden or offscreen
    │   ├── LocatorTimeout       a wait ran out
    │   └── HealNeedsReview      found only by the lock's fingerprint, and the step cannot be undone
    ├── UnexpectedDialog     a modal dialog stands in the step's way (its text, buttons, the steps to answer it)
    ├── FleetError           a broker that does not answer, a worker that cannot run a row (names the machine)
    ├── WorkflowError        file:line, the key or sentence, the fix
    │   └── InputError           a bad input value or CSV row
    ├── PolicyError
    │   ├── PolicyDenied         outside the allowed apps/sites
    │   ├── ApprovalRejected     an irreversible action was not approved (or its approval went void)
    │   ├── SecretMissing        a named secret is not set
    │   ├── AuditUnavailable     the audit log cannot be written, so nothing is done
    │   ├── RunStopped           the kill switch ended the run
    │   └── PolicyUnsigned       a fleet worker got a workflow its submitter did not sign with the shared key
    └── ModelError
        ├── NeedsKey             the provider's key variable is not set
        ├── ModelUnavailable     the server cannot be reached or answered badly
        └── BudgetExceeded       steps, time or spend ran out
"""

from __future__ import annotations


class DeskhandError(Exception):
    """Base of every error deskhand raises on purpose."""

    def __init__(self, message: str, *, hint: str = "", model_text: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self._model_text = model_text

    @property
    def model_text(self) -> str:
        """What an agent is told: the message and the hint, unless a specific text was given."""
        if self._model_text:
            return self._model_text
        return f"{self.message} {self.hint}".strip()

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message}\n  hint: {self.hint}"


class SandboxError(DeskhandError):
    """The virtual desktop (Xvfb, D-Bus, AT-SPI bus) failed to start, answer or stop."""


class StoreUnavailable(DeskhandError):
    """The run store's database (PostgreSQL for a fleet) cannot be reached or refused the connection."""


class StoreCopyRefused(DeskhandError):
    """`deskhand runs copy` would not copy (the target already holds a history, the source is not a SQLite file)
    or its check of what it copied failed (nothing was kept)."""


class BackendError(DeskhandError):
    """Perception or input through a backend failed."""


class BackendUnavailable(BackendError):
    """The accessibility stack (or display) cannot be reached."""


class AppNotFound(BackendError):
    """No application of that name is on the accessibility bus."""

    def __init__(self, wanted: str, available: list[str], *, hint: str = "", installed: bool = False) -> None:
        listing = ", ".join(repr(a) for a in available) or "none"
        where = f"is installed; closest: {listing}" if installed else f"is on the accessibility bus; running: {listing}"
        super().__init__(
            f"No application named {wanted!r} {where}.",
            hint=hint or "Start the app first (deskhand run -- APP), or check its name with `deskhand apps`.",
        )
        self.wanted = wanted
        self.available = available
        self.installed = installed  # looked for among installed apps: not installed, so waiting will not help


class NodeGone(BackendError):
    """The element, or the app it belonged to, no longer exists."""


class ActionFailed(BackendError):
    """The toolkit refused or failed an action."""


class LocatorError(DeskhandError):
    """A locator could not be resolved or used."""


class SelectorSyntaxError(LocatorError):
    """Selector text could not be parsed."""


class NoMatch(LocatorError):
    """Nothing matched; carries the nearest candidates by name."""

    def __init__(self, message: str, *, candidates: list[str] | None = None, hint: str = "") -> None:
        self.candidates = candidates or []
        if self.candidates and not hint:
            hint = "Nearest on screen: " + "; ".join(self.candidates[:5])
        super().__init__(message, hint=hint)


class AmbiguousMatch(LocatorError):
    """Several elements matched a strict locator; lists them."""

    def __init__(self, message: str, *, candidates: list[str] | None = None, hint: str = "") -> None:
        self.candidates = candidates or []
        if not hint:
            hint = "Narrow it with name=, exact, nth= or within: " + "; ".join(self.candidates[:8])
        super().__init__(message, hint=hint)


class NotActionable(LocatorError):
    """The element exists but is disabled, hidden or offscreen."""


class LocatorTimeout(LocatorError):
    """A wait did not succeed before its deadline."""


class UnexpectedDialog(DeskhandError):
    """A modal dialog (or a page's alert) opened and stands in the step's way; not retried, it will not
    go away by waiting."""

    def __init__(self, message: str, *, hint: str = "", dialog: str = "", buttons: list[str] | None = None) -> None:
        self.dialog = dialog
        self.buttons = buttons or []
        super().__init__(message, hint=hint)


class HealNeedsReview(LocatorError):
    """The sentence no longer finds its element; the lock's fingerprint does, but the step is irreversible,
    so a person must approve the heal or apply the proposed sentence (``deskhand fix RUN_ID``)."""

    def __init__(self, message: str, *, proposal: str, evidence: dict[str, object], hint: str = "") -> None:
        super().__init__(message, hint=hint)
        self.proposal = proposal
        self.evidence = evidence


class WorkflowError(DeskhandError):
    """A workflow file is malformed; names the file and line and how to fix it."""

    def __init__(self, message: str, *, file: str = "", line: int = 0, hint: str = "") -> None:
        self.file = file
        self.line = line
        where = f"{file}:{line}: " if file and line else (f"{file}: " if file else "")
        super().__init__(f"{where}{message}", hint=hint)
        self.bare_message = message


class InputError(WorkflowError):
    """An input value (from --input or a CSV/JSON row) is missing or of the wrong type."""


class PolicyError(DeskhandError):
    """An action was not allowed to happen."""


class PolicyDenied(PolicyError):
    """The action falls outside the apps and sites the workflow allows."""


class ApprovalRejected(PolicyError):
    """An irreversible action was not approved, or its approval went void."""


class SecretMissing(PolicyError):
    """A named secret is not set in the keyring or the environment."""


class AuditUnavailable(PolicyError):
    """The audit log could not be written: deskhand does nothing it cannot audit (fails safe)."""


class RunStopped(PolicyError):
    """The kill switch (Ctrl-C, `deskhand stop`) ended the run."""


class PolicyUnsigned(PolicyError):
    """A fleet worker refused a workflow whose policy was not signed (or not signed with its key)."""


class FleetError(DeskhandError):
    """The broker could not be reached, or a worker cannot run a row (another version, an app missing)."""


class ModelError(DeskhandError):
    """Talking to a language model failed."""


class NeedsKey(ModelError):
    """The provider's API key environment variable is not set."""


class ModelUnavailable(ModelError):
    """The model server cannot be reached or gave an unusable answer."""


class BudgetExceeded(ModelError):
    """A step, time or spend budget ran out."""
