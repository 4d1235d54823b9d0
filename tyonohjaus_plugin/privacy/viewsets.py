"""The admin registration of the data-protection screens: "Personal data" in the plugin's menu,
shown to HR with either of its permissions (``erase_person``, ``export_person_data``)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.base import ViewSet

from tyonohjaus_plugin.core.views import shown_if
from tyonohjaus_plugin.permissions import can_find_people
from tyonohjaus_plugin.privacy import views


class PersonDataViewSet(ViewSet):
    """Find a person, see what the plugin holds about them, export it, erase it."""

    name = "tyonohjaus_privacy"
    url_prefix = "tyonohjaus/people"
    icon = "user"
    menu_label = _("Personal data")
    menu_name = "personal-data"
    menu_item_class = shown_if(can_find_people)

    def get_urlpatterns(self):
        return [
            path("", views.SearchView.as_view(), name="index"),
            path("<tyonohjaus_pk:pk>/", views.PersonView.as_view(), name="person"),
            path(
                "<tyonohjaus_pk:pk>/export.json",
                views.ExportView.as_view(format="json"),
                name="export_json",
            ),
            path(
                "<tyonohjaus_pk:pk>/export/",
                views.ExportView.as_view(format="html"),
                name="export_html",
            ),
            path("<tyonohjaus_pk:pk>/erase/", views.EraseView.as_view(), name="erase"),
        ]
