"""The application section of a service page: which round, who is asking, which form."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from wagtail.models import Locale

from tyonohjaus_plugin.core.cache import cache_call
from tyonohjaus_plugin.models import ApplicationRound, PrivacyNotice, RoundState
from tyonohjaus_plugin.models.applications import find_active_application


def current_rounds(service_key):
    """``(open_round, next_round)``: the round taking applications now and the next to open."""
    now = timezone.now()
    rounds = list(
        ApplicationRound.objects.for_service(service_key)
        .filter(state__in=(RoundState.OPEN, RoundState.UPCOMING), closes_at__gt=now)
        .order_by("opens_at")[:3]
    )
    open_round = next((r for r in rounds if r.state == RoundState.OPEN and r.opens_at <= now), None)
    next_round = next((r for r in rounds if r.opens_at > now), None)
    return open_round, next_round


NOTICE_CACHE_KEY = "tyonohjaus:privacy-notice:{}"


def current_notice(locale_id):
    """The newest privacy notice in the page's language (or in any language as a fallback).

    Cached per language, because every form view shows it; saving or deleting a notice clears
    the cache (signal_handlers.py).
    """
    key = NOTICE_CACHE_KEY.format(locale_id)
    notice = cache_call(cache.get, key)
    if notice is None:
        notices = PrivacyNotice.objects.order_by("-version")
        notice = notices.filter(locale_id=locale_id).first() or notices.first()
        if notice is not None:
            cache_call(cache.set, key, notice, 60 * 60)
    return notice


def clear_notice_cache():
    cache_call(
        cache.delete_many,
        [NOTICE_CACHE_KEY.format(pk) for pk in Locale.objects.values_list("pk", flat=True)],
    )


def get_application_context(page, request, form=None) -> dict | None:
    if not page.applications_enabled or request is None or not page.pk:
        return None
    open_round, next_round = current_rounds(page.translation_key)
    context = {
        "open_round": open_round,
        "next_round": next_round,
        "off_round": open_round is None and page.allow_off_round,
    }
    user = request.user
    if not user.is_authenticated:
        login_url = resolve_url(settings.LOGIN_URL)
        context["login_url"] = f"{login_url}?{urlencode({'next': page.url})}"
        return context
    existing = find_active_application(user, page.translation_key, open_round)
    context["existing"] = existing
    if existing is None and (open_round is not None or context["off_round"]):
        from tyonohjaus_plugin.applications.forms import ApplicationForm

        context["form"] = form or ApplicationForm(user=user, off_round=open_round is None)
        context["notice"] = current_notice(page.locale_id)
        context["action_url"] = reverse("tyonohjaus_plugin:apply", args=[page.pk])
    return context
