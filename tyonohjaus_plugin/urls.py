"""Public URLs of the plugin. Include them inside ``i18n_patterns`` (see README).

Ids in paths use ``tyonohjaus_pk`` (``core.ids``): anything but a valid primary key is a 404.
Every view here answers for one person, so every response is marked personal (no caching).
"""

from django.urls import path

from tyonohjaus_plugin.applications.views import (
    apply,
    edit_application,
    invitation,
    my_applications,
    received,
    search_people,
    withdraw_application,
)
from tyonohjaus_plugin.core.views import personal_view
from tyonohjaus_plugin.engagements.evaluation import evaluation
from tyonohjaus_plugin.engagements.participant_views import (
    my_supervision,
    supervision_detail,
    supervision_link,
)
from tyonohjaus_plugin.feedback.views import submit_feedback
from tyonohjaus_plugin.privacy.views import download_my_data, my_data

app_name = "tyonohjaus_plugin"


def personal_path(route, view, **kwargs):
    return path(route, personal_view(view), **kwargs)


urlpatterns = [
    personal_path("feedback/<tyonohjaus_pk:page_id>/", submit_feedback, name="submit_feedback"),
    personal_path("apply/<tyonohjaus_pk:page_id>/", apply, name="apply"),
    personal_path(
        "applications/<tyonohjaus_pk:pk>/received/", received, name="application_received"
    ),
    personal_path("invitations/<str:token>/", invitation, name="invitation"),
    personal_path("my-applications/", my_applications, name="my_applications"),
    personal_path(
        "applications/<tyonohjaus_pk:pk>/withdraw/",
        withdraw_application,
        name="withdraw_application",
    ),
    personal_path(
        "applications/<tyonohjaus_pk:pk>/edit/", edit_application, name="edit_application"
    ),
    personal_path("my-data.json", download_my_data, name="download_my_data"),
    personal_path("my-data/", my_data, name="my_data"),
    personal_path("people/", search_people, name="search_people"),
    personal_path("evaluations/<str:token>/", evaluation, name="evaluation"),
    personal_path("my-supervision/", my_supervision, name="supervision"),
    personal_path(
        "my-supervision/<tyonohjaus_pk:pk>/", supervision_detail, name="supervision_detail"
    ),
    personal_path("supervision-links/<str:token>/", supervision_link, name="supervision_link"),
]
