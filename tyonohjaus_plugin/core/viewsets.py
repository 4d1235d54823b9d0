"""A Wagtail ``ModelViewSet`` for records the service makes itself (engagements, messages):
listing (and inspect where a subclass enables it), no add, edit, copy, delete, history or usage."""

from django.contrib.auth.models import Permission
from wagtail.admin.viewsets.model import ModelViewSet


class ReadOnlyModelViewSet(ModelViewSet):
    copy_view_enabled = False
    add_to_reference_index = False

    def get_common_view_kwargs(self, **kwargs):
        # The views the product does not have get no URL name, so Wagtail offers no button.
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
        # The plugin's own hook offers the view/change permissions that mean something here;
        # Django's add and delete mean nothing.
        return Permission.objects.none()

    def register_admin_url_finder(self):
        """No edit view, so no "edit" URL for Wagtail's admin URL finder."""
