"""Secrets: named values from the OS keyring (or ``DESKHAND_SECRET_<NAME>``), and their scrubbing.

Everything above the guard handles ``{secret:name}`` placeholders only; the guard swaps in the value at
the moment it types into an allowed app (:meth:`SecretResolver.resolve`), and only where the text's author
put the reference (a :class:`~deskhand.workflows.secret_text.SecretText`): text from inputs, reads, pages
or models is typed literally. Every value used is given to
the :class:`Redactor`, which turns it back into its placeholder in any text: the run store, artifacts,
reports, audit log and what the guard reads back from the screen.

The keyring is the ``keyring`` library's default (Secret Service on Linux); ``PYTHON_KEYRING_BACKEND``
chooses another, as keyring documents. The keyring cannot list entries, so the names set through
deskhand are kept in one more entry, ``.names``, of the same service.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Mapping

import keyring
import keyring.errors

from deskhand.errors import DeskhandError, PolicyDenied, SecretMissing
from deskhand.workflows.secret_text import SecretText

SERVICE = "deskhand"
ENV_PREFIX = "DESKHAND_SECRET_"
_NAME = re.compile(r"^[A-Za-z_]\w*$")
_INDEX = ".names"
_NO_KEYRING_HINT = (
    "No OS keyring answered: start a Secret Service (gnome-keyring, KeePassXC), choose another backend with "
    "PYTHON_KEYRING_BACKEND, or set DESKHAND_SECRET_<NAME> in the environment instead."
)


def placeholder(name: str) -> str:
    return f"{{secret:{name}}}"


def check_name(name: str) -> str:
    if not _NAME.match(name):
        raise SecretMissing(
            f"{name!r} is not a secret name.",
            hint="Use letters, digits and underscores, starting with a letter: crm_password.",
        )
    return name


class SecretStore:
    """Reads the environment first (so CI can inject), then the keyring; writes go to the keyring."""

    def __init__(self, service: str = SERVICE, env: Mapping[str, str] | None = None) -> None:
        self.service = service
        self._env = os.environ if env is None else env

    def get(self, name: str) -> str:
        check_name(name)
        from_env = self._env.get(ENV_PREFIX + name.upper())
        if from_env is not None:
            return from_env
        try:
            value = keyring.get_password(self.service, name)
        except keyring.errors.KeyringError as error:
            raise SecretMissing(
                f"The secret {name!r} is not in the environment, and the keyring could not be read ({error}).",
                hint=_NO_KEYRING_HINT,
            ) from None
        if value is None:
            raise SecretMissing(
                f"The secret {name!r} is not set (looked in the keyring service {self.service!r} and "
                f"${ENV_PREFIX}{name.upper()}).",
                hint=f"Set it with `deskhand secret set {name}`, or export {ENV_PREFIX}{name.upper()}=...",
            )
        return str(value)

    def set(self, name: str, value: str) -> None:
        check_name(name)
        if not value:
            raise SecretMissing(f"The secret {name!r} would be empty.", hint="Give it a value.")
        self._keyring(lambda: keyring.set_password(self.service, name, value))
        self._write_index(sorted({*self.names(), name}))

    def delete(self, name: str) -> None:
        check_name(name)
        names = self.names()
        try:
            keyring.delete_password(self.service, name)
        except keyring.errors.PasswordDeleteError:
            if name not in names:
                raise SecretMissing(
                    f"There is no secret {name!r} in the keyring.", hint="See the names with `deskhand secret list`."
                ) from None
        except keyring.errors.KeyringError as error:
            raise DeskhandError(f"The keyring refused to delete {name!r}: {error}.", hint=_NO_KEYRING_HINT) from None
        self._write_index([n for n in names if n != name])

    def known(self) -> dict[str, str]:
        """Every secret this machine has for deskhand, by name (environment and keyring; a keyring that does
        not answer adds nothing): for scrubbing text in a process that typed none of them itself."""
        found = {
            key.removeprefix(ENV_PREFIX).lower(): value
            for key, value in self._env.items()
            if key.startswith(ENV_PREFIX)
        }
        try:
            names = self.names()
        except DeskhandError:
            return found
        for name in names:
            if name not in found:
                try:
                    found[name] = self.get(name)
                except DeskhandError:
                    continue
        return found

    def names(self) -> list[str]:
        """Names set through deskhand (values are never listed)."""
        stored = self._keyring(lambda: keyring.get_password(self.service, _INDEX))
        return [n for n in (stored or "").split(",") if n]

    def _write_index(self, names: list[str]) -> None:
        self._keyring(lambda: keyring.set_password(self.service, _INDEX, ",".join(names)))

    @staticmethod
    def _keyring(call: Callable[[], str | None]) -> str | None:
        try:
            return call()
        except keyring.errors.KeyringError as error:
            raise DeskhandError(f"The keyring could not be used: {error}.", hint=_NO_KEYRING_HINT) from None


class Redactor:
    """Knows every secret value used in this process and replaces each with its placeholder."""

    def __init__(self) -> None:
        self._names: dict[str, str] = {}
        self._lock = threading.Lock()

    def add(self, name: str, value: str) -> None:
        if value:
            with self._lock:
                self._names[value] = name

    @property
    def values(self) -> tuple[str, ...]:
        with self._lock:
            return tuple(self._names)

    def __call__(self, text: str) -> str:
        return self.redact(text)

    def redact(self, text: str) -> str:
        with self._lock:
            known = sorted(self._names.items(), key=lambda item: -len(item[0]))
        for value, name in known:
            if value in text:
                text = text.replace(value, placeholder(name))
        return text

    @classmethod
    def of_known_secrets(cls, store: SecretStore) -> Redactor:
        """A redactor that knows every secret of :meth:`SecretStore.known` (for `deskhand apps`, `inspect`)."""
        redactor = cls()
        for name, value in store.known().items():
            redactor.add(name, value)
        return redactor

    def redact_bytes(self, data: bytes) -> bytes:
        for value, name in sorted(((v, self._names[v]) for v in self.values), key=lambda item: -len(item[0])):
            data = data.replace(value.encode("utf-8"), placeholder(name).encode("utf-8"))
        return data


class SecretResolver:
    """Swaps secret references for values at the last moment, for secrets the policy allows.

    Only a :class:`~deskhand.workflows.secret_text.SecretText` holds references (the ones its author
    wrote); any other text is typed as it is, ``{secret:…}`` and all."""

    def __init__(self, store: SecretStore, redactor: Redactor, allowed: Callable[[str], bool]) -> None:
        self.store = store
        self.redactor = redactor
        self.allowed = allowed

    def resolve(self, text: str) -> str:
        if not isinstance(text, SecretText):
            return str(text)
        for name in text.secret_names:
            if not self.allowed(name):
                raise PolicyDenied(
                    f"The secret {name!r} is not declared by this workflow, so it cannot be typed.",
                    hint=f"Add {name} under secrets: in the front matter if the workflow needs it.",
                )
        return text.expand(self._value)

    def _value(self, name: str) -> str:
        value = self.store.get(name)
        self.redactor.add(name, value)
        return value
