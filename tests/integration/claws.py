"""A Claws Mail configuration written by the test (Debian's `claws-mail`, GTK 3): one SMTP-only account sending
to a loopback sink, an MH mailbox for its queue and sent folders, no spell checker (its dictionaries are not
installed: Claws says so in a dialog) and no autosave."""

from __future__ import annotations

import textwrap
from pathlib import Path

from deskhand.sandbox import VirtualDesktop
from deskhand.sandbox.launch import LaunchedApp

# "None (SMTP only)" in Claws' account protocols (POP3 0, IMAP4 3, News 4, local mbox 5).
_SMTP_ONLY = 6


def write_config(folder: Path, smtp_port: int) -> Path:
    mail = folder / "Mail"
    for sub in ("inbox", "sent", "queue", "draft", "trash"):
        (mail / sub).mkdir(parents=True, exist_ok=True)
    (folder / "accountrc").write_text(
        textwrap.dedent(f"""\
            [Account: 1]
            account_name=me@example.org
            is_default=1
            name=Desk Hand
            address=me@example.org
            protocol={_SMTP_ONLY}
            smtp_server=127.0.0.1
            set_smtpport=1
            smtp_port={smtp_port}
            use_smtp_auth=0
            ssl_smtp=0
            auto_signature=0
            """),
        encoding="utf-8",
    )
    folders = "\n".join(
        f'    <folderitem type="{kind}" name="{name}" path="{name}"/>'
        for kind, name in (("inbox", "inbox"), ("outbox", "sent"), ("queue", "queue"), ("draft", "draft"))
    )
    (folder / "folderlist.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<folderlist>\n'
        f'<folder type="mh" name="Mailbox" path="{mail}" collapsed="0">\n{folders}\n'
        '    <folderitem type="trash" name="trash" path="trash"/>\n</folder>\n</folderlist>\n',
        encoding="utf-8",
    )
    (folder / "clawsrc").write_text("[Common]\nenable_aspell=0\ncheck_while_typing=0\nautosave=0\n", encoding="utf-8")
    return folder


def launch_claws_compose(virtual: VirtualDesktop, smtp_port: int) -> LaunchedApp:
    """Claws Mail with its own configuration, straight into a compose window."""
    config = write_config(virtual.temp_dir / "claws", smtp_port)
    return virtual.launch(["claws-mail", "--alternate-config-dir", str(config), "--compose"], timeout=90)
