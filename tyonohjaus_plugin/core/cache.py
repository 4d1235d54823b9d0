"""A Redis cache that degrades to a miss when Redis is down, instead of taking the site with it.

Wagtail reads its site root paths from the cache on every page, the plugin its privacy notice
and its rate limits: with Django's ``RedisCache`` each of those raises while Redis is away, and
the service page, the application POST and HR's actions answer 500. Use this backend instead::

    CACHES = {"default": {
        "BACKEND": "tyonohjaus_plugin.core.cache.DegradingRedisCache",
        "LOCATION": "redis://redis:6379/1",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }}

Reads miss, writes and deletes are dropped, ``add`` reports "not added" and ``incr`` raises
``ValueError`` as for a missing key (callers already handle both); every failure is logged, at
most once a minute per process, so an outage shows in the logs without flooding them. Set the
socket timeouts: a Redis that hangs would otherwise hold each request for the client's default.
"""

from __future__ import annotations

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger("tyonohjaus_plugin.cache")

#: Seconds between two log lines about the same outage (per process).
LOG_EVERY = 60.0


def _redis_errors() -> tuple[type[BaseException], ...]:
    from redis.exceptions import RedisError

    # OSError: a socket error the client did not wrap (refused, reset, unreachable).
    return (RedisError, OSError)


def _degrade(default=None, *, raises=None):
    """Run the cache call; on a Redis error log it and return ``default`` (or raise ``raises``)."""

    def decorator(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except self.unavailable as exc:
                self._log_outage(method.__name__, exc)
                if raises is not None:
                    raise raises("cache unavailable") from exc
                return default() if callable(default) else default

        return wrapper

    return decorator


class DegradingRedisCache(RedisCache):
    """``RedisCache`` whose calls fall back to "not cached" while Redis is unreachable."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self.unavailable = _redis_errors()
        self._last_logged = float("-inf")

    def _log_outage(self, operation: str, exc: BaseException) -> None:
        now = time.monotonic()
        if now - self._last_logged >= LOG_EVERY:
            self._last_logged = now
            logger.warning(
                "Cache unavailable (%s: %s); serving without it.", operation, type(exc).__name__
            )

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except self.unavailable as exc:
            self._log_outage("get", exc)
            return default

    get_many = _degrade(dict)(RedisCache.get_many)
    has_key = _degrade(False)(RedisCache.has_key)
    set = _degrade(None)(RedisCache.set)
    set_many = _degrade(list)(RedisCache.set_many)
    add = _degrade(False)(RedisCache.add)
    touch = _degrade(False)(RedisCache.touch)
    delete = _degrade(False)(RedisCache.delete)
    delete_many = _degrade(None)(RedisCache.delete_many)
    clear = _degrade(False)(RedisCache.clear)
    incr = _degrade(raises=ValueError)(RedisCache.incr)

    def get_or_set(self, key, default, timeout=None, version=None):
        # BaseCache's version calls add() then get(): with both degraded it returns the value.
        value = self.get(key, version=version)
        if value is None:
            value = default() if callable(default) else default
            if value is not None:
                self.add(key, value, timeout=timeout, version=version)
        return value

    def ping(self) -> bool:
        """True when Redis answers (the readiness check uses it)."""
        try:
            return bool(self._cache.get_client(write=True).ping())
        except self.unavailable:
            return False


def cache_call(operation, *args, **kwargs):
    """``operation(*args)`` on a cache, or None when the cache fails: the plugin's own reads and
    writes keep working on a site whose cache backend raises (Django's ``RedisCache``)."""
    try:
        return operation(*args, **kwargs)
    except Exception as exc:  # noqa: BLE001 - any backend's error: the database answers instead
        logger.warning("Cache unavailable (%s); serving without it.", type(exc).__name__)
        return None
