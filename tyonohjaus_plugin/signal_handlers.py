"""Receivers of the plugin; connected once from ``apps.py``."""

from django.db.models.signals import post_delete, post_save


def clear_privacy_notice_cache(sender, **kwargs):
    from .application_section import clear_notice_cache

    clear_notice_cache()


def register_signal_handlers():
    from .models import PrivacyNotice

    for signal in (post_save, post_delete):
        signal.connect(
            clear_privacy_notice_cache,
            sender=PrivacyNotice,
            dispatch_uid=f"tyonohjaus_plugin.notice_cache.{signal is post_save}",
        )
