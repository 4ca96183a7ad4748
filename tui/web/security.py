"""The access rules of `mlfolio web`, as pure functions the server and the tests share.

A per-run secret token (as Jupyter does) or, only when asked for, a trusted
reverse proxy's user header decides who gets in; every websocket's `Origin`
must be the served address, so that another web page open in a teammate's
browser cannot drive the dashboard.
"""

from __future__ import annotations

import hmac
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

COOKIE = "mlfolio_web"
"""The cookie that carries the token after its first use in a URL."""

USER_NAME = re.compile(r"[\w.@+-]{1,64}")
"""Names a proxy header may give: word characters and . @ + -, at most 64."""

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline';"
    " img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none';"
    " form-action 'none'; frame-ancestors 'none'"
)
"""Content-Security-Policy of every response: nothing loads from anywhere but this server."""


def new_token() -> str:
    """A fresh secret for one run."""
    return secrets.token_urlsafe(32)


def token_matches(given: str | None, token: str) -> bool:
    """Whether `given` is the run's token, compared in constant time."""
    return given is not None and hmac.compare_digest(given.encode(), token.encode())


@dataclass(frozen=True, slots=True)
class Verdict:
    """Who a request is, or why it is refused (status and one-line reason)."""

    user: str | None = None
    status: int = 200
    reason: str = ""
    set_cookie: bool = False
    """The token came in the URL: set the cookie and redirect to the URL without it."""


def identify(
    query_token: str | None,
    cookie: str | None,
    headers: Mapping[str, str],
    *,
    token: str,
    proxy_header: str | None,
) -> Verdict:
    """Who is asking: the proxy's user when trusted, else the holder of the token."""
    if proxy_header is not None:
        user = headers.get(proxy_header, "").strip()
        if not user:
            return Verdict(status=403, reason=f"no {proxy_header} header from the proxy")
        if not USER_NAME.fullmatch(user):
            return Verdict(status=403, reason=f"unusable user name in {proxy_header}")
        return Verdict(user=user)
    if token_matches(query_token, token):
        return Verdict(set_cookie=True)
    if token_matches(cookie, token):
        return Verdict()
    if query_token is not None:
        return Verdict(status=403, reason="wrong token")
    return Verdict(status=403, reason="no token (open the URL printed at start)")


def allowed_hosts(headers: Mapping[str, str], served: str, *, trust_proxy: bool) -> set[str]:
    """The host:port values an Origin may name: the served one, and the proxy's when trusted."""
    hosts = {served.lower()}
    if trust_proxy:
        for name in ("Host", "X-Forwarded-Host"):
            value = headers.get(name)
            if value:
                hosts.update(part.strip().lower() for part in value.split(","))
    return hosts


def origin_allowed(origin: str | None, hosts: set[str]) -> bool:
    """Whether a websocket's Origin is one of `hosts` (a missing Origin is refused)."""
    if not origin:
        return False
    parts = urlsplit(origin)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return False
    port = parts.port or (443 if parts.scheme == "https" else 80)
    netloc = parts.netloc.lower()
    return netloc in hosts or f"{parts.hostname.lower()}:{port}" in hosts


def attachment(name: str) -> str:
    """A Content-Disposition header that downloads a file as `name`, whatever it holds.

    RFC 6266: a plain ASCII fallback (quotes, backslashes and anything else
    replaced by `_`) for old clients, and the exact name, UTF-8 and
    percent-encoded, in `filename*` for every browser since 2011.
    """
    fallback = "".join(c if " " <= c <= "~" and c not in '"\\' else "_" for c in name)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"
