"""A reader answers the feedback prompt of a service page."""

from tyonohjaus_plugin.actions.base import Action, NotPermitted
from tyonohjaus_plugin.models import FeedbackResponse
from tyonohjaus_plugin.signals import feedback_submitted


class SubmitFeedbackAction(Action):
    """Store one anonymous feedback answer for a live service page.

    Not audit-logged: the answer has no actor, and a log entry must not become a way to link it
    to a visitor.
    """

    atomic = False  # one INSERT on the page's hot path

    def __init__(self, page, *, found_information: bool, comment: str = ""):
        super().__init__()
        self.page = page
        self.found_information = found_information
        self.comment = comment

    def check(self):
        if not (self.page.live and self.page.feedback_enabled):
            raise NotPermitted("feedback_off")

    def perform(self) -> FeedbackResponse:
        return FeedbackResponse.objects.create(
            page_id=self.page.pk,
            locale_id=self.page.locale_id,
            found_information=self.found_information,
            comment=self.comment,
        )

    def committed(self, response):
        feedback_submitted.send(sender=FeedbackResponse, response=response)
