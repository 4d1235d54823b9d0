"""Receivers of the plugin; connected once from ``apps.py``."""

from django.conf import settings
from django.db.models.signals import post_delete, post_migrate, post_save, pre_delete


def clear_privacy_notice_cache(sender, **kwargs):
    from tyonohjaus_plugin.applications.section import clear_notice_cache

    clear_notice_cache()


def queue_application_emails(sender, application, **kwargs):
    # The receipt and invitations are in the outbox since the submit's transaction
    # (application_submitted is sent after the commit): send them now.
    from tyonohjaus_plugin.jobs import enqueue

    enqueue("tyonohjaus_plugin.tasks.send_outbox_task")


def start_matching_on_close(sender, round, **kwargs):
    """A closed round is matched right away, so HR finds a proposal on the board."""
    from tyonohjaus_plugin.actions.run_matching import MatchingAlreadyRunning, StartMatchRunAction
    from tyonohjaus_plugin.conf import plugin_settings

    if not plugin_settings.MATCHING_AUTO_START:
        return
    try:
        StartMatchRunAction(round).execute()
    except MatchingAlreadyRunning:
        pass  # HR started one first: that run serves


def erase_deleted_user(sender, instance, **kwargs):
    """A user account deleted by the site takes its plugin data with it, as an erasure would:
    otherwise the free text would stay without a person to find it by (the links are
    ``SET_NULL``, so the statistics survive either way)."""
    from tyonohjaus_plugin.actions.erase_person import ErasePersonAction

    if instance.pk is not None:
        ErasePersonAction(instance.pk, user=None, system=True).execute()


def register_signal_handlers():
    from tyonohjaus_plugin.jobs import ensure_schedules_after_migrate
    from tyonohjaus_plugin.models import PrivacyNotice
    from tyonohjaus_plugin.signals import application_submitted, round_closed

    round_closed.connect(start_matching_on_close, dispatch_uid="tyonohjaus_plugin.auto_matching")
    post_migrate.connect(ensure_schedules_after_migrate, dispatch_uid="tyonohjaus_plugin.schedules")
    pre_delete.connect(
        erase_deleted_user,
        sender=settings.AUTH_USER_MODEL,
        dispatch_uid="tyonohjaus_plugin.erase_deleted_user",
    )

    application_submitted.connect(
        queue_application_emails, dispatch_uid="tyonohjaus_plugin.application_emails"
    )

    for signal in (post_save, post_delete):
        signal.connect(
            clear_privacy_notice_cache,
            sender=PrivacyNotice,
            dispatch_uid=f"tyonohjaus_plugin.notice_cache.{signal is post_save}",
        )
