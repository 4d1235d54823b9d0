"""Public URLs of the plugin. Include them inside ``i18n_patterns`` (see README).

Ids in paths use ``tyonohjaus_pk`` (``core.ids``): anything but a valid primary key is a 404.
"""

from django.urls import path

from tyonohjaus_plugin.applications.views import (
    apply,
    download_my_data,
    edit_application,
    invitation,
    my_applications,
    received,
    search_people,
    withdraw_application,
)
from tyonohjaus_plugin.engagements.evaluation import evaluation
from tyonohjaus_plugin.feedback.views import submit_feedback

app_name = "tyonohjaus_plugin"

urlpatterns = [
    path("feedback/<tyonohjaus_pk:page_id>/", submit_feedback, name="submit_feedback"),
    path("apply/<tyonohjaus_pk:page_id>/", apply, name="apply"),
    path("applications/<tyonohjaus_pk:pk>/received/", received, name="application_received"),
    path("invitations/<str:token>/", invitation, name="invitation"),
    path("my-applications/", my_applications, name="my_applications"),
    path(
        "applications/<tyonohjaus_pk:pk>/withdraw/",
        withdraw_application,
        name="withdraw_application",
    ),
    path("applications/<tyonohjaus_pk:pk>/edit/", edit_application, name="edit_application"),
    path("my-data.json", download_my_data, name="download_my_data"),
    path("people/", search_people, name="search_people"),
    path("evaluations/<str:token>/", evaluation, name="evaluation"),
]
