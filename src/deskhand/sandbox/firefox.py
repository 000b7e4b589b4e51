"""Firefox (Debian's firefox-esr) in a private profile: no first-run pages, telemetry, updates or
background traffic, and no network beyond loopback unless a page is asked for."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path

# Written to the profile's user.js, which Firefox applies at every start.
PREFS: Mapping[str, object] = {
    "browser.shell.checkDefaultBrowser": False,
    "browser.aboutwelcome.enabled": False,
    "browser.startup.homepage_override.mstone": "ignore",
    "browser.startup.firstrunSkipsHomepage": True,
    "startup.homepage_welcome_url": "",
    "startup.homepage_welcome_url.additional": "",
    "browser.tabs.warnOnClose": False,
    "browser.warnOnQuit": False,
    "browser.sessionstore.resume_from_crash": False,
    "browser.newtabpage.enabled": False,
    "browser.newtab.preload": False,
    "browser.discovery.enabled": False,
    "browser.safebrowsing.malware.enabled": False,
    "browser.safebrowsing.phishing.enabled": False,
    "browser.safebrowsing.downloads.enabled": False,
    "browser.safebrowsing.update.enabled": False,
    "browser.search.update": False,
    "browser.topsites.contile.enabled": False,
    "datareporting.policy.dataSubmissionEnabled": False,
    "datareporting.healthreport.uploadEnabled": False,
    "toolkit.telemetry.enabled": False,
    "toolkit.telemetry.unified": False,
    "toolkit.telemetry.reportingpolicy.firstRun": False,
    "app.update.auto": False,
    "app.update.enabled": False,
    "app.normandy.enabled": False,
    "extensions.update.enabled": False,
    "extensions.getAddons.cache.enabled": False,
    "network.captive-portal-service.enabled": False,
    "network.connectivity-service.enabled": False,
    "network.prefetch-next": False,
    "network.dns.disablePrefetch": True,
    "network.http.speculative-parallel-limit": 0,
    "services.settings.server": "http://127.0.0.1:9/",
    "signon.rememberSignons": False,
    "media.autoplay.default": 5,
    # Accessibility on for every content process, whatever the desktop says.
    "accessibility.force_disabled": -1,
}


def write_profile(profile_dir: Path, pac_script: str | None = None) -> None:
    """Create ``profile_dir`` with deskhand's prefs (kept: a profile is reused between runs). With
    ``pac_script``, every request (loopback too) goes through that proxy auto-config script."""
    profile_dir.mkdir(parents=True, exist_ok=True)
    prefs = dict(PREFS)
    pac_path = profile_dir / "deskhand.pac"
    if pac_script is not None:
        pac_path.write_text(pac_script)
        prefs.update(
            {
                "network.proxy.type": 2,
                "network.proxy.autoconfig_url": pac_path.as_uri(),
                "network.proxy.allow_hijacking_localhost": True,
                "network.proxy.failover_direct": False,
            }
        )
    else:
        pac_path.unlink(missing_ok=True)
        prefs["network.proxy.type"] = 0
    lines = "".join(f"user_pref({json.dumps(key)}, {json.dumps(value)});\n" for key, value in prefs.items())
    (profile_dir / "user.js").write_text(lines)


def firefox_argv(
    url: str,
    *,
    binary: str,
    profile_dir: Path,
    remote_debugging_port: int | None = None,
    window_size: tuple[int, int] | None = None,
    extra_args: Sequence[str] = (),
) -> list[str]:
    # --no-remote and --new-instance: never hand the page to a Firefox the person already runs.
    argv = [binary, "--no-remote", "--new-instance", "--profile", str(profile_dir)]
    if window_size is not None:
        argv += ["--width", str(window_size[0]), "--height", str(window_size[1])]
    if remote_debugging_port is not None:
        # WebDriver BiDi on loopback (Firefox binds 127.0.0.1 for this flag).
        argv.append(f"--remote-debugging-port={remote_debugging_port}")
    return [*argv, *extra_args, url]
