"""Public URLs of the plugin. Include them inside ``i18n_patterns`` (see README)."""

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
    path("feedback/<int:page_id>/", submit_feedback, name="submit_feedback"),
    path("apply/<int:page_id>/", apply, name="apply"),
    path("applications/<int:pk>/received/", received, name="application_received"),
    path("invitations/<str:token>/", invitation, name="invitation"),
    path("my-applications/", my_applications, name="my_applications"),
    path("applications/<int:pk>/withdraw/", withdraw_application, name="withdraw_application"),
    path("applications/<int:pk>/edit/", edit_application, name="edit_application"),
    path("my-data.json", download_my_data, name="download_my_data"),
    path("people/", search_people, name="search_people"),
    path("evaluations/<str:token>/", evaluation, name="evaluation"),
]
