"""Files given to a web page, as the guard lets them through: a file handed to a page's file input can leave
the machine with the page's next request, so it is judged like an action on the page (its app and site must
be allowed) and, further, the file must be one the current step's own sentence names (``Choose the file
"/home/me/report.pdf"``): a path a model wrote, a page showed or a value read from the screen is never
uploaded, whatever the page asks for. The same holds for a path written into a browser's own file chooser
(Firefox shows GTK's for a page's file input): what it takes goes to the page."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from deskhand.backends.base import Backend, PageFileInputs
from deskhand.errors import PolicyDenied, PolicyError
from deskhand.policy.rules import Decision, StepPolicy, is_browser
from deskhand.policy.scrub import scrub_errors
from deskhand.policy.secrets import Redactor
from deskhand.policy.targets import Seen
from deskhand.workflows.actions import ChooseFile
from deskhand.workflows.language import parse_step


def files_named_by(sentence: str) -> frozenset[str]:
    """The file a step's sentence names literally (a ``{name}`` in it names none: it is filled in later)."""
    action = parse_step(sentence) if sentence else None
    if not isinstance(action, ChooseFile) or "{" in action.path:
        return frozenset()
    return frozenset({str(Path(action.path).expanduser())})


class GuardedUploads:
    """The file-input half of :class:`~deskhand.policy.guard.GuardedBackend`."""

    inner: Backend
    step: StepPolicy
    _enforce: Callable[..., Seen]
    _preflight: Callable[[], None]
    _refuse: Callable[[str, Seen, Decision, type[PolicyError]], None]

    @property
    def redactor(self) -> Redactor:
        raise NotImplementedError  # GuardedBackend's

    def _judge_chooser_text(self, kind: str, seen: Seen, text: str) -> None:
        """Text written into a browser's file chooser names a file the page may be given: the step must name it."""
        if not is_browser(seen.app) or not text.strip():
            return
        if not any(a.raw_role == "file chooser" for a in seen.ancestors):
            return
        if str(Path(text.strip()).expanduser()) not in files_named_by(self.step.sentence):
            decision = Decision(
                "deny",
                f"{kind} of {text!r} into the browser's file chooser refused: the step's own sentence does not "
                "name that file, and the page would be given it",
                hint='Name the file in the step itself: Choose the file "/full/path/to/it".',
            )
            self._refuse(kind, seen, decision, PolicyDenied)

    @scrub_errors
    def waiting_file_input(self) -> str | None:
        self._preflight()
        return self.inner.waiting_file_input() if isinstance(self.inner, PageFileInputs) else None

    @scrub_errors
    def choose_files(self, ref: str, paths: list[str]) -> tuple[str, ...]:
        seen = self._enforce("upload", ref, value=", ".join(paths))
        named = files_named_by(self.step.sentence)
        for path in paths:
            if str(Path(path).expanduser()) not in named:
                decision = Decision(
                    "deny",
                    f"upload of {path!r} to the page refused: the step's own sentence does not name that file",
                    hint='Name the file in the step itself: Choose the file "/full/path/to/it".',
                )
                self._refuse("upload", seen, decision, PolicyDenied)
        if not isinstance(self.inner, PageFileInputs):
            raise PolicyDenied("This desktop cannot give files to a web page.")
        return self.inner.choose_files(ref, paths)
