"""Admin menu entry of the outbox: Wagtail's listing of every message the service sends.

Who sees it and who may resend is the permission policy registered for ``Delivery``
(``outbox.policies.DeliveryPermissionPolicy``), which also decides whether the menu item shows.
Messages are made by the service: there is no add, edit, copy, inspect or delete view.
"""

from django.contrib.auth.models import Permission
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.model import ModelViewSet

from tyonohjaus_plugin.models import Delivery
from tyonohjaus_plugin.outbox.filters import DeliveryFilterSet
from tyonohjaus_plugin.outbox.views import PAGE_SIZE, DeliveryIndexView, resend


class OutboxViewSet(ModelViewSet):
    """Every message the service sends, with its state; HR resends failed or uncertain ones."""

    model = Delivery
    name = "tyonohjaus_outbox"
    url_prefix = "tyonohjaus/outbox"
    icon = "mail"
    menu_label = _("Outbox")
    index_view_class = DeliveryIndexView
    copy_view_enabled = False
    list_per_page = PAGE_SIZE
    filterset_class = DeliveryFilterSet
    add_to_reference_index = False

    def get_common_view_kwargs(self, **kwargs):
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        view_kwargs.update(
            add_url_name=None,
            edit_url_name=None,
            copy_url_name=None,
            delete_url_name=None,
            history_url_name=None,
            usage_url_name=None,
        )
        return view_kwargs

    def get_permissions_to_register(self):
        # view_delivery and change_delivery are offered by the plugin's own hook.
        return Permission.objects.none()

    def register_admin_url_finder(self):
        """No edit view, so no "edit" URL for Wagtail's admin URL finder."""

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("<int:pk>/resend/", resend, name="resend"),
        ]
