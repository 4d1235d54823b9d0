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
from tyonohjaus_plugin.engagements.agreement_views import (
    acknowledge_agreement,
    agreement_page,
    agreement_print,
)
from tyonohjaus_plugin.engagements.evaluation import evaluation
from tyonohjaus_plugin.engagements.first_meeting import first_meeting, first_meeting_mine
from tyonohjaus_plugin.engagements.participant_views import (
    my_supervision,
    supervision_detail,
    supervision_link,
)
from tyonohjaus_plugin.feedback.views import submit_feedback
from tyonohjaus_plugin.privacy.views import download_my_data, my_data
from tyonohjaus_plugin.supervisors import portal

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
    personal_path("first-meeting/<str:token>/", first_meeting, name="first_meeting"),
    personal_path(
        "first-meeting/mine/<tyonohjaus_pk:pk>/", first_meeting_mine, name="first_meeting_mine"
    ),
    # The external supervisor's portal (supervisors/portal.py): the signed link only in the
    # first URL, then from the session.
    personal_path("supervisor/", portal.engagement_list, name="portal"),
    personal_path("supervisor/link/", portal.request_link, name="portal_request_link"),
    personal_path("supervisor/enter/<str:token>/", portal.enter, name="portal_enter"),
    personal_path(
        "supervisor/enter/<str:token>/<tyonohjaus_pk:engagement_id>/",
        portal.enter,
        name="portal_enter_engagement",
    ),
    personal_path(
        "supervisor/engagements/<tyonohjaus_pk:pk>/",
        portal.engagement_detail,
        name="portal_engagement",
    ),
    personal_path(
        "supervisor/engagements/<tyonohjaus_pk:pk>/declare/",
        portal.declare,
        name="portal_declare",
    ),
    personal_path(
        "supervisor/engagements/<tyonohjaus_pk:pk>/agreement/goals/",
        portal.agreement_goals,
        name="portal_agreement_goals",
    ),
    personal_path(
        "supervisor/engagements/<tyonohjaus_pk:pk>/agreement/acknowledge/",
        portal.agreement_acknowledge,
        name="portal_agreement_acknowledge",
    ),
    personal_path(
        "supervisor/engagements/<tyonohjaus_pk:pk>/agreement/print/",
        portal.agreement_print,
        name="portal_agreement_print",
    ),
    personal_path(
        "supervisor/engagements/<tyonohjaus_pk:pk>/first-meeting/",
        portal.first_meeting,
        name="portal_first_meeting",
    ),
    personal_path(
        "supervisor/meetings/<tyonohjaus_pk:pk>/<str:action>/",
        portal.meeting_action,
        name="portal_meeting",
    ),
    personal_path("agreements/<tyonohjaus_pk:pk>/", agreement_page, name="agreement"),
    personal_path(
        "agreements/<tyonohjaus_pk:pk>/acknowledge/",
        acknowledge_agreement,
        name="agreement_acknowledge",
    ),
    personal_path("agreements/<tyonohjaus_pk:pk>/print/", agreement_print, name="agreement_print"),
    personal_path("my-supervision/", my_supervision, name="supervision"),
    personal_path(
        "my-supervision/<tyonohjaus_pk:pk>/", supervision_detail, name="supervision_detail"
    ),
    personal_path("supervision-links/<str:token>/", supervision_link, name="supervision_link"),
]
