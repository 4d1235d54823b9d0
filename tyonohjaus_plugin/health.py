"""Liveness and readiness for load balancers and process supervisors: ``/healthz`` and ``/readyz``.

A middleware, placed first in ``MIDDLEWARE``, answers both paths before anything else runs: no
host check (a probe asks for ``127.0.0.1``, not the site's name), no HTTPS redirect, no language
prefix, no session. ``/healthz`` only says the process answers. ``/readyz`` checks what a request
needs — a usable encryption key, the database, every migration applied, the cache and the
queue's broker — and that a
``qcluster`` is alive (its scheduler handled the minute schedule within
``READINESS_CLUSTER_MINUTES``; 0 leaves that out, e.g. for web machines whose load balancer
should not care about the workers). JSON, 200 when all pass, 503 otherwise; no error texts (they
may name hosts), only which check failed.
"""

from __future__ import annotations

import logging
import secrets
import time

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import JsonResponse
from django.utils import timezone

from tyonohjaus_plugin import jobs
from tyonohjaus_plugin.conf import plugin_settings
from tyonohjaus_plugin.core.encryption import fernet

logger = logging.getLogger("tyonohjaus_plugin.health")

LIVENESS_PATH = "/healthz"
READINESS_PATH = "/readyz"

# Once every migration is applied this process stays so (a release restarts the processes);
# the migration graph is not loaded again on every probe.
_migrated = False


def check_database() -> bool:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone()[0] == 1


def check_migrations() -> bool:
    global _migrated
    if not _migrated:
        from django.db.migrations.executor import MigrationExecutor

        connection = connections[DEFAULT_DB_ALIAS]
        executor = MigrationExecutor(connection)
        _migrated = not executor.migration_plan(executor.loader.graph.leaf_nodes())
    return _migrated


def check_cache() -> bool:
    # A round trip: a cache that degrades to misses (core.cache) answers None here.
    ping = getattr(cache, "ping", None)
    if ping is not None:
        return ping()
    value = secrets.token_hex(8)
    cache.set("tyonohjaus:readyz", value, 30)
    return cache.get("tyonohjaus:readyz") == value


def check_broker() -> bool:
    return jobs.broker_reachable()


def check_cluster() -> bool:
    minutes = plugin_settings.READINESS_CLUSTER_MINUTES
    if not minutes:
        return True
    last = jobs.last_scheduler_pass()
    return last is not None and (timezone.now() - last).total_seconds() <= minutes * 60


def check_encryption() -> bool:
    # gunicorn runs no system checks: a web process started without a usable key (E009) is
    # kept out of the load balancer instead of failing on the first application it reads.
    return fernet() is not None


CHECKS = {
    "encryption": check_encryption,
    "database": check_database,
    "migrations": check_migrations,
    "cache": check_cache,
    "broker": check_broker,
    "cluster": check_cluster,
}


def readiness() -> tuple[bool, dict]:
    results = {}
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            ok = bool(check())
        except Exception as exc:  # noqa: BLE001 - a failing dependency is a "no", never a 500
            logger.warning("Readiness check %s failed: %s", name, type(exc).__name__)
            ok = False
        results[name] = {"ok": ok, "ms": round((time.perf_counter() - started) * 1000, 1)}
        if name == "database" and not ok:
            # Without the database the later checks only repeat its failure, slowly.
            for rest in list(CHECKS)[list(CHECKS).index(name) + 1 :]:
                results[rest] = {"ok": False, "ms": 0.0, "skipped": True}
            break
    return all(result["ok"] for result in results.values()), results


def _json(status: str, code: int, **extra) -> JsonResponse:
    response = JsonResponse({"status": status, **extra}, status=code)
    response["Cache-Control"] = "no-store"
    # A probe every few seconds during an outage must not log (and mail ADMINS) an error each
    # time: the failed check is logged once per probe at WARNING instead.
    response._has_been_logged = True
    return response


class HealthMiddleware:
    """Answers ``/healthz`` and ``/readyz`` (GET or HEAD); every other request passes on."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info.rstrip("/") or "/"
        if path not in (LIVENESS_PATH, READINESS_PATH):
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            return _json("method not allowed", 405)
        if path == LIVENESS_PATH:
            return _json("ok", 200)
        ok, checks = readiness()
        return _json("ok" if ok else "unavailable", 200 if ok else 503, checks=checks)
