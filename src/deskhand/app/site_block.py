"""Network-layer enforcement of ``sites`` for a Firefox deskhand starts: a proxy auto-config script.

Firefox asks the script about every request it makes (loopback included, with
``network.proxy.allow_hijacking_localhost``); the script lets the workflow's sites through and sends
everything else to a closed port on loopback, so an off-list page never loads, whatever opened it (a
redirect, a script, a form). The guard still judges links and hides off-list pages above this; this is
the layer under it. A Firefox deskhand did not start is not covered (its prefs are the person's).
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from deskhand.policy.web import SiteRule

# Nothing listens on the discard port: a request sent there fails at once.
BLOCKED = "PROXY 127.0.0.1:9"

_SCRIPT = """var RULES = %s;
var DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443};
function FindProxyForURL(url, host) {
  var m = /^([a-z][a-z0-9+.-]*):\\/\\/(\\[[^\\]]*\\]|[^\\/:?#]*)(?::(\\d+))?/i.exec(url);
  if (!m) { return "%s"; }
  var scheme = m[1].toLowerCase();
  var name = host.toLowerCase();
  var port = m[3] ? parseInt(m[3], 10) : DEFAULT_PORTS[scheme];
  for (var i = 0; i < RULES.length; i++) {
    var r = RULES[i];
    if (r.scheme && r.scheme !== scheme) { continue; }
    if (r.port !== null && r.port !== port) { continue; }
    if (name === r.host || (r.subdomains && name.slice(-(r.host.length + 1)) === "." + r.host)) {
      return "DIRECT";
    }
  }
  return "%s";
}
"""


def pac_for(sites: Sequence[str]) -> str:
    """The proxy auto-config script that lets only ``sites`` through (same rules as policy.web.SiteRule)."""
    rules = [SiteRule.parse(site) for site in sites]
    data = [
        {"scheme": rule.scheme, "host": rule.host, "port": rule.port, "subdomains": rule.subdomains}
        for rule in rules
        if rule.scheme != "file"
    ]
    return _SCRIPT % (json.dumps(data), BLOCKED, BLOCKED)
