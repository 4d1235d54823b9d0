from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TyonohjausPluginAppConfig(AppConfig):
    name = "tyonohjaus_plugin"
    label = "tyonohjaus_plugin"
    verbose_name = _("Work supervision")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Importing registers the system checks and the settings reload receiver.
        # No database queries here (Django warns about them and they break `migrate`).
        # The outbox's senders register themselves for the kinds of message they send; ids
        # registers the path converter of every URL with a primary key, before URLs load.
        from tyonohjaus_plugin import checks, conf  # noqa: F401
        from tyonohjaus_plugin.core import ids  # noqa: F401
        from tyonohjaus_plugin.outbox import senders  # noqa: F401
        from tyonohjaus_plugin.signal_handlers import register_signal_handlers

        register_signal_handlers()
