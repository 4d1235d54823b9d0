"""Signals the plugin sends. Receivers get ids and objects, never free text in logs."""

from django.dispatch import Signal

#: Sent after an anonymous feedback answer is stored; ``response`` is the FeedbackResponse.
feedback_submitted = Signal()

#: Sent after an application is committed; ``application`` is the Application.
application_submitted = Signal()

#: Sent after HR closed a round; ``round`` is the ApplicationRound.
round_closed = Signal()

#: Sent after HR changed an application's status; ``application``, ``old_status``, ``user``.
application_status_changed = Signal()

#: Sent after HR confirmed matches; ``engagement_ids`` lists the engagements created.
engagements_confirmed = Signal()
