class MatchingRefused(Exception):
    """A matching-board action cannot be done now; ``reason`` is a code the views translate."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


#: Reasons a board action is refused (409 with a translated message).
NOT_DONE = "not_done"  # the run has not finished
SUPERSEDED = "superseded"  # a newer run of the round exists
RUNNING = "running"  # a run of the round is queued or running
NOT_MATCHABLE = "not_matchable"  # the application no longer waits for a supervisor
NOT_FEASIBLE = "not_feasible"  # the pair breaks a hard rule (language, format, unit, conflict)
NO_ROOM = "no_room"  # the supervisor has no free place
