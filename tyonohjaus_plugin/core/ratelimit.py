"""Fixed-window rate limits kept only in the cache, keyed by a salted hash of who is counted.

Anonymous requests are counted per browser (the client address and the browser's session
together) and per address (every browser behind it, a looser ceiling): behind a proxy or NAT
many people share one address, and a limit per address alone would be one limit for all of them.
Nothing about the client reaches the database. If the cache is unreachable the limiter fails open:
it is a convenience against floods, not a guarantee. The counts must be in a cache every process
shares (system check ``tyonohjaus_plugin.W008``).
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.utils.crypto import salted_hmac

from tyonohjaus_plugin.conf import plugin_settings

logger = logging.getLogger(__name__)


def client_address(request) -> str:
    """The client's address: ``REMOTE_ADDR``, or behind proxies the header they write.

    ``CLIENT_ADDRESS_META`` names the header (e.g. ``HTTP_X_FORWARDED_FOR``) and
    ``CLIENT_ADDRESS_PROXIES`` how many trusted proxies append to it. Each proxy appends the
    address it received the request from, so the client is that many entries from the right;
    entries further left came from the client and could say anything. Without the header (a
    request that did not pass the proxies) the peer's own address counts.
    """
    value = request.META.get(plugin_settings.CLIENT_ADDRESS_META, "") or ""
    entries = [entry.strip() for entry in value.split(",") if entry.strip()]
    if not entries:
        return request.META.get("REMOTE_ADDR", "") or ""
    return entries[-min(max(plugin_settings.CLIENT_ADDRESS_PROXIES, 1), len(entries))]


def browser_session(request) -> str:
    """Which browser sent ``request``: its session key, else its CSRF cookie (a form POST always
    carries one), else "" (counted with every such request from its address).

    Either can be dropped or forged, which is why the address has its own ceiling as well.
    """
    session = getattr(request, "session", None)
    key = session.session_key if session is not None else None
    if key:
        return f"session:{key}"
    token = request.COOKIES.get(settings.CSRF_COOKIE_NAME, "")
    return f"csrf:{token}" if token else ""


def is_client_rate_limited(scope: str, request, limits, address_limits) -> bool:
    """Count a hit for the browser (address and session: ``limits``) and for its address
    (every browser there: ``address_limits``); tell whether either is exceeded."""
    address = client_address(request)
    per_browser = is_rate_limited(scope, f"{address} {browser_session(request)}", limits)
    per_address = is_rate_limited(f"{scope}:address", address, address_limits)
    return per_browser or per_address


def is_rate_limited(scope: str, identity: str, limits) -> bool:
    """Count a hit for ``identity``; tell whether any ``(count, seconds)`` limit is exceeded."""
    digest = salted_hmac("tyonohjaus_plugin.ratelimit", identity).hexdigest()[:32]
    now = int(time.time())
    limited = False
    try:
        for count, seconds in limits:
            key = f"tyonohjaus:rl:{scope}:{seconds}:{now // seconds}:{digest}"
            cache.add(key, 0, seconds + 1)
            try:
                hits = cache.incr(key)
            except ValueError:  # expired between add() and incr()
                cache.set(key, 1, seconds + 1)
                hits = 1
            limited = limited or hits > count
    except Exception:  # noqa: BLE001 - any cache failure: let the request through
        logger.warning("Rate limit cache unavailable; %s request allowed.", scope)
        return False
    return limited
