from django.core.exceptions import PermissionDenied

from tyonohjaus_plugin.models import FeedbackResponse
from tyonohjaus_plugin.signals import feedback_submitted


class SubmitFeedbackAction:
    """Store one anonymous feedback answer for a live service page.

    Not audit-logged: the answer has no actor, and a log entry must not become a way to link it
    to a visitor.
    """

    def __init__(self, page, *, found_information: bool, comment: str = ""):
        self.page = page
        self.found_information = found_information
        self.comment = comment

    def check(self):
        if not (self.page.live and self.page.feedback_enabled):
            raise PermissionDenied("Feedback is not collected on this page.")

    def execute(self) -> FeedbackResponse:
        self.check()
        response = FeedbackResponse.objects.create(
            page_id=self.page.pk,
            locale_id=self.page.locale_id,
            found_information=self.found_information,
            comment=self.comment,
        )
        feedback_submitted.send(sender=FeedbackResponse, response=response)
        return response
