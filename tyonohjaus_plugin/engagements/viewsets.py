"""Admin menu entry of engagements and their meetings: Wagtail's listing and inspect views.

Who sees what is the permission policy registered for ``Engagement``
(``engagements.policies.EngagementPermissionPolicy``); it also decides whether the menu item
shows. Engagements come from confirming matches: there is no add, edit, copy or delete view.
"""

from django.contrib.auth.models import Permission
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.model import ModelViewSet

from tyonohjaus_plugin.engagements.filters import EngagementFilterSet
from tyonohjaus_plugin.engagements.views import (
    PAGE_SIZE,
    CancelEngagementView,
    EngagementIndexView,
    EngagementInspectView,
    MeetingActionView,
)
from tyonohjaus_plugin.models import Engagement


class EngagementViewSet(ModelViewSet):
    """Engagements and their meetings: HR sees all, a supervisor their own."""

    model = Engagement
    name = "tyonohjaus_engagements"
    url_prefix = "tyonohjaus/engagements"
    icon = "calendar"
    menu_label = _("Engagements")
    index_view_class = EngagementIndexView
    inspect_view_class = EngagementInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_per_page = PAGE_SIZE
    filterset_class = EngagementFilterSet
    add_to_reference_index = False

    def get_common_view_kwargs(self, **kwargs):
        # The detail page is the inspect view, under the URL name "detail"; the views that the
        # product does not have get no URL name, so Wagtail offers no button for them.
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        view_kwargs.update(
            inspect_url_name=self.get_url_name("detail"),
            add_url_name=None,
            edit_url_name=None,
            copy_url_name=None,
            delete_url_name=None,
            history_url_name=None,
            usage_url_name=None,
        )
        return view_kwargs

    def get_permissions_to_register(self):
        # view_engagement and change_engagement are offered by the plugin's own hook; Django's
        # add and delete permissions mean nothing here.
        return Permission.objects.none()

    def register_admin_url_finder(self):
        """No edit view, so no "edit" URL for Wagtail's admin URL finder."""

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("<int:pk>/", self.inspect_view, name="detail"),
            path("<int:pk>/cancel/", self.cancel_view, name="cancel"),
            path("meetings/<int:pk>/<str:action>/", self.meeting_view, name="meeting"),
        ]

    @property
    def cancel_view(self):
        return self.construct_view(CancelEngagementView, **self.get_inspect_view_kwargs())

    @property
    def meeting_view(self):
        return self.construct_view(MeetingActionView, **self.get_inspect_view_kwargs())
