"""A plain urllib client for the demo CRM, as the tests (and a browser) use it."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import Message


@dataclass(frozen=True)
class Reply:
    status: int
    headers: Message
    text: str

    def json(self) -> object:
        return json.loads(self.text)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None  # let the test see the 303 itself


class CrmClient:
    """Plain urllib against a running CRM: 4xx/5xx replies are returned, not raised; redirects not followed."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self._opener = urllib.request.build_opener(_NoRedirects)

    def request(self, method: str, path: str, body: bytes | None = None, content_type: str = "") -> Reply:
        request = urllib.request.Request(self.base_url + path, data=body, method=method)
        if content_type:
            request.add_header("Content-Type", content_type)
        try:
            with self._opener.open(request, timeout=5) as response:
                return Reply(response.status, response.headers, response.read().decode("utf-8"))
        except urllib.error.HTTPError as error:
            with error:
                return Reply(error.code, error.headers, error.read().decode("utf-8"))

    def get(self, path: str) -> Reply:
        return self.request("GET", path)

    def post_form(self, path: str, fields: Mapping[str, str]) -> Reply:
        body = urllib.parse.urlencode(fields).encode()
        return self.request("POST", path, body, "application/x-www-form-urlencoded")

    def save(self, fields: Mapping[str, str]) -> Reply:
        """POST a contact and follow the redirect (if any) like a browser."""
        reply = self.post_form("/contacts", fields)
        if reply.status == 303:
            return self.get(reply.headers["Location"])
        return reply
