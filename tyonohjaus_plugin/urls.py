"""Public URLs of the plugin. Include them inside ``i18n_patterns`` (see README)."""

from django.urls import path

from .views.applications import apply, invitation, received
from .views.feedback import submit_feedback

app_name = "tyonohjaus_plugin"

urlpatterns = [
    path("feedback/<int:page_id>/", submit_feedback, name="submit_feedback"),
    path("apply/<int:page_id>/", apply, name="apply"),
    path("applications/<int:pk>/received/", received, name="application_received"),
    path("invitations/<str:token>/", invitation, name="invitation"),
]
