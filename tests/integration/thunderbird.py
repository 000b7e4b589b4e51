"""A Thunderbird profile written by the test: one account sending through a loopback SMTP server, no IMAP,
nothing that asks questions at start (first-run pages, default-client check, rights bar, telemetry)."""

from __future__ import annotations

import json
from pathlib import Path

from deskhand.sandbox import VirtualDesktop
from deskhand.sandbox.launch import LaunchedApp


def write_profile(profile: Path, smtp_port: int) -> Path:
    profile.mkdir(parents=True, exist_ok=True)
    prefs = {
        "mail.accountmanager.accounts": "account1,account2",
        "mail.accountmanager.defaultaccount": "account1",
        "mail.accountmanager.localfoldersserver": "server2",
        "mail.account.account1.identities": "id1",
        "mail.account.account1.server": "server1",
        "mail.account.account2.server": "server2",
        "mail.server.server1.type": "pop3",
        "mail.server.server1.hostname": "127.0.0.1",
        "mail.server.server1.port": 1,
        "mail.server.server1.userName": "me",
        "mail.server.server1.name": "Test account",
        "mail.server.server1.login_at_startup": False,
        "mail.server.server1.check_new_mail": False,
        "mail.server.server1.directory-rel": "[ProfD]Mail/127.0.0.1",
        "mail.server.server2.type": "none",
        "mail.server.server2.hostname": "Local Folders",
        "mail.server.server2.userName": "nobody",
        "mail.server.server2.name": "Local Folders",
        "mail.server.server2.directory-rel": "[ProfD]Mail/Local Folders",
        "mail.identity.id1.fullName": "Desk Hand",
        "mail.identity.id1.useremail": "me@example.org",
        "mail.identity.id1.smtpServer": "smtp1",
        "mail.identity.id1.valid": True,
        "mail.identity.id1.compose_html": False,
        "mail.identity.id1.fcc": False,
        "mail.identity.id1.attach_signature": False,
        "mail.smtpservers": "smtp1",
        "mail.smtp.defaultserver": "smtp1",
        "mail.smtpserver.smtp1.hostname": "127.0.0.1",
        "mail.smtpserver.smtp1.port": smtp_port,
        "mail.smtpserver.smtp1.authMethod": 1,
        "mail.smtpserver.smtp1.try_ssl": 0,
        "mail.smtpserver.smtp1.username": "",
        "mail.provider.suppress_dialog_on_startup": True,
        "mail.shell.checkDefaultClient": False,
        "mailnews.start_page.enabled": False,
        "mail.rights.version": 1,
        "mail.spotlight.firstRunDone": True,
        "app.update.auto": False,
        "app.update.enabled": False,
        "datareporting.policy.dataSubmissionEnabled": False,
        "toolkit.telemetry.reportingpolicy.firstRun": False,
        "mail.SpellCheckBeforeSend": False,
        "mail.warn_on_send_accel_key": False,
        "mail.compose.big_attachments.notify": False,
        "mail.compose.attachment_reminder": False,
        "browser.shell.checkDefaultBrowser": False,
        "mailnews.auto_config_url": "",
        "mail.cloud_files.enabled": False,
        "extensions.autoDisableScopes": 15,
        "mail.inline_attachments": False,
        "intl.locale.requested": "en-US",
        "mail.tabs.drawInTitlebar": False,
        "msgcompose.default_colors": True,
        "mail.compose.default_to_paragraph": False,
        "mail.default_send_format": 1,
        "accessibility.force_disabled": 0,
        "ui.prefersReducedMotion": 1,
        "mail.biff.show_alert": False,
        "mail.e2ee.auto_enable": False,
    }
    lines = [f'user_pref("{key}", {json.dumps(value)});' for key, value in prefs.items()]
    (profile / "user.js").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return profile


def launch_compose(virtual: VirtualDesktop, smtp_port: int) -> LaunchedApp:
    """Thunderbird (Gecko appears on AT-SPI only with GNOME_ACCESSIBILITY=1) straight into a compose window.

    Start-up is slow (~555 MB resident): the launch waits on the bus for its window, up to two minutes."""
    profile = write_profile(virtual.temp_dir / "thunderbird", smtp_port)
    argv = ["env", "GNOME_ACCESSIBILITY=1", "thunderbird", "--no-remote", "--profile", str(profile), "-compose"]
    return virtual.launch(argv, timeout=120)
