"""Why a matching-board action cannot be done now (409 with a translated message)."""

from django.utils.translation import gettext_lazy as _

from tyonohjaus_plugin.actions.base import ActionRefused

NOT_DONE = "not_done"  # the run has not finished
SUPERSEDED = "superseded"  # a newer run of the round exists
RUNNING = "running"  # a run of the round is queued or running
NOT_MATCHABLE = "not_matchable"  # the application no longer waits for a supervisor
NOT_FEASIBLE = "not_feasible"  # the pair breaks a hard rule (language, format, unit, conflict)
NO_ROOM = "no_room"  # the supervisor has no free place
NO_TIME = "no_time"  # no free meeting times for the supervisor and the participants


class MatchingRefused(ActionRefused):
    reason_messages = {
        NOT_DONE: _("The matching run has not finished."),
        SUPERSEDED: _("A newer matching run exists: confirm from its proposal."),
        RUNNING: _("Matching is running for this round. Wait for it to finish."),
        NOT_MATCHABLE: _(
            "The application no longer waits for a supervisor, or the supervisor is inactive."
        ),
        NOT_FEASIBLE: _(
            "This pair breaks a rule: no shared language, a format the supervisor does not "
            "take, the applicants' own unit or a conflict of interest."
        ),
        NO_ROOM: _("The supervisor has no free place."),
        NO_TIME: _(
            "No free meeting times were found for the supervisor and the participants in the "
            "coming months. Move or cancel some of their meetings, or widen the working hours."
        ),
    }
