"""Receivers of the plugin; connected once from ``apps.py``."""

from django.db.models.signals import post_delete, post_save


def clear_privacy_notice_cache(sender, **kwargs):
    from .application_section import clear_notice_cache

    clear_notice_cache()


def queue_application_emails(sender, application, **kwargs):
    # application_submitted is sent after the commit, so the task finds the rows.
    from .jobs import enqueue

    enqueue("tyonohjaus_plugin.tasks.send_application_emails_task", application.pk)


def register_signal_handlers():
    from .models import PrivacyNotice
    from .signals import application_submitted

    application_submitted.connect(
        queue_application_emails, dispatch_uid="tyonohjaus_plugin.application_emails"
    )

    for signal in (post_save, post_delete):
        signal.connect(
            clear_privacy_notice_cache,
            sender=PrivacyNotice,
            dispatch_uid=f"tyonohjaus_plugin.notice_cache.{signal is post_save}",
        )
