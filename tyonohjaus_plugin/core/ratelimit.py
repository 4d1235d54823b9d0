"""Fixed-window rate limits kept only in the cache, keyed by a salted hash of the client address.

Nothing about the client reaches the database. If the cache is unreachable the limiter fails open:
it is a convenience against floods, not a guarantee.
"""

from __future__ import annotations

import logging
import time

from django.core.cache import cache
from django.utils.crypto import salted_hmac

from tyonohjaus_plugin.conf import plugin_settings

logger = logging.getLogger(__name__)


def client_address(request) -> str:
    """The client's address from the request header named by ``CLIENT_ADDRESS_META``.

    Behind a proxy set it to the header the proxy writes (e.g. ``HTTP_X_REAL_IP``); for a
    comma-separated list the first entry is used.
    """
    value = request.META.get(plugin_settings.CLIENT_ADDRESS_META, "") or ""
    return value.split(",")[0].strip()


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
